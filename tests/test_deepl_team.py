"""DeepL drafts as a team uses them (issue 14): state that survives key rotation, a new
server, a glossary deleted on DeepL's side and a new language; a budget; a summary that
adds up and that a dry run predicts; new sentences get DeepL drafts.

Everything runs against tests/fake_deepl.py through the real `deepl` client.
"""
from __future__ import annotations

import json
import re

import pytest

from l10n import catalog as po
from l10n import review
from l10n.markup import protect
from l10n.project import Project
from tests.fake_deepl import FakeDeepL, closed_url

TARGETS = {"en": "EN-US", "ko": "KO", "es": "ES"}
OITA = "2026-02/oita-bay-area"


@pytest.fixture
def deepl_env(deepl_server, deepl_fast_retries, monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", deepl_server.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    return deepl_server


def active(root, lang):
    p = Project(root)
    return [e for aid in p.article_ids() for e in po.read(p.catalog_path(lang, aid)).active()]


def assert_all_drafted(root, langs=TARGETS):
    for lang in langs:
        missing = [e.msgid for e in active(root, lang) if not e.msgstr]
        assert not missing, (lang, missing[:3])


def unique_chars(root, lang):
    """What one full sync bills for `lang`: each unique unit once, as sent."""
    return sum(len(protect(m)[0]) for m in {e.msgid for e in active(root, lang)})


def glossary_posts(server):
    return [r for r in server.requests if r["path"] == "/v3/glossaries" and r["method"] == "POST"]


def cache_files_text(root) -> str:
    out = []
    for f in (root / ".l10n").iterdir():
        if f.is_file():
            out.append(f.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


# ------------------------------------------------------------------ server-side state
def test_key_rotation_between_two_syncs(sample, cli, deepl_env, monkeypatch):
    assert cli("-C", str(sample), "sync", "--lang", "en").code == 0
    old_key = deepl_env.auth_key
    new_key = "9f1c2b7e-0d4a-4c55-8e61-3a2b1c0d9e8f:fx"
    deepl_env.add_account(new_key)  # another account: its own, empty, glossary list
    deepl_env.revoke(old_key)
    monkeypatch.setenv("DEEPL_AUTH_KEY", new_key)
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, (r.out, r.err)
    assert_all_drafted(sample)
    new_glossaries = deepl_env.account(new_key).glossaries
    assert len(new_glossaries) == 1
    used = {q["glossary_id"] for q in deepl_env.translate_requests(ok_only=True)
            if q["auth_key"] == new_key}
    assert used == set(new_glossaries)
    # the state names the account by a fingerprint, never by the key
    text = cache_files_text(sample)
    for key in (old_key, new_key):
        assert key not in text and key.upper() not in text and key.split(":")[0] not in text


def test_server_url_change(sample, cli, deepl_env, monkeypatch, deepl_fast_retries):
    assert cli("-C", str(sample), "sync", "--lang", "en").code == 0
    with FakeDeepL() as other:  # same key, another server: it knows none of our glossaries
        monkeypatch.setenv("DEEPL_SERVER_URL", other.url)
        r = cli("-C", str(sample), "sync")
        assert r.code == 0, (r.out, r.err)
        assert len(other.glossaries) == 1
        assert {q["glossary_id"] for q in other.translate_requests(ok_only=True)} == set(other.glossaries)
    assert_all_drafted(sample)


def test_glossary_deleted_server_side_is_recreated_once(sample, cli, deepl_env):
    assert cli("-C", str(sample), "sync", "--lang", "en").code == 0
    assert len(glossary_posts(deepl_env)) == 1
    deepl_env.delete_glossaries()
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, (r.out, r.err)
    assert len(glossary_posts(deepl_env)) == 2  # recreated once, the batch retried
    assert_all_drafted(sample)
    [gid] = deepl_env.glossaries
    last = deepl_env.translate_requests(ok_only=True)[-1]
    assert last["glossary_id"] == gid


def test_glossary_the_server_keeps_refusing_is_one_clear_error(sample, cli, deepl_env):
    deepl_env.fail_next(400, count=10, message="Invalid glossary_id: glossary not found.")
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 1
    assert len(glossary_posts(deepl_env)) == 2  # made, then recreated once: no loop
    assert "glossary" in r.err and "Traceback" not in r.err
    assert "glossary" not in r.out  # one message, on stderr only


def test_language_added_without_terms_drafts_without_a_glossary(sample, cli, deepl_env):
    cfg = sample / "l10n.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace(
        "    formality: prefer_more\n", "    formality: prefer_more\n  fr:\n    deepl: FR\n"), "utf-8")
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, (r.out, r.err)
    assert_all_drafted(sample, [*TARGETS, "fr"])
    fr = [q for q in deepl_env.translate_requests(ok_only=True) if q["target_lang"] == "FR"]
    assert fr and all(q["glossary_id"] is None for q in fr)
    en = [q for q in deepl_env.translate_requests(ok_only=True) if q["target_lang"] == "EN-US"]
    assert all(q["glossary_id"] for q in en)
    [g] = deepl_env.glossaries.values()
    assert ("ja", "fr") not in g["dictionaries"]


