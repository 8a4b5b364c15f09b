"""PO bytes <-> our catalog model, through polib, with GNU gettext's semantics.

polib does the work: its state machine (`polib._POFileParser`, wrapped in `po_reader.py`)
tokenizes the file and decides which line may follow which, and its serializer
(`POFile`/`POEntry.__unicode__`) lays out the header entry, the messages and the
obsolete entries. We wrap it in
subclasses that override only what polib does not do the way GNU gettext does, each
measured in ARCHITECTURE.md ("PO files on polib"):

* strings: GNU escapes, octal and hex escapes as BYTES (`caf\\303\\251` is `café`), a
  strict quote check, and one line per embedded `\\n` only (polib splits on U+2028 too);
* comments: kept exactly (polib strips them), `#~|` previous lines of obsolete entries
  (polib skips them), extracted comments and references of obsolete entries (polib's
  writer drops them), `msgstr[N]` beyond 9 (polib reads one digit);
* the checks polib does not make, with file and line: NUL and control characters,
  duplicates (obsolete ones included, as msgfmt), an entry without msgid or msgstr,
  absurd plural indexes, a second header, the newline rule of `msgfmt -c`.

The writer refuses, with an `InputError`, any model it cannot write as a file that GNU
`msgfmt -c` accepts and that reads back to the same model: no NUL or raw control
character is ever written, and no field can smuggle a line into the file.
"""
from __future__ import annotations

import re

import polib

from .controls import RAW as _BAD_RAW
from .controls import char_name, string_problem
from .controls import line_problem as comment_problem

MAX_PLURALS = 32  # GNU needs far fewer; an index beyond is not a plural form


# --------------------------------------------------------------------------- strings

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
_ESCAPE_RE = re.compile(r'[\\"\n\t]')


def escape(s: str) -> str:
    if "\\" not in s and '"' not in s and "\n" not in s and "\t" not in s:
        return s
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], s)


_SIMPLE = {"n": b"\n", "t": b"\t", "r": b"\r", "a": b"\a", "b": b"\b", "f": b"\f",
           "v": b"\v", "\\": b"\\", '"': b'"'}
_TOKEN = re.compile(r'\\([0-7]{1,3}|x[0-9A-Fa-f]*|.?)|"', re.S)


def unescape(body: str) -> str:
    """A PO string's body as GNU msgfmt reads it: escapes are bytes, the result UTF-8.
    Raises ValueError with the reason."""
    if "\\" not in body:
        if '"' in body:
            raise ValueError("an unescaped double quote inside a string")
        return body
    if body.count("\\") == body.count("\\n"):
        # every backslash starts a \n (the header's lines, most multi-line strings): no
        # byte escapes, so no round trip through bytes; any quote is an unescaped one
        if '"' in body:
            raise ValueError("an unescaped double quote inside a string")
        return body.replace("\\n", "\n")
    return unescape_bytes(body)


def unescape_bytes(body: str) -> str:
    """`unescape` the long way, for any escape."""
    out = bytearray()
    pos = 0
    for m in _TOKEN.finditer(body):
        out += body[pos:m.start()].encode("utf-8")
        pos = m.end()
        tok = m.group(1)
        if tok is None:
            raise ValueError("an unescaped double quote inside a string")
        if tok == "":
            raise ValueError("a string ends with a lone backslash")
        c = tok[0]
        if len(tok) == 1 and c in _SIMPLE:
            out += _SIMPLE[c]
        elif c in "01234567" or c == "x":
            if tok == "x":
                raise ValueError("\\x without hexadecimal digits")
            value = int(tok, 8) if c != "x" else int(tok[1:], 16)
            if value > 0xFF:
                raise ValueError(f"the escape \\{tok} is not a byte")
            out.append(value)
        else:
            raise ValueError(f"unknown escape sequence \\{c}")
    out += body[pos:].encode("utf-8")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("escape sequences that are not UTF-8 text") from None


def gnu_lines(prefix: str, keyword: str, s: str) -> list[str]:
    """`keyword "..."`, split after embedded newlines only, as `msgcat --no-wrap` does."""
    if "\n" in s[:-1]:
        parts = s.split("\n")
        chunks = [p + "\n" for p in parts[:-1]]
        if parts[-1]:
            chunks.append(parts[-1])
        return [f'{prefix}{keyword} ""'] + [f'{prefix}"{escape(c)}"' for c in chunks]
    return [f'{prefix}{keyword} "{escape(s)}"']


