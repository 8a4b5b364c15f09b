"""`l10n sync --no-mt`: templates and catalogs that survive changes to the source."""
from __future__ import annotations

import json
import os

import polib

from l10n import catalog as po
from l10n import review
from tests.conftest import msgfmt_check, tree_digest

LANGS = ("en", "ko", "es")
OITA = "2026-02/oita-bay-area"


def catalogs(root):
    return sorted((root / "locales").glob("*/2026-02/*.po"))


def test_sync_writes_templates_and_catalogs_that_msgfmt_accepts(sample, cli):
    r = cli("-C", str(sample), "sync", "--no-mt")
    assert r.code == 0, r.err
    pots = sorted((sample / "locales/templates/2026-02").glob("*.pot"))
    assert len(pots) == 5
    pos = catalogs(sample)
    assert len(pos) == 15
    for p in pos + pots:
        res = msgfmt_check(p)
        assert res.returncode == 0, (p, res.stderr)
    cat = po.read(sample / "locales/ko/2026-02/oita-bay-area.po")
    assert cat.language == "ko"
    first = cat.active()[0]
    assert first.msgctxt == "title" and first.msgid.startswith("大分県知事")
    roles = {e.msgctxt for e in cat.active()}
    assert roles == {"title", "summary", "caption", "tag", "heading", "body"}


def test_second_sync_changes_no_byte(sample, cli):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    before = tree_digest(sample)
    mtimes = {p: p.stat().st_mtime_ns for p in (sample / "locales").rglob("*.po*")}
    r = cli("-C", str(sample), "sync", "--no-mt")
    assert r.code == 0
    assert tree_digest(sample) == before
    assert {p: p.stat().st_mtime_ns for p in (sample / "locales").rglob("*.po*")} == mtimes
    # the same holds when sync has no cache to lean on (a fresh clone)
    import shutil

    shutil.rmtree(sample / ".l10n")
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    assert tree_digest(sample) == before


def test_without_key_sync_says_drafts_need_the_key(sample, cli):
    r = cli("-C", str(sample), "sync")
    assert r.code == 0
    assert "DEEPL_AUTH_KEY" in r.out


def _approve_all(root, cli, lang="en"):
    path = root / f"locales/{lang}/{OITA}.po"
    cat = po.read(path)
    for e in cat.active():
        e.msgstr = f"EN {len(e.msgid)}: translation"
    path.write_bytes(po.serialize(cat))
    r = cli("-C", str(root), "approve", OITA, "--lang", lang, "--all", "--as", "Rev",
            "--override", "test data")
    assert r.code == 0, r.err
    return po.read(path)


def _states(path):
    return {e.msgid: review.state(e) for e in po.read(path).active()}


def test_edited_sentence_becomes_draft_with_previous_msgid(sample, cli):
    cli("-C", str(sample), "sync", "--no-mt")
    _approve_all(sample, cli)
    art = sample / f"content/{OITA}.md"
    old = "佐藤知事は、サンフランシスコのルーリー市長と会談しました。"
    new = "佐藤知事は、サンフランシスコのルーリー市長と市庁舎で会談しました。"
    art.write_text(art.read_text("utf-8").replace(old, new), "utf-8")
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    path = sample / f"locales/en/{OITA}.po"
    cat = po.read(path)
    e = cat.find(new)
    assert e.fuzzy and e.previous_msgid == old
    assert review.state(e) == review.DRAFT
    assert e.msgstr == f"EN {len(old)}: translation"
    states = _states(path)
    assert states.pop(new) == review.DRAFT
    assert set(states.values()) == {review.APPROVED}
    # like GNU msgmerge, the old entry lives on in the draft (#| msgid), not as obsolete
    assert cat.obsolete() == []


