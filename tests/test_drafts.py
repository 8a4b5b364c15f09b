"""`l10n sync` with drafts: translation memory, then DeepL through the real client.

The DeepL side is tests/fake_deepl.py: an HTTP server on 127.0.0.1 that speaks the
API, counts billed characters and can fail on demand.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from l10n import catalog as po
from l10n import review
from l10n.markup import protect
from l10n.project import Project
from tests.conftest import REPO

TARGETS = {"en": "EN-US", "ko": "KO", "es": "ES"}


@pytest.fixture
def deepl_env(deepl_server, deepl_fast_retries, monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", deepl_server.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    return deepl_server


def untranslated_units(root, lang):
    p = Project(root)
    out = set()
    for aid in p.article_ids():
        for e in po.read(p.catalog_path(lang, aid)).active():
            if not e.msgstr:
                out.add(e.msgid)
    return out


def all_entries(root, lang):
    p = Project(root)
    return [e for aid in p.article_ids() for e in po.read(p.catalog_path(lang, aid)).active()]


def test_sync_drafts_every_untranslated_unit_with_the_right_request(sample, cli, deepl_env):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    expected = {lang: untranslated_units(sample, lang) for lang in TARGETS}
    from l10n.article import parse_article

    p = Project(sample)
    titles = {parse_article(p.article_path(a), a).title for a in p.article_ids()}
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, r.err
    reqs = deepl_env.translate_requests(ok_only=True)
    assert reqs
    gids = {q["glossary_id"] for q in reqs}
    assert len(gids) == 1 and None not in gids  # one multilingual glossary for every target
    [gid] = gids
    g = deepl_env.glossaries[gid]
    assert set(g["dictionaries"]) == {("ja", "en"), ("ja", "ko"), ("ja", "es")}
    assert g["dictionaries"][("ja", "ko")]["大分県"] == "오이타현"
    for q in reqs:
        p = q["params"]
        assert p["source_lang"] == "JA"
        assert q["target_lang"] in TARGETS.values()
        assert 1 <= len(q["texts"]) <= 50
        assert p.get("context") and p["tag_handling"] == "xml"
        # the article's title opens the context, the neighbouring text follows
        title, _, rest = p["context"].partition("\n")
        assert title in titles and rest
        assert any(t[:6] in rest for t in q["texts"] if "<" not in t[:6])
        if q["target_lang"] == "ES":
            assert p["formality"] == "prefer_more"
        else:
            assert p.get("formality") in (None, "default")
    for lang, code in TARGETS.items():
        entries = all_entries(sample, lang)
        assert all(e.msgstr for e in entries), lang
        for e in entries:
            assert review.state(e) == review.DRAFT
            o = review.origin(e)
            assert o.engine in ("deepl", "memory")
            if o.engine == "deepl":
                assert e.msgstr.startswith(f"[{code}] ")
        # billed characters = characters sent for the unique untranslated units
        sent_chars = sum(len(protect(s)[0]) for s in expected[lang])
        assert deepl_env.billed[code] == sent_chars


def test_second_sync_sends_nothing(sample, cli, deepl_env):
    assert cli("-C", str(sample), "sync").code == 0
    n = len(deepl_env.translate_requests())
    r = cli("-C", str(sample), "sync")
    assert r.code == 0
    assert len(deepl_env.translate_requests()) == n


def test_rejected_draft_is_not_sent_again(sample, cli, deepl_env):
    cli("-C", str(sample), "sync")
    n = len(deepl_env.translate_requests())
    art = "2026-02/oita-bay-area"
    first = po.read(Project(sample).catalog_path("ko", art)).active()[0]
    r = cli("-C", str(sample), "reject", art, "--lang", "ko", "--msgid", first.msgid,
            "--note", "wrong tone", "--as", "Rev")
    assert r.code == 0, r.err
    # even with the draft emptied by hand, the record answers without paying
    path = Project(sample).catalog_path("ko", art)
    cat = po.read(path)
    cat.active()[0].msgstr = ""
    path.write_bytes(po.serialize(cat))
    assert cli("-C", str(sample), "sync").code == 0
    assert len(deepl_env.translate_requests()) == n
    assert po.read(path).active()[0].msgstr.startswith("[KO] ")
    # --refresh asks again, on purpose
    assert cli("-C", str(sample), "sync", "--refresh", "--lang", "ko").code == 0


def test_markdown_is_protected_and_restored(sample, cli, deepl_env):
    cli("-C", str(sample), "sync")
    sent = [t for q in deepl_env.translate_requests(ok_only=True) for t in q["texts"]]
    assert not any("https://" in t for t in sent)  # URLs are never sent
    assert any('<a n="1">' in t for t in sent)
    cat = po.read(Project(sample).catalog_path("en", "2026-02/oita-bay-area"))
    link = next(e for e in cat.active() if "](https://www.pref.oita.jp/)" in e.msgid)
    assert "](https://www.pref.oita.jp/)" in link.msgstr and link.msgstr.startswith("[EN-US] ")
    bold = next(e for e in cat.active() if "**" in e.msgid)
    assert bold.msgstr.count("**") == 2


def test_exact_memory_match_is_used_before_deepl_and_not_billed(sample, cli, deepl_env):
    cli("-C", str(sample), "sync", "--no-mt")
    shared = "外務省は、今後も地方の魅力を世界に発信する取組を支援していきます。"
    p = Project(sample)
    # a human translation in one article...
    from l10n.actions import save_translation

    save_translation(p, "2026-02/oita-bay-area", "en", ("body", shared),
                     "The Ministry will keep supporting these efforts.", "Tr")
    cli("-C", str(sample), "sync")
    # ...fills the same sentence of the other article, marked as memory, and was not sent
    cat = po.read(p.catalog_path("en", "2026-02/kanra-nicaragua"))
    e = cat.find(shared)
    assert e.msgstr == "The Ministry will keep supporting these efforts."
    o = review.origin(e)
    assert (o.engine, o.score) == ("memory", 100)
    sent_en = [t for q in deepl_env.translate_requests(ok_only=True) if q["target_lang"] == "EN-US"
               for t in q["texts"]]
    assert shared not in sent_en


def test_fuzzy_suggestions_come_back_ranked(sample_committed, tmp_path):
    from l10n.project_memory import ProjectMemory
    from l10n.memory import TranslationMemory

    tm = TranslationMemory()
    tm.add("en", "大分県の佐藤知事がサンフランシスコを訪問しました。", "Governor Sato visited SF.")
    tm.add("en", "大分県の佐藤知事がロサンゼルスを訪問しました。", "Governor Sato visited LA.")
    tm.add("en", "奈良県で大使が視察しました。", "Ambassadors toured Nara.")
    s = tm.suggest("en", "大分県の佐藤知事がサンフランシスコを訪れました。", limit=3)
    assert [x.target for x in s][:2] == ["Governor Sato visited SF.", "Governor Sato visited LA."]
    assert s[0].score > s[1].score >= 60
    assert all(0 <= x.score <= 100 for x in s)
    # the project memory holds the sample's human translations
    title = "大分県知事がサンフランシスコ・ベイエリアを訪問"
    hit = ProjectMemory(Project(sample_committed)).load().exact("en", title)
    assert hit is not None and hit.target.startswith("Governor of Oita Prefecture visits")


@pytest.mark.parametrize("status, words", [
    (456, "quota"), (403, "key"), (429, "too many requests"), (503, "DeepL"), ("drop", "reached"),
])
def test_failures_stop_with_a_clear_message_keep_drafts_and_rerun_completes(
        status, words, sample, cli, deepl_env):
    cli("-C", str(sample), "sync", "--no-mt")
    # two translate requests answered, then every later one fails (0: connection dropped)
    deepl_env.fail_after(2, 0 if status == "drop" else status)
    r = cli("-C", str(sample), "sync")
    assert r.code == 1, (r.out, r.err)
    msg = (r.out + r.err).lower()
    assert words.lower() in msg
    assert "saved" in msg
    assert "traceback" not in msg
    ok = deepl_env.translate_requests(ok_only=True)
    assert len(ok) == 2
    drafted = {(e.msgid, e.msgstr) for lang in TARGETS for e in all_entries(sample, lang)
               if e.msgstr}
    for q in ok:  # every draft received is in a catalog
        for t in q["texts"]:
            assert any(s.startswith(f"[{q['target_lang']}] ") for _, s in drafted)
    assert len(drafted) >= sum(len(q["texts"]) for q in ok)
    deepl_env.reset_failures()
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, r.err
    assert all(e.msgstr for lang in TARGETS for e in all_entries(sample, lang))
    texts = Counter((q["target_lang"], t) for q in deepl_env.translate_requests(ok_only=True)
                    for t in q["texts"])
    assert max(texts.values()) == 1  # nothing paid twice


def test_no_key_does_everything_else(sample, cli, deepl_server, monkeypatch):
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    r = cli("-C", str(sample), "sync")
    assert r.code == 0
    assert "DEEPL_AUTH_KEY" in r.out
    assert deepl_server.requests == []
    assert len(list((sample / "locales/ko/2026-02").glob("*.po"))) == 5


def test_dry_run_reports_units_characters_and_usage(sample, cli, deepl_env):
    cli("-C", str(sample), "sync", "--no-mt")
    before = {p: p.read_bytes() for p in (sample / "locales").rglob("*.po")}
    r = cli("-C", str(sample), "sync", "--dry-run", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    for lang in TARGETS:
        units = untranslated_units(sample, lang)
        assert data["would_send"][lang]["units"] == len(units)
        assert data["would_send"][lang]["chars"] == sum(len(protect(u)[0]) for u in units)
    assert data["usage"]["limit"] == deepl_env.character_limit
    assert deepl_env.translate_requests() == []
    assert {p: p.read_bytes() for p in before} == before
    text = cli("-C", str(sample), "sync", "--dry-run")
    assert "would send to DeepL, ko:" in text.out and "characters" in text.out


def test_key_never_appears_in_output_files_or_requests(sample, deepl_env, cli, tmp_path):
    key = deepl_env.auth_key
    r1 = cli("-C", str(sample), "sync")
    deepl_env.fail_after(0, 403)
    r2 = cli("-C", str(sample), "sync", "--refresh")
    deepl_env.reset_failures()
    for r in (r1, r2):
        assert key not in r.out + r.err
    for p in sample.rglob("*"):
        if p.is_file():
            assert key.encode() not in p.read_bytes(), p
    assert deepl_env.key_leaks() == []


def test_killed_midway_rerun_sends_only_what_was_not_received(sample, cli, deepl_server):
    cli("-C", str(sample), "sync", "--no-mt")
    env = dict(os.environ, DEEPL_AUTH_KEY=deepl_server.auth_key, DEEPL_SERVER_URL=deepl_server.url,
               PYTHONPATH=str(REPO))
    # slow every translate request down so that the kill lands in the middle
    deepl_server.delay_next(0.3, count=1000)
    proc = subprocess.Popen([sys.executable, "-m", "l10n", "-C", str(sample), "sync"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30

    def settled():
        # three answers received, and the next request already waiting: the client sends
        # it only after it has recorded the previous answers
        reqs = deepl_server.translate_requests()
        ok = [q for q in reqs if q["outcome"] == "ok"]
        return len(ok) >= 3 and len(reqs) > len(ok)

    while not settled() and time.time() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reqs = deepl_server.translate_requests()
    in_flight = max(q["id"] for q in reqs)  # answered by the server after the client died
    received = [q for q in reqs if q["outcome"] == "ok" and q["id"] != in_flight]
    assert len(received) >= 3
    deepl_server.reset_failures()
    r = subprocess.run([sys.executable, "-m", "l10n", "-C", str(sample), "sync"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert all(e.msgstr for lang in TARGETS for e in all_entries(sample, lang))
    later = [q for q in deepl_server.translate_requests(ok_only=True) if q["id"] > in_flight]
    received_texts = {(q["target_lang"], t) for q in received for t in q["texts"]}
    resent = [(q["target_lang"], t) for q in later for t in q["texts"]
              if (q["target_lang"], t) in received_texts]
    assert resent == []
    sent = Counter((q["target_lang"], t) for q in later for t in q["texts"])
    assert later and max(sent.values()) == 1


def test_glossary_is_made_once_and_again_only_when_it_changes(sample, cli, deepl_env):
    cli("-C", str(sample), "sync", "--no-mt")
    cli("-C", str(sample), "sync", "--lang", "ko")

    def posts():
        return [q for q in deepl_env.requests if q["path"] == "/v3/glossaries" and q["method"] == "POST"]

    assert len(posts()) == 1
    cli("-C", str(sample), "sync", "--lang", "en")
    assert len(posts()) == 1
    g = sample / "locales/glossary.yaml"
    g.write_text(g.read_text("utf-8") + "- ja: 地方創生\n  en: regional revitalization\n", "utf-8")
    cli("-C", str(sample), "sync", "--lang", "es")
    assert len(posts()) == 2
    assert len(deepl_env.glossaries) == 1  # the old one was deleted


def test_parallel_sync_that_deepl_stops_leaves_valid_catalogs_and_no_processes(
        sample, cli, deepl_env, monkeypatch):
    """A re-merge spread over processes (L10N_JOBS) whose DeepL part fails midway: exit 1,
    every catalog whole, the worker processes gone, and a rerun completes."""
    import multiprocessing

    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    for f in (sample / "content").rglob("*.md"):
        f.write_text(f.read_text("utf-8").replace("。", "。追記しました。", 1), "utf-8")
    monkeypatch.setenv("L10N_JOBS", "2")
    deepl_env.fail_after(2, 456)
    r = cli("-C", str(sample), "sync")
    assert r.code == 1 and "quota" in (r.out + r.err).lower(), (r.out, r.err)
    assert "traceback" not in (r.out + r.err).lower()
    assert multiprocessing.active_children() == []
    assert not list((sample / "locales").rglob("*.tmp"))
    for lang in TARGETS:
        assert all_entries(sample, lang)  # every catalog parses
    deepl_env.reset_failures()
    r = cli("-C", str(sample), "sync")
    assert r.code == 0, r.err
    assert all(e.msgstr for lang in TARGETS for e in all_entries(sample, lang))
    assert any("追記しました" in e.msgid for e in all_entries(sample, "en"))
    texts = Counter((q["target_lang"], t) for q in deepl_env.translate_requests(ok_only=True)
                    for t in q["texts"])
    assert max(texts.values()) == 1  # nothing paid twice


def test_memory_drafts_leave_the_memory_up_to_date_with_the_files(sample, cli):
    """After sync writes memory drafts, the memory's record of every catalog matches the
    file: the next sync does not read those catalogs again (it used to re-read every
    catalog that got a draft, ~0.75 s after a large sync)."""
    import sqlite3

    from l10n.actions import save_translation
    from l10n.workspace import stat_key

    cli("-C", str(sample), "sync", "--no-mt")
    shared = "外務省は、今後も地方の魅力を世界に発信する取組を支援していきます。"
    p = Project(sample)
    save_translation(p, "2026-02/oita-bay-area", "en", ("body", shared),
                     "The Ministry will keep supporting these efforts.", "Tr")
    art = sample / "content/2026-02/kanra-nicaragua.md"  # changed: sync visits it
    art.write_text(art.read_text("utf-8").replace("。", "。追記しました。", 1), "utf-8")
    r = cli("-C", str(sample), "sync", "--no-mt")
    assert r.code == 0, r.err
    drafted = po.read(p.catalog_path("en", "2026-02/kanra-nicaragua")).find(shared)
    assert review.origin(drafted).engine == "memory"
    db = sqlite3.connect(sample / ".l10n/memory.sqlite")
    stamps = dict(db.execute("SELECT rel, stat FROM sources"))
    db.close()
    for aid in p.article_ids():
        for lang in p.languages:
            rel = f"locales/{lang}/{aid}.po"
            assert stamps[rel] == "%d,%d,%d" % tuple(stat_key(sample / rel)), rel


def test_the_memory_records_a_catalog_as_written_not_as_a_later_writer_left_it(sample, cli):
    """Sync tells the memory about a catalog after writing it. If another writer (a
    translator in the TUI) saves the file in between, the memory must not file the
    newer file under the older content: it records the key taken under the lock when
    sync wrote, so its next refresh reads the translator's version."""
    from l10n.actions import save_translation
    from l10n.project_memory import ProjectMemory
    from l10n.workspace import update_catalog

    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    p = Project(sample)
    aid = "2026-02/oita-bay-area"
    memory = ProjectMemory(p)
    memory.db()
    as_written = update_catalog(p, "en", aid, lambda cat: cat)  # what sync holds
    assert as_written.disk_key is not None
    e = next(e for e in as_written.active() if not e.msgstr)
    save_translation(p, aid, "en", e.key, "Saved by the translator meanwhile.", "Tr")
    memory.learn("en", aid, as_written)
    assert memory.exact("en", e.msgid) is None  # not in what sync wrote
    assert memory.refresh() == 1  # the file is not the one recorded: read again
    assert memory.exact("en", e.msgid) == "Saved by the translator meanwhile."
    memory.close()
