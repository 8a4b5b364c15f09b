"""Attacks on the PO reader and writer, the approval hash and the catalog headers
(issues 12, 13, 14, 16). Each test fails on the hand-written PO code and the 64-bit
approval hash this replaced."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n import catalog as po
from l10n import review
from l10n.catalog import Catalog, Entry, make_headers
from l10n.errors import InputError
from tests.conftest import copy_sample, msgfmt_check, tree_digest

HEAD = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')  # 6 lines, entries from line 7
WHEN = "2026-02-03T09:12:00Z"
INJECT = 'x\n\nmsgid "injected"\nmsgstr "pwned"'


def parse(body: str) -> Catalog:
    return po.parse((HEAD + body).encode(), "x.po")


def refused(body: str) -> InputError:
    with pytest.raises(InputError) as err:
        parse(body)
    assert err.value.path == "x.po"
    return err.value


def catalog(*entries: Entry, lang: str = "en") -> Catalog:
    return Catalog(headers=make_headers(lang, "p"), entries=list(entries))


# ------------------------------------------------------------------ injection

def test_a_line_break_in_an_image_file_cannot_inject_entries(sample, cli):
    art = sample / "content/2026-02/oita-bay-area.md"
    text = art.read_text("utf-8")
    assert "images:\n" in text
    text = text.replace("images:\n", 'images:\n  - file: "evil.jpg\\n\\nmsgid \\"injected\\"\\nmsgstr \\"pwned\\""\n'
                                     '    caption: 悪い画像\n', 1)
    art.write_text(text, "utf-8")
    before = tree_digest(sample)
    r = cli("-C", str(sample), "sync", "--no-mt")
    assert r.code == 2
    assert "oita-bay-area.md:" in r.err and "line break" in r.err
    assert tree_digest(sample) == before  # nothing written, no template, no catalog


@pytest.mark.parametrize("field", ["comments", "extracted", "references", "flags",
                                   "header_comments", "header"])
def test_the_writer_refuses_a_line_break_in_every_line_field(field):
    e = Entry("文", "text", "body")
    cat = catalog(e)
    if field == "header_comments":
        cat.header_comments = [INJECT]
    elif field == "header":
        cat.headers.append(("X-Note", 'a\nInjected-Field: b'))
    else:
        getattr(e, field).append(INJECT)
    with pytest.raises(InputError) as err:
        po.serialize(cat)
    assert "line break" in str(err.value)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x04", "\x7f", "\x85", "\r", "\x0b"])
@pytest.mark.parametrize("field", ["msgctxt", "msgid", "msgstr", "previous_msgid",
                                   "previous_msgctxt", "comments", "extracted"])
def test_no_nul_or_raw_control_character_is_ever_written(field, char):
    e = Entry("文", "text", "body", flags=["fuzzy"])
    if field in ("comments", "extracted"):
        getattr(e, field).append(f"a{char}b")
    else:
        setattr(e, field, f"a{char}b")
    with pytest.raises(InputError) as err:
        po.serialize(catalog(e))
    assert "NUL" in str(err.value) or "control character" in str(err.value) or "line break" in str(err.value)


def test_a_nul_escape_in_a_po_file_is_refused_with_its_line(sample_committed, cli):
    assert "NUL" in str(refused('msgid "a"\nmsgstr "b\\0c"\n'))
    assert refused('msgid "a"\nmsgstr "b\\0c"\n').line == 8
    assert refused('msgid "a"\nmsgstr ""\n"b\\x00"\n').line == 9
    assert refused('msgid "a\\033[2J"\nmsgstr ""\n').line == 7  # a terminal escape
    path = sample_committed / "locales/ko/2026-02/oita-bay-area.po"
    lines = path.read_text("utf-8").split("\n")
    at = next(i for i, x in enumerate(lines) if x.startswith('msgstr "') and x != 'msgstr ""')
    lines[at] = lines[at][:-1] + '\\0"'
    path.write_text("\n".join(lines), "utf-8")
    before = tree_digest(sample_committed)
    r = cli("-C", str(sample_committed), "status")
    assert r.code == 2 and f"oita-bay-area.po:{at + 1}:" in r.err and "NUL" in r.err
    assert tree_digest(sample_committed) == before


def test_a_nul_in_the_project_name_is_refused_with_its_line(sample, cli):
    cfg = sample / "l10n.yaml"
    text = cfg.read_text("utf-8").split("\n")
    at = next(i for i, x in enumerate(text) if x.startswith("project:"))
    text[at] = 'project: "News\\0letter"'
    cfg.write_text("\n".join(text), "utf-8")
    before = tree_digest(sample)
    r = cli("-C", str(sample), "sync", "--no-mt")
    assert r.code == 2 and f"l10n.yaml:{at + 1}:" in r.err and "NUL" in r.err
    assert tree_digest(sample) == before


# ------------------------------------------------------------------ GNU semantics

def test_octal_and_hex_escapes_are_bytes_as_in_gnu_msgfmt(tmp_path):
    cat = parse('msgid "cafe"\nmsgstr "caf\\303\\251"\n\nmsgid "tea"\nmsgstr "th\\xc3\\xa9"\n')
    assert [e.msgstr for e in cat.entries] == ["café", "thé"]
    cat.headers = make_headers("en", "p")
    f = tmp_path / "x.po"
    f.write_bytes(po.serialize(cat))
    assert msgfmt_check(f).returncode == 0, msgfmt_check(f).stderr
    mo = tmp_path / "x.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(tmp_path / "x.po")], check=True)
    assert "café".encode() in mo.read_bytes()
    # bytes that are not UTF-8 are refused, not turned into other characters
    assert "UTF-8" in str(refused('msgid "a"\nmsgstr "caf\\351"\n'))


def test_an_entry_with_both_msgstr_and_msgstr0_is_refused_with_its_line():
    err = refused('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\nmsgstr[0] "c"\n')
    assert err.line == 10
    err = refused('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "c"\nmsgstr "b"\n')
    assert err.line == 10


@pytest.mark.parametrize("index", ["99", "2", "99999999999"])
def test_absurd_plural_indexes_are_refused(index):
    body = f'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[{index}] "c"\n'
    assert refused(body).line == 10
    with pytest.raises(InputError):
        po.serialize(catalog(Entry("a", msgid_plural="as", msgstr_plural={0: "b", int(index): "c"})))


# ------------------------------------------------------------------ the msgfmt property

CHARS = st.one_of(st.characters(blacklist_categories=("Cs",)),
                  st.sampled_from(list('\n\t\r\x00\x04\x1b\x7f\x85"\\#~|:,. 　\u2028é大')))
TEXT = st.text(CHARS, max_size=12)


@st.composite
def arbitrary_entries(draw) -> Entry:
    e = Entry(msgid=draw(TEXT), msgstr=draw(TEXT), msgctxt=draw(st.none() | TEXT),
              comments=draw(st.lists(TEXT, max_size=2)), extracted=draw(st.lists(TEXT, max_size=2)),
              references=draw(st.lists(TEXT, max_size=2)), flags=draw(st.lists(TEXT, max_size=2)),
              previous_msgctxt=draw(st.none() | TEXT), previous_msgid=draw(st.none() | TEXT),
              obsolete=draw(st.booleans()))
    if draw(st.integers(0, 6)) == 0:
        e.msgid_plural, e.msgstr = draw(TEXT), ""
        e.msgstr_plural = {i: draw(TEXT) for i in range(draw(st.integers(0, 3)))}
    return e


def sig(e: Entry):
    return (e.msgctxt, e.msgid, e.msgstr, e.comments, e.extracted, e.references, e.flags,
            e.previous_msgctxt, e.previous_msgid, e.obsolete, e.msgid_plural, e.msgstr_plural)


@settings(max_examples=int(os.environ.get("L10N_PO_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["en", "ko", "es"]), TEXT, st.lists(TEXT, max_size=2),
       st.lists(arbitrary_entries(), max_size=12))
def test_arbitrary_text_in_every_field_is_refused_or_written_as_msgfmt_accepts(
        lang, project, header_comments, entries):
    """Serializing either refuses clearly (InputError) or writes a file that `msgfmt -c`
    accepts without a word and that reads back to the same model. The entries that are
    accepted one by one are then written together: one msgfmt call per example."""
    cat = Catalog(headers=make_headers(lang, project), header_comments=header_comments)
    try:
        po.serialize(cat)
    except InputError as exc:
        assert "cannot write the header" in str(exc)
        cat = Catalog(headers=make_headers(lang, "p"))
    keys: set = set()
    for e in entries:
        try:
            po.serialize(Catalog(headers=cat.headers, entries=[e]))
        except InputError as exc:
            assert str(exc).startswith("cannot write the entry"), str(exc)
            continue
        if e.key not in keys:
            keys.add(e.key)
            cat.entries.append(e)
    data = po.serialize(cat)
    back = po.parse(data)
    assert back.headers == cat.headers and back.header_comments == cat.header_comments
    ordered = [e for e in cat.entries if not e.obsolete] + [e for e in cat.entries if e.obsolete]
    assert [sig(e) for e in back.entries] == [sig(e) for e in ordered]
    assert po.serialize(back) == data
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "x.po"
        f.write_bytes(data)
        p = msgfmt_check(f)
        assert p.returncode == 0 and not p.stderr, p.stderr + data.decode()


# ------------------------------------------------------------------ approvals

def approved_entry(ctxt="body", msgid="知事が市長と会談した。", msgstr="The governor met the mayor.") -> Entry:
    e = Entry(msgid, msgstr, ctxt)
    review.approve(e, "Aiko", when=WHEN)
    return e


def test_an_approval_records_a_full_sha256_and_a_swapped_msgstr_voids_it():
    e = approved_entry()
    a = review.approval(e)
    assert len(a.hash) == 64 and int(a.hash, 16) >= 0
    assert review.state(e) == review.APPROVED
    e.msgstr = "The governor refused to meet the mayor."
    assert review.state(e) == review.TRANSLATED


def test_a_short_hash_approval_never_counts():
    e = Entry("文。", "Text.", "body")
    e.comments = [f"l10n: approved {WHEN} {review.legacy_entry_hash(e)} by Aiko"]
    assert review.approval(e) is not None  # recorded, but not valid
    assert review.state(e) == review.TRANSLATED


@pytest.mark.parametrize("a, b", [
    (("a\x04b", "c", "s"), ("a", "b\x04c", "s")),  # msgctxt | msgid boundary
    (("x", "a\x00b", "c"), ("x", "a", "b\x00c")),  # msgid | msgstr boundary
    (("", "m", "s"), (None, "m", "s")),  # an empty context is not no context
])
def test_an_approval_cannot_move_across_a_field_boundary(a, b):
    e1 = approved_entry(*a)
    e2 = Entry(b[1], b[2], b[0], comments=list(e1.comments))
    assert review.state(e1) == review.APPROVED
    assert review.entry_hash(e1) != review.entry_hash(e2)
    assert review.state(e2) == review.TRANSLATED


def _legacy(cat_path: Path) -> tuple[int, int]:
    """Turn every approval of a catalog back into the 64-bit form; (valid, total)."""
    cat = po.read(cat_path)
    n = 0
    for e in cat.entries:
        a = review.approval(e)
        if a is not None:
            e.comments = [f"l10n: approved {a.when} {review.legacy_entry_hash(e)} by {a.reviewer}"
                          if c.startswith("l10n: approved") else c for c in e.comments]
            n += 1
    # one approval whose content changed since: its short hash does not match
    stale = next(e for e in cat.entries if review.approval(e) and not e.obsolete)
    stale.msgstr += " (edited)"
    cat_path.write_bytes(po.serialize(cat))
    return n - 1, n


def test_sync_restamps_matching_short_hash_approvals_and_says_how_many(sample_committed, cli):
    path = sample_committed / "locales/en/2026-02/oita-bay-area.po"
    valid, total = _legacy(path)
    assert valid >= 5
    assert not any(review.state(e) == review.APPROVED for e in po.read(path).entries)
    r = cli("-C", str(sample_committed), "sync", "--no-mt", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["restamped"] == valid
    cat = po.read(path)
    assert sum(review.state(e) == review.APPROVED for e in cat.entries if not e.obsolete) == valid - sum(
        1 for e in cat.entries if e.obsolete and review.approval(e))
    assert sum(1 for e in cat.entries if review.approval(e) and len(review.approval(e).hash) == 16) == 1
    r = cli("-C", str(sample_committed), "sync", "--no-mt")
    assert "re-stamped" not in r.out  # done once


def test_the_sync_summary_shows_the_restamped_count(sample_committed, cli):
    valid, _ = _legacy(sample_committed / "locales/en/2026-02/oita-bay-area.po")
    r = cli("-C", str(sample_committed), "sync", "--no-mt")
    assert f"approvals re-stamped with a SHA-256 hash: {valid}" in r.out


# ------------------------------------------------------------------ headers

ES_RULES = ["nplurals=2; plural=(n != 1);",
            "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"]


def test_a_no_op_sync_writes_nothing_whatever_babel_says(sample_committed, cli, monkeypatch):
    """Babel 2.19 changed Spanish to nplurals=3: a catalog keeps the rule it has, under
    the installed Babel and under Babel's other rule (simulated); a NEW catalog takes
    Babel's rule."""
    from babel.messages.plurals import get_plural

    before = tree_digest(sample_committed)  # a fresh clone: the first sync merges all
    assert cli("-C", str(sample_committed), "sync", "--no-mt").code == 0
    assert tree_digest(sample_committed) == before
    found = dict(po.read(sample_committed / "locales/es/2026-02/oita-bay-area.po").headers)["Plural-Forms"]
    other = next(r for r in ES_RULES if r != found)

    class Rule:
        plural_forms = other

    monkeypatch.setattr(po, "get_plural", lambda lang: Rule() if lang == "es" else get_plural(lang))
    (sample_committed / ".l10n" / "sync-state.json").unlink()  # re-merge every catalog
    assert cli("-C", str(sample_committed), "sync", "--no-mt").code == 0
    assert tree_digest(sample_committed) == before
    assert dict(make_headers("es"))["Plural-Forms"] == other


