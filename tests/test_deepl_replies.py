"""Attacks from the DeepL side (issue 13): a server answering garbage, echoing the key in
other forms, sending control characters. Each ends with exit 1 and one clear message,
nothing half-written, nothing recorded that would be written again, nothing paid twice.
"""
from __future__ import annotations

import base64
import sqlite3
import urllib.parse

import pytest

from l10n import catalog as po
from l10n.project import Project
from l10n.secrets import redact

OITA = "2026-02/oita-bay-area"
KEY = "0a1b2c3d-4e5f-6789-abcd-ef0123456789:fx"


@pytest.fixture
def deepl_env(deepl_server, deepl_fast_retries, monkeypatch):
    deepl_server.auth_key = KEY
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    return deepl_server


def catalog_bytes(root) -> dict:
    loc = root / "locales"
    return {p: p.read_bytes() for p in loc.rglob("*.po")}


def recorded_results(root) -> list[str]:
    db = sqlite3.connect(str(root / ".l10n" / "mt-cache.sqlite"))
    try:
        return [r[0] for r in db.execute("SELECT result FROM sent")]
    finally:
        db.close()


def assert_clean_failure(r):
    assert r.code == 1, (r.out, r.err)
    assert "Traceback" not in r.out + r.err
    assert r.err.count("l10n: error:") == 1
    assert "DeepL" in r.err
    said = r.err.split("l10n: error: ", 1)[1][:40]
    assert said not in r.out  # said once, on stderr


BAD_TEXTS = {
    "null text": lambda text, _p: None,
    "empty for a non-empty text": lambda text, _p: "",
    "NUL": lambda text, _p: f"[EN] {text}\x00",
    "escape sequence": lambda text, _p: f"\x1b]0;pwned\x07[EN] {text}",
    "lone surrogate": lambda text, _p: f"[EN] {text}\ud800",
}


@pytest.mark.parametrize("kind", sorted(BAD_TEXTS))
def test_a_bad_translation_is_refused_before_it_is_recorded(sample, cli, deepl_env, kind):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    before = catalog_bytes(sample)
    deepl_env.translate_fn = BAD_TEXTS[kind]
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert_clean_failure(r)
    assert "cannot be used" in r.err
    assert catalog_bytes(sample) == before  # nothing of the bad reply written
    for text in recorded_results(sample):
        assert "\x00" not in text and "\x1b" not in text
    # the files stay valid: every command reads them
    assert cli("-C", str(sample), "status").code == 0
    # a good server afterwards: everything drafted, the bad text never written
    deepl_env.translate_fn = None
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 0, r.err
    for e in po.read(Project(sample).catalog_path("en", OITA)).active():
        assert e.msgstr.startswith("[EN-US] ")


@pytest.mark.parametrize("body", [
    b"<html>502 Bad Gateway</html>",
    b'{"translations": "nope"}',
    b'{"translations": [{"text": "x"}]}',  # no billed_characters, one text for many
    b'{"translations": [{"text": 5, "detected_source_language": "JA", "billed_characters": 1}]}',
    b"[]",
])
def test_a_malformed_translate_reply_is_one_clear_error(sample, cli, deepl_env, body):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    before = catalog_bytes(sample)
    deepl_env.reply_next(body)
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert_clean_failure(r)
    assert catalog_bytes(sample) == before
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 0, r.err


@pytest.mark.parametrize("body, status", [
    (b'{"glossary_id": null, "name": "x", "creation_time": "2026-01-01T00:00:00Z", "dictionaries": []}', 201),
    (b'{"glossary_id": "../../v2/usage", "name": "x", "creation_time": "2026-01-01T00:00:00Z", "dictionaries": []}', 201),
    (b'{"name": "x"}', 201),
    (b"not json", 200),
])
def test_a_bad_glossary_reply_is_one_clear_error(sample, cli, deepl_env, body, status):
    deepl_env.reply_next(body, status=status, path_prefix="/v3/glossaries")
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert_clean_failure(r)
    assert not (sample / ".l10n" / "deepl-state.json").exists() or \
        "../" not in (sample / ".l10n" / "deepl-state.json").read_text()
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 0, r.err