def test_removed_sentence_becomes_obsolete_at_the_end(sample, cli):
    cli("-C", str(sample), "sync", "--no-mt")
    _approve_all(sample, cli)
    art = sample / f"content/{OITA}.md"
    gone = "ベイエリアは世界有数の先端技術の集積地であり、多様な文化が共存する地域としても知られています。"
    art.write_text(art.read_text("utf-8").replace(gone, ""), "utf-8")
    cli("-C", str(sample), "sync", "--no-mt")
    path = sample / f"locales/en/{OITA}.po"
    cat = po.read(path)
    assert cat.find(gone) is None
    assert [e.msgid for e in cat.obsolete()] == [gone]
    assert cat.entries[-1].obsolete
    text = path.read_text("utf-8")
    assert text.rstrip().splitlines()[-1].startswith("#~ msgstr")
    assert set(_states(path).values()) == {review.APPROVED}


def test_moved_sentence_keeps_translation_and_approval(sample, cli):
    cli("-C", str(sample), "sync", "--no-mt")
    _approve_all(sample, cli)
    art = sample / f"content/{OITA}.md"
    text = art.read_text("utf-8")
    moving = "知事は大分の温泉や食の魅力を紹介し、ベイエリアの人々に大分への訪問を呼びかけました。"
    text = text.replace(moving, "")
    text = text.replace("外務省は、今後も", moving + "外務省は、今後も")
    art.write_text(text, "utf-8")
    cli("-C", str(sample), "sync", "--no-mt")
    path = sample / f"locales/en/{OITA}.po"
    states = _states(path)
    assert states[moving] == review.APPROVED
    assert set(states.values()) == {review.APPROVED}
    ids = [e.msgid for e in po.read(path).active()]
    assert ids.index(moving) > ids.index("佐藤知事は、サンフランシスコのルーリー市長と会談しました。")
    assert not po.read(path).obsolete()


def test_approval_survives_gnu_msgmerge(sample, cli, tmp_path):
    import subprocess

    cli("-C", str(sample), "sync", "--no-mt")
    _approve_all(sample, cli)
    path = sample / f"locales/en/{OITA}.po"
    pot = sample / f"locales/templates/{OITA}.pot"
    out = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--previous", "-q", "-o", str(out), str(path), str(pot)], check=True)
    os.replace(out, path)
    r = cli("-C", str(sample), "status", "--json", "--lang", "en")
    art = next(a for a in json.loads(r.out)["articles"] if a["id"] == OITA)
    c = art["languages"]["en"]
    assert c["approved"] == c["entries"] > 0


def test_msgstr_changed_by_another_tool_voids_the_approval(sample, cli):
    cli("-C", str(sample), "sync", "--no-mt")
    _approve_all(sample, cli)
    path = sample / f"locales/en/{OITA}.po"
    pf = polib.pofile(str(path), wrapwidth=0)
    target = pf[3]
    target.msgstr = "Edited in another editor."
    pf.save()
    r = cli("-C", str(sample), "status", "--json", "--lang", "en")
    c = next(a for a in json.loads(r.out)["articles"] if a["id"] == OITA)["languages"]["en"]
    assert c["approved"] == c["entries"] - 1
    assert c["translated"] == 1
    # and with sed-like editing of the raw bytes, too
    raw = path.read_text("utf-8").replace("Edited in another editor.", "Edited again.")
    path.write_text(raw, "utf-8")
    assert review.state(po.read(path).find(target.msgid)) == review.TRANSLATED


def test_identical_sentences_share_one_entry(sample, cli):
    art = sample / f"content/{OITA}.md"
    s = "外務省は、今後も地方の魅力を世界に発信する取組を支援していきます。"
    art.write_text(art.read_text("utf-8") + f"\n{s}\n", "utf-8")
    cli("-C", str(sample), "sync", "--no-mt")
    cat = po.read(sample / f"locales/ko/{OITA}.po")
    assert sum(1 for e in cat.active() if e.msgid == s) == 1


