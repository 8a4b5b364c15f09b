"""The test server's team features: several accounts, glossaries deleted on its side,
raw (malformed) replies, a closed port."""
from __future__ import annotations

import deepl
import pytest
from deepl.api_data import MultilingualGlossaryDictionaryEntries

from tests.fake_deepl import closed_url

OTHER = "ffffffff-1111-2222-3333-444444444444:fx"


def _glossary(client):
    return client.create_multilingual_glossary(
        "g", [MultilingualGlossaryDictionaryEntries("ja", "en", {"猫": "cat"})])


def test_accounts_have_their_own_glossaries_and_usage(deepl_server, deepl_client):
    deepl_server.add_account(OTHER, character_limit=10)
    other = deepl_server.client(OTHER)
    try:
        gid = _glossary(deepl_client).glossary_id
        with pytest.raises(deepl.DeepLException, match="glossary"):
            other.translate_text("猫", source_lang="JA", target_lang="EN-US", glossary=gid)
        other.translate_text("猫猫", source_lang="JA", target_lang="EN-US")
        assert other.get_usage().character.count == 2
        assert deepl_client.get_usage().character.count == 0
        assert deepl_server.account(OTHER).billed == {"EN-US": 2}
        assert deepl_server.billed == {"EN-US": 2}  # every account's billing
        with pytest.raises(deepl.QuotaExceededException):
            other.translate_text("猫" * 9, target_lang="EN-US")
        deepl_server.revoke(OTHER)
        with pytest.raises(deepl.AuthorizationException):
            other.get_usage()
    finally:
        other.close()


def test_glossaries_deleted_server_side(deepl_server, deepl_client):
    gid = _glossary(deepl_client).glossary_id
    deepl_server.delete_glossaries()
    assert deepl_server.glossaries == {}
    with pytest.raises(deepl.DeepLException, match="glossary"):
        deepl_client.translate_text("猫", source_lang="JA", target_lang="EN-US", glossary=gid)


def test_raw_reply_then_normal_service(deepl_server, deepl_client):
    deepl_server.reply_next(b"<html>oops</html>", status=200)
    with pytest.raises(Exception):
        deepl_client.translate_text("猫", target_lang="EN-US")
    assert deepl_server.billed == {}
    assert deepl_client.translate_text("猫", target_lang="EN-US").text == "[EN-US] 猫"


def test_a_lone_surrogate_reaches_the_client(deepl_server, deepl_client):
    deepl_server.translate_fn = lambda text, _p: "x\ud800"
    assert deepl_client.translate_text("猫", target_lang="EN-US").text == "x\ud800"


def test_closed_url_refuses(deepl_fast_retries):
    client = deepl.DeepLClient("k:fx", server_url=closed_url())
    with pytest.raises(deepl.ConnectionException):
        client.get_usage()
