"""Tests for the fake DeepL server, driven through the real ``deepl`` client."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import deepl
import pytest
from deepl.api_data import MultilingualGlossaryDictionaryEntries

from tests.fake_deepl import (  # noqa: F401  (fixtures are used by name)
    DEFAULT_AUTH_KEY,
    FakeDeepL,
    deepl_client,
    deepl_fast_retries,
    deepl_server,
    fast_retries,
)

JA_TEXTS = [
    "吾輩は猫である。",
    "名前はまだ無い。",
    "<p>どこで生れたか<b>とんと</b>見当がつかぬ。</p>",
    "<p><code>l10n</code>を使う。</p>",
]


def _raw(server, method, path, body=None, headers=None):
    """Plain-urllib request to the fake (no proxies), returns (status, json)."""
    req = urllib.request.Request(server.url + path, data=body, method=method,
                                 headers=headers or {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=5) as resp:
            data = resp.read()
            return resp.status, (json.loads(data) if data else None)
    except urllib.error.HTTPError as e:
        data = e.read()
        return e.code, (json.loads(data) if data else None)


def _ja_glossary(client, name="newsletter"):
    return client.create_multilingual_glossary(name, [
        MultilingualGlossaryDictionaryEntries("JA", "EN", {"猫": "cat", "吾輩": "I"}),
        MultilingualGlossaryDictionaryEntries("JA", "KO", {"猫": "고양이"}),
    ])


# ------------------------------------------------------------------ translate
def test_translate_batch_with_all_params(deepl_server, deepl_client):
    glossary = _ja_glossary(deepl_client)
    results = deepl_client.translate_text(
        JA_TEXTS,
        source_lang="JA",
        target_lang="EN-US",
        context="A Japanese cat newsletter.",
        formality="prefer_more",
        glossary=glossary,
        tag_handling="xml",
        ignore_tags=["code", "x"],
        model_type="quality_optimized",
        preserve_formatting=True,
    )
    assert [r.text for r in results] == [f"[EN-US] {t}" for t in JA_TEXTS]
    # markup is intact
    assert "<p>どこで生れたか<b>とんと</b>見当がつかぬ。</p>" in results[2].text
    assert "<code>l10n</code>" in results[3].text
    assert all(r.detected_source_lang == "JA" for r in results)
    assert [r.billed_characters for r in results] == [len(t) for t in JA_TEXTS]
    assert all(r.model_type_used == "quality_optimized" for r in results)

    (req,) = deepl_server.translate_requests()
    assert req["method"] == "POST" and req["status"] == 200
    assert req["content_type"] == "application/json"
    assert req["auth_scheme"] == "DeepL-Auth-Key"
    assert req["auth_key"] == DEFAULT_AUTH_KEY
    assert "authorization" not in req["headers"]
    assert req["headers"]["user-agent"].startswith("deepl-python/")
    assert req["texts"] == JA_TEXTS
    assert req["target_lang"] == "EN-US" and req["source_lang"] == "JA"
    assert req["glossary_id"] == glossary.glossary_id
    p = req["params"]
    assert p["text"] == JA_TEXTS
    assert p["context"] == "A Japanese cat newsletter."
    assert p["formality"] == "prefer_more"
    assert p["glossary_id"] == glossary.glossary_id
    assert p["tag_handling"] == "xml"
    assert p["ignore_tags"] == ["code", "x"]
    assert p["model_type"] == "quality_optimized"
    assert p["preserve_formatting"] is True
    assert p["show_billed_characters"] is True

    expected = sum(len(t) for t in JA_TEXTS)  # context is not billed
    assert req["billed"] == expected
    assert deepl_server.billed == {"EN-US": expected}
    assert deepl_server.glossaries_used() == [glossary.glossary_id]
    assert deepl_server.translated_texts("en-us") == JA_TEXTS
    assert deepl_server.key_leaks() == []


def test_single_string_and_several_targets(deepl_server, deepl_client):
    glossary = _ja_glossary(deepl_client)
    one = deepl_client.translate_text("猫", source_lang="JA", target_lang="KO",
                                      glossary=glossary.glossary_id)
    assert one.text == "[KO] 猫"
    for target in ("ES", "EN-GB", "en-us"):
        (res,) = deepl_client.translate_text(["猫が好き"], source_lang="JA",
                                             target_lang=target)
        assert res.text == f"[{target.upper()}] 猫が好き"
    assert deepl_server.billed == {"KO": 1, "ES": 4, "EN-GB": 4, "EN-US": 4}
    assert deepl_server.character_count == 13
    assert deepl_server.glossaries_used() == [glossary.glossary_id, None, None, None]
    # empty strings translate to empty strings and bill nothing
    res = deepl_client.translate_text(["", "猫"], target_lang="ES")
    assert [r.text for r in res] == ["", "[ES] 猫"]
    assert deepl_server.billed["ES"] == 5


def test_billing_counts_code_points(deepl_server, deepl_client):
    texts = ["深", "A", "Δ", "🐈", "e\u0301"]  # astral emoji = 1, combining = 2
    deepl_client.translate_text(texts, target_lang="EN-US")
    assert deepl_server.billed == {"EN-US": 6}


def test_usage(deepl_server, deepl_client):
    deepl_server.character_limit = 1000
    usage = deepl_client.get_usage()
    assert (usage.character.count, usage.character.limit) == (0, 1000)
    deepl_client.translate_text(["猫", "犬です"], target_lang="EN-US")
    usage = deepl_client.get_usage()
    assert usage.character.count == 4
    assert not usage.any_limit_reached
    assert deepl_server.requests[-1]["path"] == "/v2/usage"
    assert deepl_server.requests[-1]["method"] == "GET"


def test_languages_endpoints(deepl_client, deepl_server):
    sources = {lang.code for lang in deepl_client.get_source_languages()}
    targets = {lang.code: lang for lang in deepl_client.get_target_languages()}
    assert "JA" in sources
    assert {"EN-US", "EN-GB", "KO", "ES"} <= set(targets)
    assert targets["ES"].supports_formality is True
    pairs = deepl_client.get_glossary_languages()
    assert any(p.source_lang == "ja" and p.target_lang == "en" for p in pairs)
    # get_target_languages sends a form body on a GET
    assert deepl_server.requests[1]["params"]["type"] == "target"


def test_formality_validation(deepl_client):
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.translate_text("猫", target_lang="EN-US", formality="more")
    assert exc.value.http_status_code == 400
    deepl_client.translate_text("猫", target_lang="ES", formality="more")
    deepl_client.translate_text("猫", target_lang="EN-US", formality="prefer_less")


def test_glossary_must_exist_and_match(deepl_client, deepl_server):
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.translate_text("猫", source_lang="JA", target_lang="EN-US",
                                    glossary="no-such-id")
    assert exc.value.http_status_code == 400
    glossary = _ja_glossary(deepl_client)
    with pytest.raises(deepl.DeepLException):  # no JA->ES dictionary
        deepl_client.translate_text("猫", source_lang="JA", target_lang="ES",
                                    glossary=glossary.glossary_id)
    assert deepl_server.billed == {}


# ----------------------------------------------------------------- glossaries
def test_glossary_lifecycle(deepl_server, deepl_client):
    g = _ja_glossary(deepl_client, "cats")
    assert g.name == "cats"
    assert {(d.source_lang, d.target_lang, d.entry_count) for d in g.dictionaries} == {
        ("JA", "EN", 2), ("JA", "KO", 1)}
    assert g.creation_time.tzinfo is not None

    listed = deepl_client.list_multilingual_glossaries()
    assert [x.glossary_id for x in listed] == [g.glossary_id]
    assert deepl_client.get_multilingual_glossary(g.glossary_id).name == "cats"

    entries = deepl_client.get_multilingual_glossary_entries(g, "JA", "EN")
    (d,) = entries.dictionaries
    assert d.source_lang == "ja" and d.target_lang == "en"
    assert deepl.convert_tsv_to_dict(d.entries) == {"猫": "cat", "吾輩": "I"}

    # update merges entries into the dictionary (and may add a new one)
    updated = deepl_client.update_multilingual_glossary_dictionary(
        g, MultilingualGlossaryDictionaryEntries("JA", "EN", {"猫": "kitty", "犬": "dog"}))
    counts = {(x.source_lang, x.target_lang): x.entry_count for x in updated.dictionaries}
    assert counts[("JA", "EN")] == 3
    deepl_client.update_multilingual_glossary_dictionary(
        g.glossary_id, MultilingualGlossaryDictionaryEntries("JA", "ES", {"猫": "gato"}))
    assert deepl_server.glossaries[g.glossary_id]["dictionaries"][("ja", "es")] == {"猫": "gato"}

    # replace swaps a dictionary's entries entirely
    info = deepl_client.replace_multilingual_glossary_dictionary(
        g, MultilingualGlossaryDictionaryEntries("JA", "EN-US", {"鳥": "bird"}))
    assert (info.source_lang, info.target_lang, info.entry_count) == ("JA", "EN", 1)
    d = deepl_client.get_multilingual_glossary_entries(g, "JA", "EN").dictionaries[0]
    assert deepl.convert_tsv_to_dict(d.entries) == {"鳥": "bird"}

    deepl_client.update_multilingual_glossary_name(g, "renamed")
    assert deepl_client.get_multilingual_glossary(g.glossary_id).name == "renamed"

    deepl_client.delete_multilingual_glossary_dictionary(g, source_lang="JA", target_lang="ES")
    assert len(deepl_client.get_multilingual_glossary(g.glossary_id).dictionaries) == 2

    deepl_client.delete_multilingual_glossary(g)
    assert deepl_client.list_multilingual_glossaries() == []
    with pytest.raises(deepl.GlossaryNotFoundException):
        deepl_client.get_multilingual_glossary(g.glossary_id)
    with pytest.raises(deepl.GlossaryNotFoundException):
        deepl_client.delete_multilingual_glossary(g.glossary_id)

    methods = [(r["method"], r["path"].split("/")[2]) for r in deepl_server.requests]
    assert methods[0] == ("POST", "glossaries")
    assert deepl_server.key_leaks() == []


def test_glossary_bad_pair_rejected(deepl_client):
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.create_multilingual_glossary(
            "bad", [MultilingualGlossaryDictionaryEntries("JA", "JA", {"a": "b"})])
    assert exc.value.http_status_code == 400


# ----------------------------------------------------------- auth and quota
def test_wrong_key_is_403(deepl_server):
    client = deepl.DeepLClient("wrong-key:fx", server_url=deepl_server.url)
    with pytest.raises(deepl.AuthorizationException) as exc:
        client.translate_text("猫", target_lang="EN-US")
    assert exc.value.http_status_code == 403
    with pytest.raises(deepl.AuthorizationException):
        client.get_usage()
    assert len(deepl_server.requests) == 2  # 403 is not retried
    assert deepl_server.requests[0]["auth_key"] == "wrong-key:fx"
    assert deepl_server.billed == {}


def test_missing_or_malformed_auth_header(deepl_server):
    status, body = _raw(deepl_server, "GET", "/v2/usage")
    assert status == 403 and "message" in body
    status, _ = _raw(deepl_server, "GET", "/v2/usage",
                     headers={"Authorization": f"Bearer {DEFAULT_AUTH_KEY}"})
    assert status == 403
    status, body = _raw(deepl_server, "GET", "/v2/usage",
                        headers={"Authorization": f"DeepL-Auth-Key {DEFAULT_AUTH_KEY}"})
    assert status == 200 and body == {"character_count": 0, "character_limit": 500000}


def test_form_encoded_translate(deepl_server):
    body = "text=猫&text=犬&target_lang=ko&formality=prefer_less".encode()
    status, data = _raw(deepl_server, "POST", "/v2/translate", body, {
        "Authorization": f"DeepL-Auth-Key {DEFAULT_AUTH_KEY}",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert [t["text"] for t in data["translations"]] == ["[KO] 猫", "[KO] 犬"]
    assert "billed_characters" not in data["translations"][0]  # not asked for
    assert deepl_server.translate_requests()[0]["params"]["text"] == ["猫", "犬"]


def test_quota_exceeded_is_456(deepl_server, deepl_client):
    deepl_server.character_limit = 10
    deepl_client.translate_text(["12345", "6789"], target_lang="EN-US")  # 9 chars
    with pytest.raises(deepl.QuotaExceededException) as exc:
        deepl_client.translate_text(["ab"], target_lang="EN-US")
    assert exc.value.http_status_code == 456
    assert deepl_server.billed == {"EN-US": 9}  # the refused request billed nothing
    deepl_client.translate_text("a", target_lang="EN-US")  # exactly at the limit
    assert deepl_client.get_usage().character.limit_reached


def test_injected_456(deepl_server, deepl_client):
    deepl_server.fail_next(456)
    with pytest.raises(deepl.QuotaExceededException):
        deepl_client.translate_text("猫", target_lang="EN-US")
    assert deepl_client.translate_text("猫", target_lang="EN-US").text == "[EN-US] 猫"
    assert [r["outcome"] for r in deepl_server.translate_requests()] == ["injected", "ok"]


def test_injected_403(deepl_server, deepl_client):
    deepl_server.fail_next(403)
    with pytest.raises(deepl.AuthorizationException):
        deepl_client.translate_text("猫", target_lang="EN-US")


# ------------------------------------------------------------------- retries
@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_transient_errors_are_retried(deepl_server, deepl_client, deepl_fast_retries, status):
    deepl_server.fail_next(status, count=deepl_fast_retries)
    start = time.monotonic()
    res = deepl_client.translate_text(["猫"], target_lang="EN-US")
    assert time.monotonic() - start < 1.0
    assert res[0].text == "[EN-US] 猫"
    attempts = deepl_server.translate_requests()
    assert [r["status"] for r in attempts] == [status] * deepl_fast_retries + [200]
    # every attempt is recorded with the same parameters
    assert all(r["params"] == attempts[-1]["params"] for r in attempts)
    assert all(r["texts"] == ["猫"] for r in attempts)
    assert [r["billed"] for r in attempts] == [0] * deepl_fast_retries + [1]
    assert deepl_server.billed == {"EN-US": 1}  # billed once


def test_too_many_429_raises(deepl_server, deepl_client, deepl_fast_retries):
    deepl_server.fail_next(429, count=deepl_fast_retries + 1)
    start = time.monotonic()
    with pytest.raises(deepl.TooManyRequestsException) as exc:
        deepl_client.translate_text("猫", target_lang="EN-US")
    assert time.monotonic() - start < 1.0
    assert exc.value.http_status_code == 429
    assert len(deepl_server.translate_requests()) == deepl_fast_retries + 1
    assert deepl_server.billed == {}


def test_too_many_503_raises(deepl_server, deepl_client, deepl_fast_retries):
    deepl_server.fail_next(503, count=10)
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.translate_text("猫", target_lang="EN-US")
    assert exc.value.http_status_code == 503
    assert len(deepl_server.translate_requests()) == deepl_fast_retries + 1
    deepl_server.reset_failures()
    assert deepl_client.translate_text("猫", target_lang="EN-US").text == "[EN-US] 猫"


def test_dropped_connection(deepl_server, deepl_client, deepl_fast_retries):
    deepl_server.drop_next(count=1)
    assert deepl_client.translate_text("猫", target_lang="ES").text == "[ES] 猫"
    assert [r["outcome"] for r in deepl_server.translate_requests()] == ["dropped", "ok"]

    deepl_server.drop_next(count=deepl_fast_retries + 1)
    start = time.monotonic()
    with pytest.raises(deepl.ConnectionException):
        deepl_client.translate_text("猫", target_lang="ES")
    assert time.monotonic() - start < 1.0
    assert len(deepl_server.translate_requests()) == 2 + deepl_fast_retries + 1
    assert deepl_server.billed == {"ES": 1}


def test_fail_after_quota_midway(deepl_server, deepl_client):
    deepl_server.fail_after(2, 456)
    done = []
    with pytest.raises(deepl.QuotaExceededException):
        for i in range(5):
            done.append(deepl_client.translate_text(f"文{i}", target_lang="EN-US").text)
    assert done == ["[EN-US] 文0", "[EN-US] 文1"]
    with pytest.raises(deepl.QuotaExceededException):  # keeps failing
        deepl_client.translate_text("x", target_lang="EN-US")
    deepl_client.get_usage()  # other paths unaffected
    deepl_server.reset_failures()
    deepl_client.translate_text("x", target_lang="EN-US")
    assert deepl_server.translated_texts() == ["文0", "文1", "x"]


def test_fail_after_5xx_exhausts_retries(deepl_server, deepl_client, deepl_fast_retries):
    deepl_server.fail_after(1, 500)
    deepl_client.translate_text("一", target_lang="KO")
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.translate_text("二", target_lang="KO")
    assert exc.value.http_status_code == 500
    assert len(deepl_server.translate_requests()) == 1 + deepl_fast_retries + 1


def test_fail_next_path_prefix(deepl_server, deepl_client):
    deepl_server.fail_next(403, path_prefix="/v2/usage")
    deepl_client.translate_text("猫", target_lang="EN-US")  # unaffected
    with pytest.raises(deepl.AuthorizationException):
        deepl_client.get_usage()
    deepl_client.get_usage()


def test_delay_next_and_client_timeout(deepl_server, deepl_client, monkeypatch):
    fast_retries(monkeypatch, max_retries=0, timeout=0.2)
    deepl_server.delay_next(0.1)
    assert deepl_client.translate_text("猫", target_lang="EN-US").text == "[EN-US] 猫"
    deepl_server.delay_next(0.6)
    with pytest.raises(deepl.ConnectionException):
        deepl_client.translate_text("猫", target_lang="EN-US")


# -------------------------------------------------------------------- limits
def test_too_many_texts_is_400(deepl_server, deepl_client):
    res = deepl_client.translate_text(["猫"] * 50, target_lang="EN-US")
    assert len(res) == 50
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.translate_text(["猫"] * 51, target_lang="EN-US")
    assert exc.value.http_status_code == 400
    assert "Too many texts" in str(exc.value)
    assert deepl_server.billed == {"EN-US": 50}


def test_empty_text_list_is_400(deepl_server, deepl_client):
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.translate_text([], target_lang="EN-US")
    assert exc.value.http_status_code == 400


def test_request_over_128kib_is_413(deepl_server, deepl_client):
    big = ["あ" * 5000] * 10  # JSON-escaped \u3042: ~300 KB
    with pytest.raises(deepl.DeepLException) as exc:
        deepl_client.translate_text(big, target_lang="EN-US")
    assert exc.value.http_status_code == 413
    assert len(deepl_server.translate_requests()) == 1  # 413 is not retried
    assert deepl_server.billed == {}


# --------------------------------------------------------------- misc/helpers
def test_key_leaks_detects_key_outside_header(deepl_server, deepl_client):
    deepl_client.translate_text("猫", target_lang="EN-US", context=DEFAULT_AUTH_KEY)
    assert deepl_server.key_leaks() == [(0, "body")]
    assert deepl_server.key_leaks("not-the-key") == []


def test_unknown_endpoint_is_404(deepl_server):
    status, body = _raw(deepl_server, "GET", "/v2/nope",
                        headers={"Authorization": f"DeepL-Auth-Key {DEFAULT_AUTH_KEY}"})
    assert status == 404 and "message" in body


def test_concurrent_clients(deepl_server):
    errors = []

    def work(i):
        client = deepl_server.client()
        try:
            for j in range(5):
                client.translate_text([f"{i}-{j}", "猫"], target_lang="EN-US")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            client.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(deepl_server.translate_requests(ok_only=True)) == 40
    assert deepl_server.billed["EN-US"] == deepl_server.character_count
    assert sorted(r["id"] for r in deepl_server.requests) == list(range(40))


def test_reset_and_custom_settings():
    with FakeDeepL("other-key", character_limit=5,
                   translate_fn=lambda text, params: text.upper()) as server:
        client = server.client()
        assert client.translate_text("abc", target_lang="DE").text == "ABC"
        with pytest.raises(deepl.QuotaExceededException):
            client.translate_text("abcdef", target_lang="DE")
        server.fail_next(500)
        server.reset()
        assert server.requests == [] and server.billed == {} and server.character_count == 0
        assert client.translate_text("abcde", target_lang="DE").text == "ABCDE"
        client.close()
