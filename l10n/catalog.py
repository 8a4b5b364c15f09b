"""Catalogs: gettext PO files, read and written byte for byte the same way every time.

The model follows Babel's `babel.messages` (a catalog is a header and an ordered list of
entries) and the file format follows GNU gettext:

* no wrapping (like `msgcat --no-wrap`): a string is split only after an embedded `\\n`;
* comment lines in GNU order: translator `# `, extracted `#.`, references `#:`,
  flags `#,`, previous `#|`; obsolete entries last, as `#~`;
* no dates and no line numbers, so nothing changes unless an entry changed.

The parser is strict and reports the file and line of the first problem as an
`InputError`. It is hand-written rather than polib because the writer must control every
byte, and because `l10n status` and `l10n sync` read thousands of catalogs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from .errors import InputError

Key = tuple[str | None, str]


@dataclass
class Entry:
    """One message of a catalog."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    comments: list[str] = field(default_factory=list)  # translator comments, "# "
    extracted: list[str] = field(default_factory=list)  # "#."
    references: list[str] = field(default_factory=list)  # "#:"
    flags: list[str] = field(default_factory=list)  # "#,"
    previous_msgctxt: str | None = None  # "#| msgctxt"
    previous_msgid: str | None = None  # "#| msgid"
    obsolete: bool = False
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    lineno: int = 0

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not value:
            self.flags = [f for f in self.flags if f != "fuzzy"]

    def copy(self) -> "Entry":
        return Entry(
            self.msgid, self.msgstr, self.msgctxt, list(self.comments), list(self.extracted),
            list(self.references), list(self.flags), self.previous_msgctxt,
            self.previous_msgid, self.obsolete, self.msgid_plural, dict(self.msgstr_plural),
            self.lineno,
        )