# GNU gettext reads a backslash at the end of any line as "continued on the next line",
# even in a comment. A comment that ends in a backslash (and spaces) is written with one
# more space, which the reader takes off again.
_ENDS_IN_BACKSLASH = re.compile(r"\\ *$")
_SPACED_BACKSLASH = re.compile(r"\\ +$")


def comment_line(prefix: str, text: str) -> str:
    line = f"{prefix} {text}" if text else prefix
    return line + " " if "\\" in text and _ENDS_IN_BACKSLASH.search(line) else line


def uncomment(text: str) -> str:
    if not text.endswith((" ", " \n")):  # what the pattern needs, asked without it
        return text
    return text[:-1] if _SPACED_BACKSLASH.search(text) else text


# --------------------------------------------------------------------------- writing

class WriteEntry(polib.POEntry):
    """A polib entry built from one of ours: polib lays out the message
    (`_BaseEntry.__unicode__`); the comment block and the string layout are GNU's."""

    def __init__(self, e):
        # the attributes POEntry.__init__ sets, assigned directly: its keyword handling
        # is a third of the writer's time on a 50,000-entry catalog
        self.msgid, self.msgstr, self.msgctxt = e.msgid, e.msgstr, e.msgctxt
        self.msgid_plural, self.msgstr_plural = e.msgid_plural or "", e.msgstr_plural
        self.obsolete, self.flags, self.encoding = e.obsolete, e.flags, "utf-8"
        self.previous_msgctxt, self.previous_msgid = e.previous_msgctxt, e.previous_msgid
        self.previous_msgid_plural, self.linenum = None, None
        self.comment, self.tcomment, self.occurrences = "", "", []
        self.model = e

    def __unicode__(self, wrapwidth=0):
        e = self.model
        ret = [comment_line("#", c) for c in e.comments]
        ret += [comment_line("#.", c) for c in e.extracted]
        ret += [comment_line("#:", r) for r in e.references]
        if self.flags:
            ret.append(comment_line("#,", ", ".join(self.flags)))
        prefix = "#~| " if self.obsolete else "#| "
        if self.previous_msgctxt is not None:
            ret += self._str_field("previous_msgctxt", prefix, "", self.previous_msgctxt)
        if self.previous_msgid is not None:
            ret += self._str_field("previous_msgid", prefix, "", self.previous_msgid)
        ret.append(polib._BaseEntry.__unicode__(self, 0))
        return "\n".join(ret)

    def _str_field(self, fieldname, delflag, plural_index, field, wrapwidth=0):
        if fieldname.startswith("previous_"):
            fieldname = fieldname[9:]
        return gnu_lines(delflag, f"{fieldname}{plural_index}", field)


class WriteFile(polib.POFile):
    """polib's file: header entry, active entries, obsolete entries last."""

    def __init__(self, cat, entry_class=WriteEntry, *, make_entry):
        super().__init__(wrapwidth=0, encoding="utf-8")
        self.model = cat
        self.entry_class = entry_class
        self.make_entry = make_entry  # catalog.Entry, handed in: pofile is below catalog

    def ordered_metadata(self):
        return list(self.model.headers)  # as the catalog has them, not re-sorted

    def metadata_as_entry(self):
        text = "".join(f"{k}: {v}\n" for k, v in self.model.headers)
        return self.entry_class(self.make_entry("", text, flags=["fuzzy"] if self.model.header_fuzzy else []))

    def __unicode__(self):
        head = "".join(comment_line("#", c) + "\n" for c in self.model.header_comments)
        return head + polib._BaseFile.__unicode__(self)


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def nplurals_of(headers: list[tuple[str, str]]) -> int:
    for k, v in headers:
        if k.lower() == "plural-forms":
            m = _NPLURALS.search(v)
            if m and 1 <= int(m.group(1)) <= MAX_PLURALS:
                return int(m.group(1))
    return 2  # GNU's default, for a template


def _edges(s: str) -> tuple[bool, bool]:
    return s.startswith("\n"), s.endswith("\n")


def _strings(e) -> list:
    out = [("msgctxt", e.msgctxt), ("msgid", e.msgid), ("msgstr", e.msgstr),
           ("msgid_plural", e.msgid_plural), ("previous msgctxt", e.previous_msgctxt),
           ("previous msgid", e.previous_msgid)]
    return out + [(f"msgstr[{i}]", s) for i, s in e.msgstr_plural.items()]


def _lines(e) -> tuple:
    return (("a translator comment", e.comments), ("an extracted comment", e.extracted),
            ("a reference", e.references), ("a flag", e.flags))


