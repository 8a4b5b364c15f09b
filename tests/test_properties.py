"""Property tests of the PO reader and writer (hypothesis).

* Any NFC text round-trips through a catalog byte for byte.
* GNU `msgfmt -c` accepts every catalog we write from valid gettext content.
* The 3-way merge takes every one-sided change and keeps every conflict resolvable.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from l10n import catalog as po
from l10n import gitmerge, review
from l10n.catalog import Catalog, Entry, make_headers

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# characters worth meeting often: escapes, quotes, line breaks, CJK, emoji (one code
# point and a ZWJ/flag sequence), full-width space and combining marks
SPECIAL = list('\n\t"\\ #~|.,:;「」（）。、！？\u3000\u00a0\u2028\ufeff'
               "大分県日本語アイウエオ한국어ñéü\u0301😀🇯🇵👩\u200d💻")
# what the writer refuses (tests/test_po_attacks.py): control characters but TAB and LF
# in strings, and every control character in a comment
CONTROLS = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\n\t")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def texts(exclude: str = "", min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """NFC Unicode text, no control character but TAB and LF, no surrogates, with the
    special characters above often."""
    chars = st.one_of(
        st.sampled_from([c for c in SPECIAL if c not in exclude]),
        st.characters(blacklist_categories=("Cs",), blacklist_characters=CONTROLS + exclude),
    )
    return (st.text(chars, min_size=min_size, max_size=max_size).map(nfc)
            .filter(lambda s: len(s) >= min_size and not any(c in s for c in exclude)))


# a comment is one line of a PO file: no line break, no TAB
LINE = texts(exclude="\n\t")
# an extracted comment or a flag line needs some text (polib skips an empty one)
TEXT_LINE = LINE.filter(lambda s: s.strip() != "")
FLAG = st.sampled_from(["fuzzy", "no-wrap", "python-format", "c-format", "range: 0..9"])


def sig(e: Entry):
    return (e.msgctxt, e.msgid, e.msgstr, e.comments, e.extracted, e.references, e.flags,
            e.previous_msgctxt, e.previous_msgid, e.obsolete, e.msgid_plural, e.msgstr_plural)


@st.composite
def entries(draw, obsolete: bool = False) -> Entry:
    e = Entry(
        msgid=draw(texts()), msgstr=draw(texts()),
        msgctxt=draw(st.none() | texts()),
        comments=draw(st.lists(LINE, max_size=3)),
        extracted=draw(st.lists(TEXT_LINE, max_size=2)),
        flags=draw(st.lists(FLAG, max_size=2, unique=True)),
        previous_msgctxt=draw(st.none() | texts(max_size=10)),
        previous_msgid=draw(st.none() | texts(max_size=20)),
        obsolete=obsolete,
    )
    if draw(st.integers(0, 5)) == 0:
        e.msgid_plural = draw(texts(min_size=1))
        e.msgstr = ""  # a plural entry has msgstr[n] instead
        e.msgstr_plural = {0: draw(texts())}  # one form fits every language's header
        e.flags = ["fuzzy"] + [f for f in e.flags if f != "fuzzy"]  # not all forms: a draft
    if not e.obsolete and not e.fuzzy:  # msgfmt -c's newline rule, which the writer keeps
        e.msgstr = _same_newlines(e.msgid, e.msgstr)
    if e.previous_msgid is None:
        e.previous_msgctxt = None  # GNU reads "#| msgctxt" alone as a syntax error
    if not obsolete:
        assume(not (e.msgid == "" and e.msgctxt is None))  # that is the header
    return e


@st.composite
def catalogs(draw) -> Catalog:
    both = draw(st.lists(st.tuples(entries(), st.booleans()), max_size=9,
                         unique_by=lambda p: p[0].key))  # one key, one entry, as msgfmt
    for e, obsolete in both:
        e.obsolete = obsolete
    active = [e for e, _ in both if not e.obsolete]
    old = [e for e, _ in both if e.obsolete]
    cat = Catalog(headers=make_headers(draw(st.sampled_from(["en", "ko", "es", "ja"])),
                                       draw(texts(exclude="\n\r", max_size=20)).strip() or "p"),
                  header_comments=draw(st.lists(LINE, max_size=3)),
                  header_fuzzy=draw(st.booleans()))
    cat.entries = active + old
    return cat


@SETTINGS
@given(catalogs())
def test_any_nfc_text_round_trips_byte_for_byte(cat):
    data = po.serialize(cat)
    back = po.parse(data)
    assert back.headers == cat.headers
    assert back.header_comments == cat.header_comments
    assert back.header_fuzzy == cat.header_fuzzy
    assert [sig(e) for e in back.entries] == [sig(e) for e in cat.entries]
    assert po.serialize(back) == data


# ------------------------------------------------------------------ msgfmt -c

def _same_newlines(msgid: str, text: str) -> str:
    """gettext's rule: a msgstr starts and ends with \\n exactly when its msgid does."""
    if not text:
        return text
    core = text.strip("\n") or "x"
    return ("\n" if msgid.startswith("\n") else "") + core + ("\n" if msgid.endswith("\n") else "")


# EOT (\x04) separates msgctxt from msgid in a compiled catalog: GNU msgfmt refuses it in
# any string, raw or escaped, so it is not gettext content
STRING = texts(exclude="\x04")