def test_paragraph_mode_makes_one_unit_per_block(sample, cli):
    cfg = sample / "l10n.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("segmentation: sentence", "segmentation: paragraph"), "utf-8")
    cli("-C", str(sample), "sync", "--no-mt")
    cat = po.read(sample / f"locales/en/{OITA}.po")
    body = [e for e in cat.active() if e.msgctxt == "body"]
    assert body[0].msgid.startswith("2025年11月、大分県の佐藤知事が")
    assert body[0].msgid.endswith("知られています。")
    assert len(body) == 8  # 5 paragraphs + 3 list items


def test_parallel_sync_writes_the_same_bytes_and_still_refuses_bad_input(tmp_path, cli, monkeypatch):
    """A large re-merge runs in several processes (L10N_JOBS forces it here)."""
    import shutil

    from tests.conftest import copy_sample

    one = copy_sample(tmp_path / "one")
    assert cli("-C", str(one), "sync", "--no-mt").code == 0
    _approve_all(one, cli)
    for f in (one / "content/2026-02").glob("*.md"):
        f.write_text(f.read_text("utf-8").replace("。", "。追記しました。", 1), "utf-8")
    two = tmp_path / "two"
    shutil.copytree(one, two)
    monkeypatch.setenv("L10N_JOBS", "1")
    assert cli("-C", str(one), "sync", "--no-mt").code == 0
    monkeypatch.setenv("L10N_JOBS", "2")
    assert cli("-C", str(two), "sync", "--no-mt").code == 0
    assert tree_digest(one / "locales") == tree_digest(two / "locales")
    # a broken article among many: exit 2, nothing written, with file and line
    for f in (two / "content/2026-02").glob("*.md"):
        f.write_text(f.read_text("utf-8").replace("。", "。再び。", 1), "utf-8")
    (two / f"content/{OITA}.md").write_text("---\ntitle: [broken\ndate: 2026-02-01\n---\n本文。\n", "utf-8")
    # a later one too, read by the other process: the error is the first in article order
    (two / "content/2026-02/small-cities-korea.md").write_text("---\ntitle: x\n---\n本文。\n", "utf-8")
    before = tree_digest(two / "locales")
    r = cli("-C", str(two), "sync", "--no-mt")
    assert r.code == 2 and "oita-bay-area.md:3:" in r.err and "small-cities" not in r.err
    assert tree_digest(two / "locales") == before


def test_a_catalogs_own_language_team_survives_a_merge(sample, cli):
    """Like msgmerge, a merge keeps the team a catalog names; a new catalog gets Babel's
    English name of the language."""
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    path = sample / f"locales/en/{OITA}.po"
    assert po.read(path).header("Language-Team") == "English"
    assert po.read(sample / f"locales/ko/{OITA}.po").header("Language-Team") == "Korean"
    path.write_text(path.read_text("utf-8").replace(
        '"Language-Team: English\\n"', '"Language-Team: English <en@example.org>\\n"'), "utf-8")
    art = sample / f"content/{OITA}.md"
    art.write_text(art.read_text("utf-8").replace("。", "。追記しました。", 1), "utf-8")
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    cat = po.read(path)
    assert any("追記しました" in e.msgid for e in cat.active())
    assert cat.header("Language-Team") == "English <en@example.org>"


def test_a_worker_error_that_does_not_pickle_reaches_the_parent_as_text():
    from l10n.sync_parallel import send_error as _send_error

    class Odd(Exception):
        def __init__(self, msg):
            super().__init__(msg)
            self.callback = lambda: None  # lambdas do not pickle

    sent = []

    class Conn:
        def send(self, msg):
            import pickle

            sent.append(pickle.loads(pickle.dumps(msg)))

    _send_error(Conn(), 3, Odd("disk on fire"))
    kind, index, exc = sent[0]
    assert (kind, index, type(exc), str(exc)) == ("error", 3, RuntimeError, "Odd: disk on fire")
    _send_error(Conn(), 1, ValueError("plain"))
    assert type(sent[1][2]) is ValueError and str(sent[1][2]) == "plain"