def clean_characters(entries) -> bool:
    """True when no string and no comment line of these entries holds a character the
    writer refuses: one regex pass over them all (the writer's fast path)."""
    strings, lines = [], []
    for e in entries:
        strings += [s for _, s in _strings(e) if s is not None]
        lines += e.comments + e.extracted + e.references + e.flags
    try:
        return not string_problem("\n".join(strings)) and not comment_problem(" ".join(lines))
    except TypeError:  # a field that is not text
        return False


def entry_problem(e, nplurals: int, characters: bool = True) -> str | None:
    """Why this entry cannot be in a file that `msgfmt -c` accepts and that reads back
    to the same model, or None (the writer's check). `characters=False` when
    `clean_characters` already passed."""
    if characters:
        for name, s in _strings(e):
            if s is not None:
                if not isinstance(s, str):
                    return f"{name} is not text"
                problem = string_problem(s)
                if problem:
                    return f"{problem} in {name}"
    for name, lines in _lines(e):
        for c in lines:
            problem = comment_problem(c) if characters else None
            if problem:
                return f"{problem} in {name}"
            if name != "a translator comment" and not c.strip():  # polib skips the line
                return f"{name} with no text"
            if name in ("a reference", "a flag") and c != c.strip():
                return f"{name} that begins or ends with a space"
            if name == "a flag" and "," in c:
                return "a flag with a comma"
    return structure_problem(e, nplurals)


def structure_problem(e, nplurals: int) -> str | None:
    """The rules of `entry_problem` that do not look at characters (the reader checks
    those line by line)."""
    if e.msgid_plural is not None or e.msgstr_plural:
        if not e.msgid_plural:
            return "msgstr[n] without a msgid_plural" if e.msgid_plural is None else "an empty msgid_plural"
        if e.msgstr:
            return "both msgstr and msgstr[n]"
        n = len(e.msgstr_plural)
        if sorted(e.msgstr_plural) != list(range(n)) or not 1 <= n <= nplurals:
            return (f"plural forms {sorted(e.msgstr_plural)[:5]} where the header allows "
                    f"msgstr[0] to msgstr[{nplurals - 1}]")
        if not e.obsolete and "fuzzy" not in e.flags and n != nplurals and any(e.msgstr_plural.values()):
            return f"{n} plural forms where the header says nplurals={nplurals}"
    if e.previous_msgctxt is not None and e.previous_msgid is None:
        return "a previous msgctxt (#| msgctxt) without a previous msgid"  # GNU: syntax error
    if e.msgid == "" and e.msgctxt is None:
        return "an obsolete entry with an empty msgid" if e.obsolete else "a second header entry (empty msgid)"
    if not e.obsolete and "fuzzy" not in e.flags:  # msgfmt -c: the newline rule
        if e.msgid_plural is None:
            if not e.msgstr or ("\n" not in e.msgstr and "\n" not in e.msgid):
                return None
            targets = [e.msgstr]
        elif any(e.msgstr_plural.values()):
            targets = [e.msgid_plural] + list(e.msgstr_plural.values())
        else:
            return None
        edges = _edges(e.msgid)
        for t in targets:
            if t and _edges(t) != edges:
                return "msgid and its translation do not both begin and end with a line break (msgfmt -c)"
    return None


# What RAW finds, in UTF-8 bytes: C0 (but TAB and LF; CR included) and DEL are the same
# single bytes, and a byte below 0x80 is never part of another character; C1 is 0xC2
# (only ever a lead byte) then 0x80-0x9F.
_RAW_BYTES = bytes(range(0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f"
_OTHER_BYTES = bytes(sorted(set(range(256)) - set(_RAW_BYTES)))
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")


def raw_free(data: bytes) -> bool:
    """True when valid UTF-8 `data` holds no character RAW finds (a CR included), so that
    `raw_problem` of its text is None: two passes at C speed over the bytes, where RAW's
    character class is tried at every character of the text (6 % of the time
    it takes to read a catalog). False: ask `raw_problem`."""
    return not data.translate(None, _OTHER_BYTES) and not _C1_BYTES.search(data)


def raw_problem(text: str) -> tuple[str, int] | None:
    """A control character outside escapes (a CR before LF is a line end)."""
    m = _BAD_RAW.search(text)
    while m is not None:
        pos = m.start()
        if not (m.group() == "\r" and text.startswith("\n", pos + 1)):
            return char_name(m.group()), text.count("\n", 0, pos) + 1
        m = _BAD_RAW.search(text, pos + 1)
    return None
