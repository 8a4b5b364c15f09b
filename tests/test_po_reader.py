"""Reading PO files (l10n/po_reader.py): every refusal names the file and the line, and
what the reader asks once per file instead of once per line (issue 15: the dashboard
reads 3,000 catalogs at a cold start) gives what asking every line gives."""
from __future__ import annotations

import dataclasses
import subprocess
from unittest import mock

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n import catalog as po
from l10n import po_reader, pofile
from l10n.controls import RAW
from l10n.errors import InputError

H = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
     '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')  # 5 lines: an entry starts at 6

# (file, line, message): every refusal of the reader, at the line a translator must fix
ERRORS = [
    # polib's own syntax errors, then the transitions its state machine refuses
    (H + 'msgid "a"\nmsgstrr "b"\n', 7, "syntax error: 'msgstrr \"b\"'"),
    (H + 'msgid "a"\nmsgstr "b"\n"c"d"\n', 8, "syntax error: '\"c\"d\"'"),
    (H + 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 8, "syntax error: 'msgstr \"c\"' cannot come here"),
    (H + 'msgctxt "c"\nmsgstr "x"\n', 7, "syntax error: 'msgstr \"x\"' cannot come here"),
    # strings: quotes, GNU escapes (bytes, then UTF-8), control characters
    (H + 'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "b"c"\n', 8, "an unescaped double quote inside a string"),
    (H + '#| msgid "a"b"\nmsgid "a"\nmsgstr "b"\n', 6, "an unescaped double quote inside a string"),
    (H + 'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "\\\\"b"\n', 8, "an unescaped double quote inside a string"),
    (H + 'msgid "a"\nmsgstr "b\n', 7, "expected a quoted string, found '\"b'"),
    (H + 'msgid "a\\x"\nmsgstr ""\n', 6, "\\x without hexadecimal digits"),
    (H + 'msgid "a\\777"\nmsgstr ""\n', 6, "the escape \\777 is not a byte"),
    (H + 'msgid "a\\q"\nmsgstr ""\n', 6, "unknown escape sequence \\q"),
    (H + 'msgid "\\377"\nmsgstr ""\n', 6, "escape sequences that are not UTF-8 text"),
    (H + 'msgid "a"\nmsgstr "\\001"\n', 7, "a control character U+0001 in a string"),
    (H + 'msgid "a"\nmsgstr "x\\0"\n', 7, "a NUL character in a string"),
    (H + 'msgid "a"\nmsgstr "x"\n"\\033"\n', 8, "a control character U+001B in a string"),
    # plural forms
    (H + 'msgid "a"\nmsgid_plural "p"\nmsgstr[x] "b"\n', 8, "a bad plural form 'msgstr[x] \"b\"'"),
    (H + 'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "b"\nmsgstr[0] "c"\n', 9, "msgstr[0] given twice in one entry"),
    (H + '#| msgid_plural "p"\nmsgid "a"\nmsgstr "b"\n', 6,
     "a previous msgid_plural (#| msgid_plural) is not supported"),
    # a TAB in every kind of comment line (the one control character a file may hold)
    ('# head\tcomment\n' + H, 1, "a control character U+0009 in a comment"),
    (H + '# a\tcomment\nmsgid "a"\nmsgstr "b"\n', 6, "a control character U+0009 in a comment"),
    (H + '#.\textracted\nmsgid "a"\nmsgstr "b"\n', 6, "a control character U+0009 in a comment"),
    (H + '#: a.md\t1\nmsgid "a"\nmsgstr "b"\n', 6, "a control character U+0009 in a comment"),
    (H + '#, fuzzy,\tc-format\nmsgid "a"\nmsgstr "b"\n', 6, "a control character U+0009 in a comment"),
    (H + 'msgid "a"\nmsgstr "b"\n\n#~ # old\tnote\n#~ msgid "o"\n#~ msgstr "p"\n', 9,
     "a control character U+0009 in a comment"),
    # entries that are not whole
    (H + 'msgid "a"\nmsgstr "b"\n\nmsgctxt "c"\n', 9, "an entry without msgid"),
    (H + 'msgid "a"\nmsgstr "b"\n\n# dangling\n', 9, "comment lines with no message after them"),
    (H + 'msgid "a"\nmsgstr "b"\n\n#, ,\n', 9, "comment lines with no message after them"),
    ('# only a comment\n', 1, "comment lines with no message after them"),
    (H + 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', 9, "an entry without msgstr"),
    (H + 'msgid "a"\nmsgid_plural "p"\nmsgstr "b"\n', 6, "msgid_plural without msgstr[n]"),
    (H + 'msgid "a"\nmsgstr[0] "b"\n', 6, "msgstr[n] without msgid_plural"),
    (H + '#~ msgid "a"\nmsgstr "b"\n', 6, "an entry mixes obsolete and active lines"),
    (H + '#~| msgid "o"\nmsgid "a"\nmsgstr "b"\n', 6, "an entry mixes obsolete and active lines"),
    (H + '  #~| msgid "o"\nmsgid "a"\nmsgstr "b"\n', 6, "an entry mixes obsolete and active lines"),
    # the rules of pofile.structure_problem, and duplicates
    (H + 'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "b"\nmsgstr[1] "c"\nmsgstr[2] "d"\n', 10,
     "plural forms [0, 1, 2] where the header allows msgstr[0] to msgstr[1]"),
    (H + 'msgid "a"\nmsgid_plural "p"\nmsgstr[0] "b"\n', 6, "1 plural forms where the header says nplurals=2"),
    (H + 'msgid "a"\nmsgid_plural ""\nmsgstr[0] "b"\nmsgstr[1] "c"\n', 6, "an empty msgid_plural"),
    (H + '#| msgctxt "c"\nmsgid "a"\nmsgstr "b"\n', 6,
     "a previous msgctxt (#| msgctxt) without a previous msgid"),
    (H + 'msgid ""\nmsgstr "x"\n', 6, "a second header entry (empty msgid)"),
    (H + '#~ msgid ""\n#~ msgstr "x"\n', 6, "an obsolete entry with an empty msgid"),
    (H + 'msgid "a\\n"\nmsgstr "b"\n', 6,
     "msgid and its translation do not both begin and end with a line break (msgfmt -c)"),
    (H + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 9, "duplicate entry 'a' (first at line 6)"),
    (H + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 9, "duplicate entry 'a' (first at line 6)"),
    # the header
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"no colon\\n"\n', 4,
     "bad header field 'no colon' (expected 'Name: value')"),
    ('msgid ""\nmsgstr ""\n"Language: ko\\n"\n', 1, "the header has no Content-Type charset"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=latin1\\n"\n', 1,
     "the catalog is in latin1; only UTF-8 is supported"),
    ('msgid "a"\nmsgstr "b"\n', 1, 'the catalog has no header entry (msgid "")'),
    # the bytes, before the parser
    (H + 'msgid "a"\nmsgstr "b\x1b"\n', 7,
     "a control character U+001B in the file (write it as an escape, or remove it)"),
    (H + 'msgid "a"\r\nmsgstr "b"\rx\n', 7, "a line break in the file (write it as an escape, or remove it)"),
    (H + '# a\x85b\nmsgid "a"\nmsgstr "b"\n', 6,
     "a control character U+0085 in the file (write it as an escape, or remove it)"),
]