def _headers(path: Path) -> dict:
    return dict(po.read(path).headers)


def test_revision_date_and_translator_change_only_when_a_translation_does(sample_committed, cli):
    path = sample_committed / "locales/es/2026-02/oita-bay-area.po"
    before = _headers(path)
    cat = po.read(path)
    e = next(e for e in cat.entries if not e.obsolete and e.msgstr and not e.fuzzy)
    assert cli("-C", str(sample_committed), "sync", "--no-mt").code == 0
    assert _headers(path) == before
    r = cli("-C", str(sample_committed), "approve", "2026-02/oita-bay-area", "--lang", "es",
            "--msgid", e.msgid, "--as", "Rita Revisora")
    assert r.code == 0, r.err
    after = _headers(path)
    assert after["Last-Translator"] == "Rita Revisora"
    assert after["PO-Revision-Date"] != before["PO-Revision-Date"]
    assert len(after["PO-Revision-Date"]) == len("2026-02-03 09:12+0000")
    assert cli("-C", str(sample_committed), "sync", "--no-mt").code == 0
    assert _headers(path) == after  # no churn
    assert msgfmt_check(path).returncode == 0


def test_concurrent_revisions_merge_to_the_later_one_without_a_conflict():
    from l10n.gitmerge import merge3

    base = catalog(Entry("a", "x"), Entry("b", "y"))
    ours, theirs = catalog(Entry("a", "x1"), Entry("b", "y")), catalog(Entry("a", "x"), Entry("b", "y1"))
    from datetime import datetime, timezone

    po.stamp_revision(ours, "Aiko", datetime(2026, 2, 3, 9, 0, tzinfo=timezone.utc))
    po.stamp_revision(theirs, "Ken", datetime(2026, 2, 3, 10, 0, tzinfo=timezone.utc))
    res = merge3(base, ours, theirs)
    assert res.clean
    assert res.catalog.header("Last-Translator") == "Ken"
    assert res.catalog.header("PO-Revision-Date") == "2026-02-03 10:00+0000"