# ------------------------------------------------------------------ budget
def test_budget_stops_before_exceeding_then_rerun_finishes_without_paying_twice(sample, cli, deepl_env):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    full = {lang: unique_chars(sample, lang) for lang in TARGETS}
    budget = sum(full.values()) // 3
    r = cli("-C", str(sample), "sync", "--max-characters", str(budget), "--json")
    assert r.code == 1
    data = json.loads(r.out)
    billed = sum(deepl_env.billed.values())
    assert 0 < billed <= budget
    assert sum(data["billed_characters"].values()) == billed
    assert str(billed) in data["error"] and str(budget) in data["error"]
    # what arrived is in the catalogs
    drafted = sum(1 for lang in TARGETS for e in active(sample, lang) if e.msgstr)
    assert drafted > 0
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, (r.out, r.err)
    assert_all_drafted(sample)
    for lang, code in TARGETS.items():
        assert deepl_env.billed[code] == full[lang], lang  # nothing paid twice


def test_budget_from_the_config_and_its_validation(sample, cli, deepl_env):
    cfg = sample / "l10n.yaml"
    text = cfg.read_text("utf-8")
    cfg.write_text(text.replace("deepl:\n  glossary: true\n",
                                "deepl:\n  glossary: true\n  max_characters_per_sync: 0\n"), "utf-8")
    r = cli("-C", str(sample), "sync")
    assert r.code == 2 and "l10n.yaml:" in r.err and "max_characters_per_sync" in r.err
    cfg.write_text(text.replace("deepl:\n  glossary: true\n",
                                "deepl:\n  glossary: true\n  max_characters_per_sync: 100\n"), "utf-8")
    r = cli("-C", str(sample), "sync", "--dry-run")
    assert r.code == 0
    assert "would stop at the budget" in r.out and "100 allowed" in r.out
    assert "DeepL account: 0 of 500000 characters used, 500000 left" in r.out
    r = cli("-C", str(sample), "sync")
    assert r.code == 1 and "budget" in r.err
    assert 0 < sum(deepl_env.billed.values()) <= 100
    assert cli("-C", str(sample), "sync", "--max-characters", "x").code == 2


# ------------------------------------------------------------------ accounting
def test_billed_characters_per_language_article_and_month(sample, cli, deepl_env):
    r = cli("-C", str(sample), "sync", "--json")
    assert r.code == 0
    data = json.loads(r.out)
    per_lang = data["billed_characters"]
    per_article = data["billed_characters_per_article"]
    for lang, code in TARGETS.items():
        assert per_lang[lang] == deepl_env.billed[code]
        assert sum(a.get(lang, 0) for a in per_article.values()) == per_lang[lang]
    assert set(per_article) == set(Project(sample).article_ids())
    st = json.loads(cli("-C", str(sample), "status", "--json").out)
    assert st["deepl_characters"] == sum(deepl_env.billed.values())
    # a second sync pays nothing and the running total stays
    assert cli("-C", str(sample), "sync").code == 0
    st = json.loads(cli("-C", str(sample), "status", "--json").out)
    assert st["deepl_characters"] == sum(deepl_env.billed.values())


# ------------------------------------------------------------------ the summary
def _header(out: str) -> tuple[int, int, int]:
    m = re.search(r"^(\d+) articles, (\d+) unchanged, (\d+) (?:would change|changed)$", out, re.M)
    assert m, out
    return tuple(map(int, m.groups()))


def test_summary_adds_up(sample, cli, deepl_env):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    r = cli("-C", str(sample), "sync")  # fetches drafts only
    n, unchanged, changed = _header(r.out)
    assert (n, unchanged, changed) == (5, 0, 5)
    assert re.search(r"^drafts, en: \d+ \(memory \d+, DeepL \d+, already paid \d+\)$", r.out, re.M)
    r = cli("-C", str(sample), "sync")
    assert _header(r.out) == (5, 5, 0)
    data = json.loads(cli("-C", str(sample), "sync", "--json").out)
    assert data["articles"] == data["unchanged"] + len(data["changed"])


def _comparable(out: str, dry: bool) -> list[str]:
    lines = []
    for ln in out.splitlines():
        if dry and (ln.startswith("would ") or ln.startswith("DeepL account:")):
            continue
        if not dry and ln.startswith("DeepL billed"):
            continue
        lines.append(ln.replace("would change", "changed"))
    return lines