@st.composite
def valid_entries(draw, nplurals: int) -> Entry:
    msgid = draw(texts(exclude="\x04", min_size=1))
    e = Entry(msgid=msgid, msgctxt=draw(st.none() | STRING),
              comments=draw(st.lists(LINE, max_size=2)),
              flags=draw(st.sampled_from([[], ["fuzzy"]])))
    if draw(st.integers(0, 4)) == 0:
        e.msgid_plural = _same_newlines(msgid, draw(texts(exclude="\x04", min_size=1))) or msgid
        filled = draw(st.booleans())
        e.msgstr_plural = {i: _same_newlines(msgid, draw(texts(exclude="\x04", min_size=1)))
                           if filled else "" for i in range(nplurals)}
    else:
        e.msgstr = _same_newlines(msgid, draw(STRING))
    if e.fuzzy and draw(st.booleans()):
        e.previous_msgid = draw(texts(exclude="\x04", max_size=20))  # a former msgid
    return e


@st.composite
def valid_catalogs(draw) -> Catalog:
    lang = draw(st.sampled_from(["en", "ko", "es", "ja"]))
    cat = Catalog(headers=make_headers(lang, "newsletter"),
                  header_comments=draw(st.lists(LINE, max_size=2)))
    nplurals = int(cat.header("Plural-Forms").split("nplurals=")[1].split(";")[0])
    # one key, one entry: GNU tools reject an obsolete entry that repeats any key
    es = draw(st.lists(valid_entries(nplurals), max_size=10, unique_by=lambda e: e.key))
    for e in es:
        e.obsolete = draw(st.integers(0, 4)) == 0
    cat.entries = [e for e in es if not e.obsolete] + [e for e in es if e.obsolete]
    return cat


@SETTINGS
@given(valid_catalogs())
def test_msgfmt_accepts_every_catalog_we_write(cat):
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "x.po"
        f.write_bytes(po.serialize(cat))
        p = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(f)], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr + f.read_text("utf-8")


# ------------------------------------------------------------------ 3-way merge

WHEN = "2026-02-03T09:12:00Z"


@st.composite
def edits(draw, base: list[Entry]) -> list[Entry]:
    """One side's version of the base: some entries edited, approved, removed, obsoleted,
    some added."""
    out = []
    for e in base:
        op = draw(st.sampled_from(["keep", "keep", "keep", "edit", "approve", "drop", "obsolete"]))
        e = e.copy()
        if op == "edit":
            text = _same_newlines(e.msgid, draw(texts(min_size=1, max_size=10)))
            review.set_translation(e, text, "T", when=WHEN)
        elif op == "approve":
            review.approve(e, draw(st.sampled_from(["A", "B"])), when=WHEN)
        elif op == "drop":
            continue
        elif op == "obsolete":
            e.obsolete = True
        out.append(e)
    for n in range(draw(st.integers(0, 2))):
        e = Entry(f"新{draw(st.integers(0, 3))}", _same_newlines("新", draw(texts(max_size=5))), "body")
        if e.key not in {x.key for x in out}:
            out.insert(draw(st.integers(0, len(out))), e)
    return out


@st.composite
def three_versions(draw):
    base = [Entry(f"文{i}", f"s{i}", "body", flags=["fuzzy"]) for i in range(draw(st.integers(0, 6)))]
    mk = lambda es: Catalog(headers=make_headers("en", "p"), entries=es)  # noqa: E731
    return mk(base), mk(draw(edits(base))), mk(draw(edits(base)))


@SETTINGS
@given(three_versions())
def test_merge_takes_one_sided_changes_and_conflicts_resolve_to_either_side(v):
    base, ours, theirs = v
    res = gitmerge.merge3(base, ours, theirs)
    data = po.serialize(res.catalog)
    got = po.parse(data)
    assert po.serialize(got) == data
    b = {e.key: sig(e) for e in base.entries}
    o = {e.key: sig(e) for e in ours.entries}
    t = {e.key: sig(e) for e in theirs.entries}
    assert len({e.key for e in got.entries}) == len(got.entries)  # no duplicate, even obsolete
    merged = {e.key: e for e in got.entries if not gitmerge.entry_conflict(e)}
    conflicted = {c.key: c for c in gitmerge.conflicts(got)}
    assert set(conflicted) == set(res.conflicts)
    for key in set(b) | set(o) | set(t):
        want = o.get(key) if o.get(key) == t.get(key) or t.get(key) == b.get(key) else (
            t.get(key) if o.get(key) == b.get(key) else "conflict")
        if want == "conflict":
            c = conflicted[key]
            assert (sig(c.ours) if c.ours else None) == o.get(key)
            assert (sig(c.theirs) if c.theirs else None) == t.get(key)
            assert review.state(c.entry) != review.APPROVED
        elif want is None:
            assert key not in merged
        else:
            assert sig(merged[key]) == want
    # resolving everything to one side gives that side's entries exactly
    for side, cat in (("ours", ours), ("theirs", theirs)):
        r = po.parse(data)
        for key in list(conflicted):
            gitmerge.resolve_entry(r, key, side)
        assert not gitmerge.has_conflicts(r)
        for e in r.entries:
            if e.key in conflicted:
                assert sig(e) == {x.key: sig(x) for x in cat.entries}[e.key]
        assert po.parse(po.serialize(r))  # still a valid catalog