@dataclass
class Catalog:
    """A PO file: header fields, header comments and entries (obsolete ones last)."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    header_comments: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    header_fuzzy: bool = False
    # the file's stat key (mtime_ns, size, inode) right after this catalog was written,
    # taken under the file's lock (workspace, sync): what the memory records it under
    disk_key: list[int] | None = field(default=None, compare=False, repr=False)

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def language(self) -> str | None:
        return self.header("Language")

    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def obsolete(self) -> list[Entry]:
        return [e for e in self.entries if e.obsolete]

    def index(self) -> dict[Key, Entry]:
        return {e.key: e for e in self.entries if not e.obsolete}

    def find(self, msgid: str, msgctxt: str | None = None) -> Entry | None:
        for e in self.entries:
            if not e.obsolete and e.msgid == msgid and (msgctxt is None or e.msgctxt == msgctxt):
                return e
        return None


# --------------------------------------------------------------------------- headers

def make_headers(lang: str | None, project: str = "l10n",
                 team: str | None = None) -> list[tuple[str, str]]:
    """Header fields for a catalog (lang given) or a template (lang None).

    Plural-Forms comes from Babel; so does Language-Team (the language's English name)
    unless `team` is given (merge keeps a catalog's own team, as msgmerge keeps its header).
    """
    headers = [("Project-Id-Version", project)]
    if lang:
        if not team:
            try:
                team = Locale.parse(lang).english_name or lang
            except (UnknownLocaleError, ValueError):
                team = lang
        headers += [("Language-Team", team), ("Language", lang)]
    else:
        headers += [("Language-Team", ""), ("Language", "")]
    headers += [
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    if lang:
        headers.append(("Plural-Forms", get_plural(lang).plural_forms))
    headers.append(("X-Generator", "l10n"))
    return headers


# --------------------------------------------------------------------------- writing

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
            "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}
_ESCAPE_RE = re.compile(r'[\\"\n\t\r\a\b\f\v]')


def _escape(s: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], s)


def _string(keyword: str, s: str, prefix: str = "") -> list[str]:
    """`keyword "..."`, split after embedded newlines the way GNU gettext does."""
    if "\n" in s[:-1]:
        parts = s.split("\n")
        chunks = [p + "\n" for p in parts[:-1]]
        if parts[-1]:
            chunks.append(parts[-1])
        return [f'{prefix}{keyword} ""'] + [f'{prefix}"{_escape(c)}"' for c in chunks]
    return [f'{prefix}{keyword} "{_escape(s)}"']


# GNU gettext reads a backslash at the end of any line as "continued on the next line",
# even in a comment. A comment that ends in a backslash (and spaces) is written with one
# more space, which the reader takes off again: the text round-trips and msgfmt reads
# the line as it is.
_ENDS_IN_BACKSLASH = re.compile(r"\\ *$")
_SPACED_BACKSLASH = re.compile(r"\\ +$")


def _comment(prefix: str, text: str) -> str:
    line = f"{prefix} {text}" if text else prefix
    return line + " " if _ENDS_IN_BACKSLASH.search(line) else line


def _uncomment(text: str) -> str:
    return text[:-1] if _SPACED_BACKSLASH.search(text) else text


def _entry_lines(e: Entry) -> list[str]:
    out: list[str] = []
    out += [_comment("#", c) for c in e.comments]
    out += [_comment("#.", c) for c in e.extracted]
    out += [_comment("#:", r) for r in e.references]
    if e.flags:
        out.append(_comment("#,", ", ".join(e.flags)))
    p = "#~ " if e.obsolete else ""
    prev = "#~| " if e.obsolete else "#| "
    if e.previous_msgctxt is not None:
        out += _string("msgctxt", e.previous_msgctxt, prev)
    if e.previous_msgid is not None:
        out += _string("msgid", e.previous_msgid, prev)
    if e.msgctxt is not None:
        out += _string("msgctxt", e.msgctxt, p)
    out += _string("msgid", e.msgid, p)
    if e.msgid_plural is not None:
        out += _string("msgid_plural", e.msgid_plural, p)
        for i in sorted(e.msgstr_plural):
            out += _string(f"msgstr[{i}]", e.msgstr_plural[i], p)
    else:
        out += _string("msgstr", e.msgstr, p)
    return out


def serialize(cat: Catalog) -> bytes:
    """The catalog as UTF-8 bytes: header, active entries in order, then obsolete ones."""
    lines: list[str] = [_comment("#", c) for c in cat.header_comments]
    if cat.header_fuzzy:
        lines.append("#, fuzzy")
    header_text = "".join(f"{k}: {v}\n" for k, v in cat.headers)
    lines += ['msgid ""'] + _string("msgstr", header_text)
    ordered = [e for e in cat.entries if not e.obsolete] + [e for e in cat.entries if e.obsolete]
    for e in ordered:
        lines.append("")
        lines += _entry_lines(e)
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading

_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a",
              "b": "\b", "f": "\f", "v": "\v"}
_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_KEYWORD_RE = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)\s+(".*)$')


def _unescape(body: str, path: str, lineno: int) -> str:
    if "\\" not in body:
        return body
    out = []
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c == "\\":
            if i + 1 >= n:
                raise InputError("a string ends with a lone backslash", path, lineno)
            d = body[i + 1]
            if d in _UNESCAPES:
                out.append(_UNESCAPES[d])
                i += 2
            elif d in "01234567":
                j = i + 1
                while j < n and j < i + 4 and body[j] in "01234567":
                    j += 1
                out.append(chr(int(body[i + 1:j], 8)))
                i = j
            else:
                raise InputError(f"unknown escape sequence \\{d}", path, lineno)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _parse_string(text: str, path: str, lineno: int) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':  # the common case, fast
        body = text[1:-1]
        if '"' not in body and "\\" not in body:
            return body
    m = _STRING_RE.match(text)
    if not m:
        raise InputError(f"expected a quoted string, found {text[:40]!r}", path, lineno)
    return _unescape(m.group(1), path, lineno)


def parse(data: bytes, path: str | Path = "<catalog>") -> Catalog:
    """Parse PO bytes. Raises InputError naming the file and line on any problem."""
    path = str(path)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError("the file contains a NUL byte", path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("the file is not valid UTF-8", path, line) from None
    if text.startswith("\ufeff"):
        text = text[1:]

    cat = Catalog()
    entries: list[Entry] = []
    cur: dict | None = None
    seen: dict[Key, int] = {}

    def new() -> dict:
        return {"comments": [], "extracted": [], "references": [], "flags": [],
                "prev_ctxt": None, "prev_id": None, "obsolete": None, "fields": {},
                "last": None, "line": 0, "has_keyword": False}

    def finish(c: dict | None) -> None:
        if c is None:
            return
        if not c["has_keyword"]:
            if c["comments"] or c["flags"] or c["extracted"] or c["references"]:
                # trailing comments with no message: keep as header comments only at start
                if not entries and "msgid" not in c["fields"] and not cat.headers:
                    cat.header_comments.extend(c["comments"])
                    return
                raise InputError("comment lines with no message after them", path, c["line"])
            return
        f = c["fields"]
        if "msgid" not in f:
            raise InputError("an entry without msgid", path, c["line"])
        plural = {k: v for k, v in f.items() if isinstance(k, int)} if len(f) > 3 or "msgstr" not in f else {}
        if "msgstr" not in f and not plural:
            raise InputError("an entry without msgstr", path, c["line"])
        if "msgid_plural" in f and not plural:
            raise InputError("msgid_plural without msgstr[n]", path, c["line"])
        e = Entry(
            msgid=f["msgid"], msgstr=f.get("msgstr", ""), msgctxt=f.get("msgctxt"),
            comments=c["comments"], extracted=c["extracted"], references=c["references"],
            flags=c["flags"], previous_msgctxt=c["prev_ctxt"], previous_msgid=c["prev_id"],
            obsolete=bool(c["obsolete"]), msgid_plural=f.get("msgid_plural"),
            msgstr_plural=plural, lineno=c["line"],
        )
        if e.msgid == "" and e.msgctxt is None and not e.obsolete:
            if entries or cat.headers:
                raise InputError("a second header entry (empty msgid)", path, c["line"])
            cat.header_comments = e.comments
            cat.header_fuzzy = e.fuzzy
            cat.headers = _parse_header(e.msgstr, path, c["line"], text)
            return
        if not e.obsolete:
            if e.key in seen:
                raise InputError(
                    f"duplicate entry {e.msgid[:40]!r} (first at line {seen[e.key]})", path, c["line"])
            seen[e.key] = c["line"]
        entries.append(e)

    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            continue
        obsolete = False
        prev = False
        body = stripped
        if body.startswith("#~"):
            obsolete = True
            body = body[2:].lstrip()
            if body.startswith("|"):
                prev = True
                body = body[1:].lstrip()
            if not body:
                continue
        elif body.startswith("#|"):
            prev = True
            body = body[2:].lstrip()
        elif body.startswith("#"):
            if cur is not None and cur["has_keyword"]:
                finish(cur)
                cur = None
            if cur is None:
                cur = new()
                cur["line"] = lineno
            kind = body[1:2]
            rest = body[2:].strip() if kind in (".", ":", ",") else None
            full = line.lstrip()  # a comment keeps its trailing spaces (U+3000 too)
            if kind == ".":
                c = full[2:]
                cur["extracted"].append(_uncomment(c[1:] if c.startswith(" ") else c))
            elif kind == ":":
                cur["references"].append(rest)
            elif kind == ",":
                cur["flags"] += [f.strip() for f in rest.split(",") if f.strip()]
            else:
                c = full[1:]
                cur["comments"].append(_uncomment(c[1:] if c.startswith(" ") else c))
            continue

        if prev:
            m = _KEYWORD_RE.match(body)
            if body.startswith('"'):
                if cur is None or cur["last"] not in ("prev_ctxt", "prev_id"):
                    raise InputError("a continuation string in the wrong place", path, lineno)
                cur[cur["last"]] += _parse_string(body, path, lineno)
                continue
            if not m or m.group(1) not in ("msgctxt", "msgid"):
                raise InputError(f"unexpected previous-message line {body[:40]!r}", path, lineno)
            if cur is not None and cur["has_keyword"]:
                finish(cur)
                cur = None
            if cur is None:
                cur = new()
                cur["line"] = lineno
            name = "prev_ctxt" if m.group(1) == "msgctxt" else "prev_id"
            cur[name] = _parse_string(m.group(3), path, lineno)
            cur["last"] = name
            continue

        if body.startswith('"'):
            if cur is None or cur["last"] is None or cur["last"] in ("prev_ctxt", "prev_id"):
                raise InputError("a continuation string in the wrong place", path, lineno)
            if bool(cur["obsolete"]) != obsolete:
                raise InputError("an entry mixes obsolete and active lines", path, lineno)
            cur["fields"][cur["last"]] += _parse_string(body, path, lineno)
            continue

        m = _KEYWORD_RE.match(body)
        if not m:
            raise InputError(f"syntax error: {body[:60]!r}", path, lineno)
        kw = m.group(1)
        name: str | int = int(m.group(2)) if m.group(2) is not None else kw
        if kw == "msgctxt":
            if cur is not None and cur["has_keyword"]:
                finish(cur)
                cur = None
        elif kw == "msgid":
            if cur is not None and "msgid" in cur["fields"]:
                finish(cur)
                cur = None
        elif cur is None or "msgid" not in cur["fields"]:
            raise InputError(f"{kw} before msgid", path, lineno)
        if cur is None:
            cur = new()
            cur["line"] = lineno
        if cur["obsolete"] is None:
            cur["obsolete"] = obsolete
        elif cur["has_keyword"] and bool(cur["obsolete"]) != obsolete:
            raise InputError("an entry mixes obsolete and active lines", path, lineno)
        if name in cur["fields"]:
            raise InputError(f"{kw} given twice in one entry", path, lineno)
        cur["obsolete"] = obsolete
        cur["has_keyword"] = True
        cur["fields"][name] = _parse_string(m.group(3), path, lineno)
        cur["last"] = name
        if not cur["line"]:
            cur["line"] = lineno
    finish(cur)
    cat.entries = entries
    if not cat.headers:
        raise InputError("the catalog has no header entry (msgid \"\")", path, 1)
    return cat


def _parse_header(msgstr: str, path: str, lineno: int, text: str = "") -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for line in msgstr.split("\n"):
        if not line.strip():
            continue
        if ":" not in line:
            at = text.find(_escape(line))  # the line of the file that holds it
            where = text.count("\n", 0, at) + 1 if at >= 0 else lineno
            raise InputError(f"bad header field {line[:40]!r} (expected 'Name: value')", path, where)
        k, v = line.split(":", 1)
        headers.append((k.strip(), v.strip()))
    ctype = dict((k.lower(), v) for k, v in headers).get("content-type", "")
    m = re.search(r"charset=([\w.-]+)", ctype)
    if not m:
        raise InputError("the header has no Content-Type charset", path, lineno)
    if m.group(1).lower() not in ("utf-8", "utf8"):
        raise InputError(f"the catalog is in {m.group(1)}; only UTF-8 is supported", path, lineno)
    return headers


def read(path: Path) -> Catalog:
    """Read a catalog from disk (InputError on any problem, naming the file)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the catalog: {exc.strerror}", path) from None
    return parse(data, path)