def test_msgfmt_accepts_every_file_we_write_without_a_warning(sample, cli):
    """The sample's catalogs and templates, a fresh sync, and catalogs after a person's
    approve, reject and save: `msgfmt -c` prints nothing at all."""
    from l10n import actions
    from l10n.project import Project

    repo = Path(__file__).resolve().parent.parent
    files = sorted((repo / "locales").rglob("*.po")) + sorted((repo / "locales").rglob("*.pot"))
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    proj = Project(sample)
    cat = po.read(sample / "locales/ko/2026-02/kanra-nicaragua.po")
    e = next(e for e in cat.entries if not e.obsolete)
    actions.save_translation(proj, "2026-02/kanra-nicaragua", "ko", e.key, "번역", "Mina")
    actions.reject(proj, "2026-02/kanra-nicaragua", "ko", "Rev", "say it better", key=e.key)
    files += sorted((sample / "locales").rglob("*.po")) + sorted((sample / "locales").rglob("*.pot"))
    assert len(files) >= 40
    for f in files:
        p = msgfmt_check(f)
        assert p.returncode == 0 and p.stderr == "", f"{f}: {p.stderr}"
    assert dict(po.read(sample / "locales/ko/2026-02/kanra-nicaragua.po").headers)["Last-Translator"] == "Rev"
    tmpl = dict(po.read(sample / "locales/templates/2026-02/kanra-nicaragua.pot").headers)
    assert tmpl["Language"] == "ja" and tmpl["PO-Revision-Date"] == "" and tmpl["Last-Translator"] == ""
