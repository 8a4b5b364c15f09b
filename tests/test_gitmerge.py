"""Git merges of PO catalogs: the 3-way merge, the driver, conflicts and `l10n resolve`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from l10n import catalog as po
from l10n import gitmerge, review
from l10n.catalog import Catalog, Entry, make_headers
from l10n.gitmerge import OURS, THEIRS, merge3
from l10n.project import Project
from l10n.storage import atomic_write
from tests.conftest import REPO, msgfmt_check, run

ART = "2026-02/oita-bay-area"
WHEN = "2026-02-03T09:12:00Z"


# =========================================================================== unit: merge3

def cat_of(*entries: Entry, lang: str = "en") -> Catalog:
    return Catalog(headers=make_headers(lang, "t"), header_comments=["hc"],
                   entries=[e.copy() for e in entries])


def E(msgid: str, msgstr: str = "", ctxt: str | None = "body", **kw) -> Entry:
    return Entry(msgid, msgstr, ctxt, **kw)


def approved(e: Entry, who: str = "R") -> Entry:
    e = e.copy()
    review.approve(e, who, when=WHEN)
    return e


def edited(e: Entry, text: str, who: str = "T") -> Entry:
    e = e.copy()
    review.set_translation(e, text, who, when=WHEN)
    return e


def by_key(cat: Catalog) -> dict:
    return {e.key: e for e in cat.entries if not e.obsolete}


def roundtrip(cat: Catalog) -> Catalog:
    return po.parse(po.serialize(cat))


BASE = cat_of(*(E(f"文{i}。", f"s{i}", flags=["fuzzy"]) for i in range(6)))


def test_reviewers_approving_different_entries_merge_cleanly():
    ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
    ours.entries[1] = approved(ours.entries[1], "Aiko")
    theirs.entries[2] = approved(theirs.entries[2], "Ken")
    res = merge3(BASE, ours, theirs)
    assert res.clean
    got = roundtrip(res.catalog)
    states = [review.state(e) for e in got.entries]
    assert states == ["draft", "approved", "approved", "draft", "draft", "draft"]
    assert review.approval(got.entries[1]).reviewer == "Aiko"
    assert review.approval(got.entries[2]).reviewer == "Ken"
    # symmetric
    assert po.serialize(merge3(BASE, theirs, ours).catalog) == po.serialize(res.catalog)


def test_output_is_serialized_and_only_changed_entries_differ_from_ours():
    ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
    theirs.entries[4] = approved(theirs.entries[4])
    out = po.serialize(merge3(BASE, ours, theirs).catalog).decode().split("\n")
    mine = po.serialize(ours).decode().split("\n")
    import difflib

    changed = [line for line in difflib.unified_diff(mine, out, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert sorted(changed) == sorted(["-#, fuzzy", f"+# l10n: approved {WHEN} "
                                      f"{review.entry_hash(theirs.entries[4])} by R"])


def test_added_removed_and_obsoleted_on_one_side_are_taken():
    ours = cat_of(*BASE.entries)
    theirs = cat_of(*BASE.entries)
    # theirs: adds one after 文2, removes 文0, obsoletes 文5
    theirs.entries.insert(3, E("新しい文。", "new"))
    del theirs.entries[0]
    theirs.entries[-1].obsolete = True
    # ours: adds one at the end, edits 文3
    ours.entries.append(E("最後の文。", "last"))
    ours.entries[3] = edited(ours.entries[3], "s3 edited")
    res = merge3(BASE, ours, theirs)
    assert res.clean
    got = roundtrip(res.catalog)
    assert [e.msgid for e in got.active()] == ["文1。", "文2。", "新しい文。", "文3。", "文4。", "最後の文。"]
    assert [e.msgid for e in got.obsolete()] == ["文5。"]
    assert by_key(got)[("body", "文3。")].msgstr == "s3 edited"


def test_same_change_on_both_sides_is_taken_once():
    ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
    for c in (ours, theirs):
        c.entries[0] = approved(c.entries[0])
        c.entries.append(E("同じ新文。", "same"))
    res = merge3(BASE, ours, theirs)
    assert res.clean
    assert po.serialize(res.catalog) == po.serialize(ours)


def test_theirs_reordering_is_kept_when_ours_did_not_reorder():
    ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
    theirs.entries.reverse()
    ours.entries.insert(2, E("挿入。", "x"))
    got = merge3(BASE, ours, theirs).catalog
    assert [e.msgid for e in got.entries] == ["文5。", "文4。", "文3。", "文2。", "文1。", "挿入。", "文0。"]  # after its predecessor


def _conflict_pair():
    ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
    ours.entries[2] = approved(edited(ours.entries[2], "ours text", "Aiko"), "Ken")
    theirs.entries[2] = edited(theirs.entries[2], 'theirs "text"\nwith a newline\u2028and more', "Ben")
    return ours, theirs


def test_conflict_keeps_ours_fuzzy_records_both_and_resolves_exactly():
    ours, theirs = _conflict_pair()
    res = merge3(BASE, ours, theirs)
    assert res.conflicts == [("body", "文2。")]
    data = po.serialize(res.catalog)
    assert b"\xe2\x80\xa8" not in data  # U+2028 escaped: one comment is one line for any reader
    got = po.parse(data)
    e = by_key(got)[("body", "文2。")]
    assert e.msgstr == "ours text" and e.fuzzy
    assert review.state(e) == review.DRAFT  # never publishable
    assert any(c.startswith("l10n: conflict ours {") for c in e.comments)
    (c,) = gitmerge.conflicts(got)
    assert po.serialize(cat_of(c.ours)) == po.serialize(cat_of(ours.entries[2]))
    assert po.serialize(cat_of(c.theirs)) == po.serialize(cat_of(theirs.entries[2]))
    for side, expected in ((OURS, ours), (THEIRS, theirs)):
        cat = po.parse(data)
        gitmerge.resolve_entry(cat, ("body", "文2。"), side)
        assert po.serialize(cat) == po.serialize(expected)
        assert not gitmerge.has_conflicts(cat)
    cat = po.parse(data)
    gitmerge.resolve_entry(cat, ("body", "文2。"), OURS)
    assert review.state(by_key(cat)[("body", "文2。")]) == review.APPROVED


def test_a_conflict_stays_a_draft_even_if_its_fuzzy_flag_is_removed_by_hand():
    ours, theirs = _conflict_pair()
    got = roundtrip(merge3(BASE, ours, theirs).catalog)
    e = by_key(got)[("body", "文2。")]
    e.fuzzy = False  # Poedit's "needs work" unticked: ours' approval would match again
    assert review.approval(e).hash == review.entry_hash(e)
    assert review.state(e) == review.DRAFT and not review.is_approved(e)
    from l10n.status import catalog_counts

    c = catalog_counts(got)
    assert (c["conflicts"], c["approved"], c["draft"]) == (1, 0, 6)


def test_delete_or_obsolete_against_edit_is_a_conflict():
    for gone in ("deleted", "obsoleted"):
        ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
        if gone == "deleted":
            del ours.entries[1]
        else:
            ours.entries[1].obsolete = True
        theirs.entries[1] = approved(theirs.entries[1])
        res = merge3(BASE, ours, theirs)
        assert res.conflicts == [("body", "文1。")], gone
        got = roundtrip(res.catalog)
        e = by_key(got)[("body", "文1。")]  # the surviving side shows, active and fuzzy
        assert e.msgstr == "s1" and e.fuzzy
        (c,) = gitmerge.conflicts(got)
        assert (c.ours is None) == (gone == "deleted")
        ours_back = po.parse(po.serialize(got))
        gitmerge.resolve_entry(ours_back, ("body", "文1。"), OURS)
        assert po.serialize(ours_back) == po.serialize(ours)
        theirs_back = po.parse(po.serialize(got))
        gitmerge.resolve_entry(theirs_back, ("body", "文1。"), THEIRS)
        assert po.serialize(theirs_back) == po.serialize(theirs)


def test_both_add_the_same_key_differently_without_ancestor():
    ours = cat_of(E("新文。", "ours"))
    theirs = cat_of(E("新文。", "theirs"))
    res = merge3(None, ours, theirs)  # git gives an empty %O on add/add
    assert res.conflicts == [("body", "新文。")]
    got = roundtrip(res.catalog)
    gitmerge.resolve_entry(got, ("body", "新文。"), THEIRS)
    assert po.serialize(got) == po.serialize(theirs)


def test_obsolete_entries_merge_like_the_others():
    base = cat_of(E("古い。", "old", obsolete=True))
    ours = cat_of(E("古い。", "old ours", obsolete=True))
    gone = cat_of()
    theirs = cat_of(E("古い。", "old theirs", obsolete=True))
    res = merge3(base, ours, base)
    assert res.clean and po.serialize(res.catalog) == po.serialize(ours)
    assert merge3(base, base, gone).catalog.entries == []
    # edited differently on both sides: one key may appear once only (GNU msgfmt), so a conflict
    for other in (theirs, gone):
        res = merge3(base, ours, other)
        assert res.conflicts == [(None, "古い。")] or res.conflicts == [("body", "古い。")]
        got = roundtrip(res.catalog)
        assert len(got.entries) == 1
        for side, want in ((OURS, ours), (THEIRS, other)):
            r = roundtrip(res.catalog)
            gitmerge.resolve_entry(r, ("body", "古い。"), side)
            assert po.serialize(r) == po.serialize(want)


def test_header_fields_merge_one_by_one_and_a_conflict_is_recorded():
    base = cat_of(*BASE.entries)
    ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
    ours.headers = [(k, "Aiko" if k == "Last-Translator" else v) for k, v in ours.headers]
    theirs.headers.append(("X-Reviewed", "yes"))
    res = merge3(base, ours, theirs)
    assert res.clean
    assert res.catalog.header("Last-Translator") == "Aiko" and res.catalog.header("X-Reviewed") == "yes"

    ours2, theirs2 = cat_of(*BASE.entries), cat_of(*BASE.entries)
    ours2.headers = [(k, "Ours Project" if k == "Project-Id-Version" else v) for k, v in ours2.headers]
    theirs2.headers = [(k, "Their Project" if k == "Project-Id-Version" else v) for k, v in theirs2.headers]
    res = merge3(base, ours2, theirs2)
    assert res.header_conflicts == ["Project-Id-Version"]
    got = roundtrip(res.catalog)
    assert got.header("Project-Id-Version") == "Ours Project"
    from l10n.status import catalog_counts

    assert catalog_counts(got)["conflicts"] == 1
    (hc,) = gitmerge.header_conflicts(got)
    assert (hc.ours, hc.theirs) == ("Ours Project", "Their Project")
    assert gitmerge.resolve_header(got, THEIRS) == ["Project-Id-Version"]
    assert po.serialize(got) == po.serialize(theirs2)


def test_merging_a_catalog_that_still_holds_a_conflict_nests_losslessly():
    ours, theirs = _conflict_pair()
    first = roundtrip(merge3(BASE, ours, theirs).catalog)  # committed unresolved
    third = cat_of(*theirs.entries)
    third.entries[2] = edited(third.entries[2], "a third text")
    res = merge3(theirs, first, third)
    assert res.conflicts == [("body", "文2。")]
    got = roundtrip(res.catalog)
    gitmerge.resolve_entry(got, ("body", "文2。"), OURS)
    assert po.serialize(got) == po.serialize(first)  # back to the first conflict
    gitmerge.resolve_entry(got, ("body", "文2。"), THEIRS)
    assert po.serialize(got) == po.serialize(theirs)


def test_resolving_an_entry_without_conflict_is_refused():
    from l10n.errors import InputError

    with pytest.raises(InputError, match="no conflict"):
        gitmerge.resolve_entry(cat_of(*BASE.entries), ("body", "文0。"), OURS)


# =========================================================================== the driver

def _write(p: Path, cat: Catalog) -> Path:
    p.write_bytes(po.serialize(cat))
    return p


def test_driver_merges_into_ours_and_exits_0_or_1(tmp_path, cli):
    o_ = _write(tmp_path / "O", BASE)
    ours, theirs = cat_of(*BASE.entries), cat_of(*BASE.entries)
    ours.entries[0] = approved(ours.entries[0])
    theirs.entries[1] = approved(theirs.entries[1])
    a, b = _write(tmp_path / "A", ours), _write(tmp_path / "B", theirs)
    r = cli("merge-driver", str(o_), str(a), str(b), "locales/en/x.po")
    assert r.code == 0, r.err
    assert [review.state(e) for e in po.read(a).entries][:2] == ["approved", "approved"]

    ours, theirs = _conflict_pair()
    a, b = _write(tmp_path / "A", ours), _write(tmp_path / "B", theirs)
    r = cli("merge-driver", str(o_), str(a), str(b), "locales/en/x.po")
    assert r.code == 1
    assert "locales/en/x.po" in r.err and "文2。" in r.err and "l10n resolve" in r.err
    assert len(gitmerge.conflicts(po.read(a))) == 1
    assert msgfmt_check(a).returncode == 0


def test_driver_refuses_a_side_that_does_not_parse_and_leaves_ours(tmp_path, cli):
    o_ = _write(tmp_path / "O", BASE)
    a = _write(tmp_path / "A", BASE)
    before = a.read_bytes()
    b = tmp_path / "B"
    b.write_bytes(po.serialize(BASE) + b'\nmsgid "broken\n')
    r = cli("merge-driver", str(o_), str(a), str(b), "locales/en/x.po")
    assert r.code == 2
    assert "locales/en/x.po:" in r.err and "their version (%B) does not parse" in r.err
    assert a.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    r = cli("merge-driver", str(o_), str(a))
    assert r.code == 2 and "--install" in r.err


# =========================================================================== in git

def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    p = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {p.stdout}{p.stderr}")
    return p


def _fill_drafts(project: Project, lang: str = "en") -> None:
    for aid in project.article_ids():
        path = project.catalog_path(lang, aid)
        cat = po.read(path)
        for i, e in enumerate(cat.active()):
            review.set_draft(e, f"{lang} draft {i} of {aid}", "deepl")
        atomic_write(path, po.serialize(cat))


@pytest.fixture
def repo(tmp_path, cli):
    """A git repository whose project lives in a sub-directory with a space in its name,
    with synced catalogs holding drafts, the driver installed, and one commit."""
    from tests.conftest import copy_sample

    top = tmp_path / "repo"
    root = copy_sample(top / "news letter")
    git(top.parent, "init", "-q", "-b", "main", str(top))
    git(top, "config", "user.name", "Lead")
    git(top, "config", "user.email", "lead@example.org")
    assert cli("-C", str(root), "sync", "--no-mt").code == 0
    _fill_drafts(Project(root))
    r = cli("-C", str(root), "merge-driver", "--install")
    assert r.code == 0, r.err
    assert sys.executable in git(top, "config", "merge.l10n-po.driver").stdout
    assert (root / ".gitattributes").read_text() == "*.po merge=l10n-po\n"
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "sample with drafts")
    return root


def _entries(root: Path, lang: str = "en"):
    return po.read(Project(root).catalog_path(lang, ART)).active()


def _branch(root: Path, name: str, *cmds: list[str], start: str = "main") -> None:
    top = root.parent
    git(top, "checkout", "-q", "-b", name, start)
    for c in cmds:
        r = run(["-C", str(root), *c])
        assert r.code == 0, r.err
    git(top, "commit", "-q", "-am", f"work on {name}")


def test_git_merge_of_two_reviewers_keeps_both_approvals(repo):
    top = repo.parent
    es = _entries(repo)
    m1, m2 = es[1].msgid, es[2].msgid  # neighbours: git's own line merge would conflict
    _branch(repo, "aiko", ["approve", ART, "--lang", "en", "--msgid", m1, "--as", "Aiko", "--override", "test data"])
    _branch(repo, "ken", ["approve", ART, "--lang", "en", "--msgid", m2, "--as", "Ken", "--override", "test data"])
    git(top, "checkout", "-q", "aiko")
    m = git(top, "merge", "--no-edit", "ken", check=False)
    assert m.returncode == 0, m.stdout + m.stderr
    got = {e.msgid: e for e in _entries(repo)}
    assert review.state(got[m1]) == review.APPROVED and review.approval(got[m1]).reviewer == "Aiko"
    assert review.state(got[m2]) == review.APPROVED and review.approval(got[m2]).reviewer == "Ken"
    assert sum(review.state(e) == review.APPROVED for e in got.values()) == 2
    assert msgfmt_check(Project(repo).catalog_path("en", ART)).returncode == 0
    # the merge commit changed only those two entries relative to each parent
    diff = git(top, "diff", "HEAD^1", "HEAD", "--", ".").stdout
    assert diff.count("\n+# l10n: approved") == 1 and "Ken" in diff and "Aiko" not in diff
    assert git(top, "status", "--porcelain").stdout == ""


def test_git_conflict_is_reported_listed_and_resolved(repo):
    top = repo.parent
    es = _entries(repo)
    target, other = es[3].msgid, es[5].msgid
    # ours: a translator rewrites the entry and a reviewer approves it
    code = ("import sys; from pathlib import Path; from l10n.project import Project; "
            "from l10n.actions import save_translation; p = Project(Path(sys.argv[1])); "
            "save_translation(p, sys.argv[2], 'en', (sys.argv[5], sys.argv[3]), sys.argv[4], 'Tomo')")

    def save(text: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        ctxt = [e for e in _entries(repo) if e.msgid == target][0].msgctxt
        subprocess.run([sys.executable, "-c", code, str(repo), ART, target, text, ctxt],
                       check=True, env=env)

    git(top, "checkout", "-q", "-b", "ours")
    save("Ours: the governor visited.")
    assert run(["-C", str(repo), "approve", ART, "--lang", "en", "--msgid", target, "--as", "Aiko", "--override", "test data"]).code == 0
    git(top, "commit", "-q", "-am", "ours")
    ours_entry = [e for e in _entries(repo) if e.msgid == target][0]
    git(top, "checkout", "-q", "-b", "theirs", "main")
    save('Theirs: the "governor" went\tthere.')
    assert run(["-C", str(repo), "approve", ART, "--lang", "en", "--msgid", other, "--as", "Ken", "--override", "test data"]).code == 0
    git(top, "commit", "-q", "-am", "theirs")
    theirs_entry = [e for e in _entries(repo) if e.msgid == target][0]

    git(top, "checkout", "-q", "ours")
    ours_sha = git(top, "rev-parse", "HEAD").stdout.strip()
    m = git(top, "merge", "--no-edit", "theirs", check=False)
    assert m.returncode != 0
    assert "CONFLICT" in m.stdout and "oita-bay-area.po" in m.stdout
    assert "l10n resolve" in m.stdout + m.stderr
    path = Project(repo).catalog_path("en", ART)
    assert msgfmt_check(path).returncode == 0  # a conflicted catalog is still valid gettext
    got = {e.msgid: e for e in _entries(repo)}
    assert got[target].msgstr == ours_entry.msgstr and review.state(got[target]) == review.DRAFT
    assert review.state(got[other]) == review.APPROVED  # the clean part merged

    st = run(["-C", str(repo), "status", "--json"])
    data = json.loads(st.out)
    assert data["total"]["en"]["conflicts"] == 1
    art = [a for a in data["articles"] if a["id"] == ART][0]
    assert art["languages"]["en"]["conflicts"] == 1
    text = run(["-C", str(repo), "status"]).out
    assert "en: 1 merge conflict to resolve (l10n resolve)" in text

    r = run(["-C", str(repo), "approve", ART, "--lang", "en", "--msgid", target, "--as", "Ken",
             "--override", "x"])
    assert r.code == 1 and "merge conflict: pick a side first" in r.err
    r = run(["-C", str(repo), "resolve", ART, "--lang", "en", "--msgid", other, "--take", "ours"])
    assert r.code == 2 and "no merge conflict" in r.err
    r = run(["-C", str(repo), "resolve", ART, "--lang", "en", "--msgid", target,
             "--take", "theirs", "--as", "Lead"])
    assert r.code == 0, r.err
    assert "1 conflict resolved by Lead, taking theirs" in r.out and "git add" in r.out
    got = {e.msgid: e for e in _entries(repo)}
    assert po.serialize(cat_of(got[target])) == po.serialize(cat_of(theirs_entry))
    assert review.state(got[other]) == review.APPROVED
    assert json.loads(run(["-C", str(repo), "status", "--json"]).out)["total"]["en"]["conflicts"] == 0
    assert "merge conflicts" not in run(["-C", str(repo), "status"]).out
    assert msgfmt_check(path).returncode == 0
    git(top, "add", "-A")
    git(top, "commit", "-q", "--no-edit")

    # the other way round, with --all: ours comes back approved (its hash still matches)
    git(top, "checkout", "-q", "-b", "again", ours_sha)
    m = git(top, "merge", "--no-edit", "theirs", check=False)
    assert m.returncode != 0
    r = run(["-C", str(repo), "resolve", ART, "--lang", "en", "--all", "--take", "ours"])
    assert r.code == 0, r.err
    e = [e for e in _entries(repo) if e.msgid == target][0]
    assert po.serialize(cat_of(e)) == po.serialize(cat_of(ours_entry))
    assert review.state(e) == review.APPROVED and review.approval(e).reviewer == "Aiko"


def test_git_merge_with_a_broken_side_reports_and_keeps_ours(repo):
    top = repo.parent
    path = Project(repo).catalog_path("en", ART)
    git(top, "checkout", "-q", "-b", "broken")
    path.write_bytes(path.read_bytes() + b'\nmsgid "unterminated\n')
    git(top, "commit", "-q", "-am", "broken")
    git(top, "checkout", "-q", "-b", "fine", "main")
    assert run(["-C", str(repo), "approve", ART, "--lang", "en", "--all", "--as", "A", "--override", "test data"]).code == 0
    git(top, "commit", "-q", "-am", "fine")
    before = path.read_bytes()
    m = git(top, "merge", "--no-edit", "broken", check=False)
    assert m.returncode != 0
    assert "their version (%B) does not parse" in m.stdout + m.stderr
    assert path.read_bytes() == before