@pytest.mark.parametrize("text, line, message", ERRORS)
def test_every_refusal_of_the_reader_names_the_file_and_the_line(text, line, message, tmp_path):
    f = tmp_path / "f.po"
    f.write_bytes(text.encode("utf-8"))
    with pytest.raises(InputError) as err:
        po.read(f)
    assert (err.value.path, err.value.line, err.value.message) == (str(f), line, message)


def test_crlf_files_and_previous_lines_of_obsolete_entries_are_read_as_before():
    text = (H + '# note\n#. extracted\n#: a.md:1\n#, fuzzy\n#| msgid "old"\nmsgid "a"\nmsgstr "b"\n\n'
            '# gone\n#~| msgctxt "pc"\n#~| msgid "po"\n#~ msgctxt "c"\n#~ msgid "o"\n#~ msgstr "p"\n')
    for data in (text.encode(), text.replace("\n", "\r\n").encode()):
        cat = po.parse(data, "f.po")
        active, gone = cat.entries
        assert (active.comments, active.extracted, active.references, active.flags,
                active.previous_msgid, active.lineno) == (["note"], ["extracted"], ["a.md:1"],
                                                         ["fuzzy"], "old", 6)
        assert (gone.obsolete, gone.msgctxt, gone.msgid, gone.previous_msgctxt, gone.previous_msgid,
                gone.comments, gone.lineno) == (True, "c", "o", "pc", "po", ["gone"], 14)
        assert po.serialize(cat) == text.encode()  # the round trip, byte for byte