@pytest.mark.parametrize("prepare", ["fresh", "after --no-mt and a human translation"])
def test_dry_run_predicts_the_real_run_line_by_line(sample, cli, deepl_env, prepare):
    if prepare != "fresh":
        assert cli("-C", str(sample), "sync", "--no-mt").code == 0
        from l10n.actions import save_translation

        shared = "外務省は、今後も地方の魅力を世界に発信する取組を支援していきます。"
        save_translation(Project(sample), OITA, "en", ("body", shared), "The Ministry helps.", "Tr")
    dry = cli("-C", str(sample), "sync", "--dry-run")
    assert dry.code == 0, dry.err
    assert not deepl_env.translate_requests()
    real = cli("-C", str(sample), "sync")
    assert real.code == 0, real.err
    assert _comparable(dry.out, True) == _comparable(real.out, False)
    # and after it, both agree that nothing is left
    again = cli("-C", str(sample), "sync", "--dry-run")
    assert _header(again.out) == (5, 5, 0) and "would send nothing to DeepL" in again.out


def test_refresh_says_what_it_re_sent(sample, cli, deepl_env):
    assert cli("-C", str(sample), "sync").code == 0
    r = cli("-C", str(sample), "sync", "--refresh")
    assert r.code == 0 and "nothing re-sent" in r.out
    path = Project(sample).catalog_path("ko", OITA)
    cat = po.read(path)
    cat.active()[0].msgstr = ""
    cat.active()[0].fuzzy = False
    path.write_bytes(po.serialize(cat))
    n = len(deepl_env.translate_requests())
    r = cli("-C", str(sample), "sync", "--refresh")
    assert r.code == 0
    sent = len(protect(cat.active()[0].msgid)[0])
    assert f"re-sent with --refresh, ko: 1 texts, {sent} characters" in r.out
    assert len(deepl_env.translate_requests()) == n + 1


# ------------------------------------------------------------------ new units
SIBLING = "佐藤知事は、サンフランシスコのルーリー市長と会談しました。"
ADDED = "佐藤知事は、サンフランシスコのルーリー市長と再び会談しました。"


def _add_sibling_sentence(root):
    art = root / "content" / f"{OITA}.md"
    art.write_text(art.read_text("utf-8").replace(SIBLING, SIBLING + ADDED, 1), "utf-8")


def test_sentence_added_next_to_a_similar_one_gets_a_deepl_draft(sample, cli, deepl_env, tmp_path):
    import shutil

    from l10n.actions import save_translation
    from l10n.session import Session

    assert cli("-C", str(sample), "sync").code == 0
    p = Project(sample)
    human = "Governor Sato met Mayor Lurie of San Francisco."
    save_translation(p, OITA, "en", ("body", SIBLING), human, "Tr")
    _add_sibling_sentence(sample)
    # without MT, msgmerge's decision stands: the sibling's translation as a fuzzy draft
    gnu = tmp_path / "gnu"
    shutil.copytree(sample, gnu)
    assert cli("-C", str(gnu), "sync", "--no-mt").code == 0
    g = po.read(Project(gnu).catalog_path("en", OITA)).find(ADDED)
    assert g.fuzzy and g.msgstr == human and g.previous_msgid == SIBLING
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, r.err
    cat = po.read(p.catalog_path("en", OITA))
    new = cat.find(ADDED)
    assert new.msgstr.startswith("[EN-US] "), new.msgstr  # DeepL's, not the sibling's
    assert review.origin(new).engine == "deepl" and new.previous_msgid is None
    assert ADDED in deepl_env.translated_texts("EN-US")
    assert cat.find(SIBLING).msgstr == human
    # the sibling's translation is offered as a suggestion
    s = Session(p)
    s.load_memory()
    assert human in [x.target for x in s.suggestions("en", new)]


# ------------------------------------------------------------------ messages
def test_connection_refused_is_one_whole_message_without_retries(sample, cli, deepl_env, monkeypatch):
    import requests

    url = closed_url()
    monkeypatch.setenv("DEEPL_SERVER_URL", url)
    attempts = []
    send = requests.Session.send

    def counting(self, request, **kw):
        attempts.append(request.url)
        return send(self, request, **kw)

    monkeypatch.setattr(requests.Session, "send", counting)
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 1
    assert len(attempts) == 1  # refused: no retry (the client's 5 retries took 16.5 s)
    assert "connection refused" in r.err and url in r.err
    assert "run `l10n sync` again" in r.err
    assert "refused" not in r.out  # once, not also as a note
    assert r.err.count("l10n: error:") == 1
    assert "Failed to establi" not in r.err
    # answers the server gives (429) are still retried as the client does it
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_env.url)
    deepl_env.fail_next(429, count=2)
    del attempts[:]
    r = cli("-C", str(sample), "sync", "--lang", "en")
    assert r.code == 0, r.err
    assert len(attempts) > len(deepl_env.translate_requests(ok_only=True))
    assert_all_drafted(sample, ["en"])