def test_a_bad_result_recorded_by_an_older_version_is_not_written_again(sample, cli, deepl_env):
    """The old code recorded a NUL from DeepL: restoring the file from git and syncing
    wrote it again. A recorded result that fails the check is forgotten and asked again."""
    assert cli("-C", str(sample), "sync", "--lang", "en").code == 0
    db = sqlite3.connect(str(sample / ".l10n" / "mt-cache.sqlite"))
    db.execute("UPDATE sent SET result = result || char(0)")
    db.commit()
    db.close()
    path = Project(sample).catalog_path("en", OITA)
    cat = po.read(path)
    for e in cat.active():
        e.msgstr, e.fuzzy = "", False
        e.comments = []
    path.write_bytes(po.serialize(cat))
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 0, r.err
    assert b"\\0" not in path.read_bytes() and b"\x00" not in path.read_bytes()
    assert all(e.msgstr.startswith("[EN-US] ") for e in po.read(path).active())


def test_nothing_already_received_is_paid_twice_after_a_bad_reply(sample, cli, deepl_env):
    assert cli("-C", str(sample), "sync", "--lang", "en").code == 0
    en = deepl_env.billed["EN-US"]
    deepl_env.translate_fn = BAD_TEXTS["NUL"]
    assert cli("-C", str(sample), "sync").code == 1
    deepl_env.translate_fn = None
    assert cli("-C", str(sample), "sync").code == 0
    assert deepl_env.billed["EN-US"] == en


# ------------------------------------------------------------------ the key and server words
ECHOES = {
    "upper-cased": KEY.upper(),
    "base64": base64.b64encode(f"user:{KEY}".encode()).decode(),
    "url-encoded": urllib.parse.quote(KEY, safe=""),
    "url-encoded lower": urllib.parse.quote(KEY, safe="").lower(),
}


@pytest.mark.parametrize("form", sorted(ECHOES))
@pytest.mark.parametrize("status", [400, 403, 418])
def test_a_server_echoing_the_key_in_another_form_does_not_leak_it(sample, cli, deepl_env, form, status):
    echoed = ECHOES[form]
    deepl_env.fail_next(status, message=f"bad key {echoed} for this account")
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 1
    text = r.out + r.err
    assert echoed not in text and KEY not in text
    assert "[DEEPL_AUTH_KEY]" in text
    r = cli("-C", str(sample), "sync", "--lang", "en", "--json")
    assert echoed not in r.out


def test_redaction_of_every_form(monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    for pre in ("", "a", "ab", "user:", "DeepL-Auth-Key "):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            blob = enc(f"{pre}{KEY}".encode()).decode()
            assert blob[len(pre) + 4:len(pre) + 40] not in redact(f"x {blob} y")
    mixed = KEY[:10].upper() + urllib.parse.quote(KEY[10:], safe="")
    assert redact(mixed) == "[DEEPL_AUTH_KEY]"


@pytest.mark.parametrize("key", ["e", "is", "key1"])
def test_a_very_short_key_does_not_mangle_messages(monkeypatch, key):
    monkeypatch.setenv("DEEPL_AUTH_KEY", key)
    msg = "the server refused the request: key1 is not a valid key, see the README"
    assert redact(msg) == msg


def test_server_words_come_from_message_only_visible_and_cut(sample, cli, deepl_env):
    long = "\x1b[2J\x1b]0;owned\x07 " + " ".join(["averyveryverylongword"] * 60)
    deepl_env.fail_next(400, message=long)
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 1
    assert "\x1b" not in r.err and "\x07" not in r.err and "\\x1b" in r.err
    line = r.err.strip().splitlines()[-1]
    assert len(line) < 500
    # cut at a word boundary, marked
    assert "…" in line and "averyveryverylongword…" in line
    # an unexpected status quotes the server's `message` field, never the raw body
    deepl_env.fail_next(418, message="teapot says no")
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 1 and "teapot says no" in r.err and '{"message"' not in r.err