def test_the_state_machine_is_polibs():
    """The reader's transitions are polib's own (`_POFileParser.__init__`), built once:
    each (line kind, state) pair polib allows, to the state polib goes to, through our
    handler of that name."""
    polibs = polib._POFileParser("", klass=lambda **kw: None).transitions
    assert po_reader._TRANSITIONS.keys() == polibs.keys()
    for key, (action, state) in polibs.items():
        ours, our_state = po_reader._TRANSITIONS[key]
        assert (ours.__name__, our_state) == (action.__name__, state)
        assert ours is getattr(po_reader.Parser, action.__name__)


# ---------------------------------------------------------------- the shortcuts, attacked

class EveryComment(po_reader.Parser):
    """The long way: every comment line's characters are checked, whatever the file holds
    (the reader checks them only in a file with a TAB)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_comments = True


def outcome(data: bytes):
    try:
        cat = po.parse(data, "f.po")
    except InputError as exc:
        return ("refused", exc.path, exc.line, exc.message)
    return ("read", cat.headers, cat.header_comments, cat.header_fuzzy,
            [dataclasses.astuple(e) for e in cat.entries])


HEADER = H.encode()
# every control character class, CR alone, C1 as UTF-8, a surrogate and a bad byte as
# UTF-8 would encode them, BOMs and Unicode line separators, the PO format's own marks
HOSTILE = [b"\t", b"\x00", b"\x01", b"\x1b", b"\x7f", b"\xc2\x85", b"\xc2\x9f", b"\r", b"\r\n",
           b"\xed\xa0\x80", b"\xff", b"\xef\xbb\xbf", "\u2028".encode(), "\u3000".encode(),
           b"\\", b'"', b"#", b"~", b"|", b",", b":", b".", b" ", "é大".encode(), b"a"]
COMMENT = st.sampled_from([b"#", b"# ", b"#.", b"#. ", b"#:", b"#: ", b"#,", b"#, ", b"#~ # ", b"#~ #. ",
                           b"#~ #, ", b"#~ #: ", b"  # ", b"\t# "])
MESSAGE = st.sampled_from([b'msgid "a"', b'msgstr "b"', b'msgctxt "c"', b'#~ msgid "o"', b'#~ msgstr "p"',
                           b'#| msgid "q"', b'#~| msgid "r"', b'msgid_plural "s"', b'msgstr[0] "t"',
                           b'msgstr[1] "u"', b'"v"', b"", b'msgid "a\\tb"', b'msgstr "\t"'])
LINE = st.one_of(
    st.builds(lambda m, cs: m + b"".join(cs), COMMENT, st.lists(st.sampled_from(HOSTILE), max_size=5)),
    MESSAGE,
    st.builds(lambda m, c: m + c, MESSAGE, st.sampled_from(HOSTILE)),
)


@st.composite
def hostile_files(draw) -> bytes:
    blocks = []
    for _ in range(draw(st.integers(0, 5))):
        key = draw(st.integers(0, 10**6))
        blocks.append(draw(st.lists(LINE, max_size=3))
                      + [b'msgid "k%d"' % key, b'msgstr "x"'] + draw(st.lists(LINE, max_size=2)))
    lines = [b"\n".join(b) for b in blocks]
    if draw(st.booleans()):
        lines.insert(0, b"\n".join(draw(st.lists(LINE, min_size=1, max_size=2))))
    return (draw(st.sampled_from([HEADER, HEADER, b""])) + b"\n\n".join(lines)
            + draw(st.sampled_from([b"", b"\n", b"\r\n"])))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_files())
def test_what_is_asked_once_per_file_refuses_or_reads_as_the_long_way_does(data):
    """The long way: every comment line's characters checked, and the file's text
    searched for raw control characters whatever its bytes say."""
    with mock.patch.object(po_reader, "Parser", EveryComment), \
            mock.patch.object(pofile, "raw_free", lambda data: False):
        slow = outcome(data)
    assert outcome(data) == slow


# every character class RAW knows, its edges, and the ones UTF-8 writes with the same
# lead byte as C1 (0xC2: NBSP, ¡, ¿, °)
CHARACTERS = st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.sampled_from(["\t", "\n", "\r", "\x00", "\x08", "\x0b", "\x1f", "\x20", "\x7e", "\x7f", "\x80",
                     "\x85", "\x9f", "\xa0", "¡", "¿", "°", "\u0100", "\u2028", "\ufeff", "大", "\U0001f600"]))


@settings(max_examples=3000, deadline=None)
@given(st.text(CHARACTERS, max_size=30))
def test_the_bytes_say_clean_exactly_when_the_text_has_no_raw_control_character(text):
    assert pofile.raw_free(text.encode("utf-8")) == (RAW.search(text) is None)


def test_the_hostile_files_reach_every_outcome():
    """The attack above is worth something: its files are read, refused for a comment's
    TAB, refused for a control character in the file, and refused by the parser."""
    seen = set()

    # derandomized: the same 1,000 files every run (a random draw of 400 missed the comment's
    # TAB now and then, which made this test flaky, not the reader wrong)
    @settings(max_examples=1000, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(hostile_files())
    def sample(data):
        r = outcome(data)
        if r[0] == "read":
            seen.add("read")
        elif r[3].endswith("in a comment"):
            seen.add("comment")
        elif r[3].endswith("in the file (write it as an escape, or remove it)"):
            seen.add("file")
        else:
            seen.add("parser")

    sample()
    assert seen == {"read", "comment", "file", "parser"}


def _unescaped(fn, body):
    try:
        return fn(body)
    except ValueError as exc:
        return ("refused", str(exc))


# escapes and their pieces, quotes, the characters around them
BODY = st.lists(st.one_of(st.sampled_from(["\\", "n", '"', "t", "x", "0", "3", "7", "8", "f", "é", "大", " "]),
                          st.sampled_from(["\\n", "\\\\", '\\"', "\\t", "\\303\\251", "\\x41", "\\q"])),
                max_size=12).map("".join)


@settings(max_examples=3000, deadline=None)
@given(BODY)
def test_strings_whose_only_escapes_are_line_breaks_read_as_the_long_way_reads_them(body):
    assert _unescaped(pofile.unescape, body) == _unescaped(pofile.unescape_bytes, body)


def test_the_line_break_shortcut_is_taken_and_refuses_a_quote():
    assert pofile.unescape("a\\nb\\n") == "a\nb\n"
    with pytest.raises(ValueError, match="an unescaped double quote inside a string"):
        pofile.unescape('a\\n"b')
    assert pofile.unescape("a\\\\n") == "a\\n"  # an escaped backslash, then n: the long way


OBSOLETE_COMMENTS = (H + 'msgid "a"\nmsgstr "b"\n\n#~ # note\n#~ #. extracted\n#~ #: ref.md:1\n'
                     '#~ #, fuzzy\n#~ msgid "old"\n#~ msgstr "alt"\n')


def test_an_obsolete_entrys_comments_written_after_hash_tilde_read_as_gnu_reads_them(tmp_path):
    """`#~ # note` (a tool that writes every line of an obsolete entry with `#~`): the
    note, the extracted comment, the reference and the flag are read as GNU reads them,
    and written back as msgcat writes them; read as `~ # note`, each rewrite of the file
    prefixed them again (`#. #. extracted`, a flag '#')."""
    f = tmp_path / "obsolete.po"
    f.write_text(OBSOLETE_COMMENTS, "utf-8")
    e = po.read(f).entries[-1]
    assert e.obsolete and (e.comments, e.extracted, e.references, e.flags) == (
        ["note"], ["extracted"], ["ref.md:1"], ["fuzzy"])
    ours = po.serialize(po.read(f))
    gnu = subprocess.run(["msgcat", "--no-wrap", str(f)], capture_output=True, check=True).stdout
    assert ours == gnu
    f.write_bytes(ours)
    assert po.serialize(po.read(f)) == ours  # and stays so
