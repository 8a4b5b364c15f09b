"""Catalogs: gettext PO files, read and written byte for byte the same way every time.

The model follows Babel's `babel.messages` (a catalog is a header and an ordered list of
entries) and the file format follows GNU gettext:

* no wrapping (like `msgcat --no-wrap`): a string is split only after an embedded `\\n`;
* comment lines in GNU order: translator `# `, extracted `#.`, references `#:`,
  flags `#,`, previous `#|`; obsolete entries last, as `#~`;
* no line numbers, and header dates that change only when a person changes a
  translation (`stamp_revision`), so nothing changes unless an entry changed.

Reading and writing go through polib (`pofile.py` wraps it with GNU's string semantics
and the strict checks polib does not make). The reader reports the file and line of the
first problem as an `InputError`; the writer refuses, with an `InputError`, a model it
cannot write as a file that `msgfmt -c` accepts and that reads back the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from . import po_reader, pofile
from .errors import InputError

Key = tuple[str | None, str]
_MESSAGE_LINES = frozenset(("ct", "ms", "mx", "mp"))  # po_reader's symbols, with "mi"


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
    # the file's bytes as read or written, kept only where asked (the TUI's open catalog,
    # read(keep_bytes=True)): an action then changes this catalog in place, without
    # parsing the file again, only if the file is still byte for byte these
    disk_bytes: bytes | None = field(default=None, compare=False, repr=False)

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

# kept as the catalog has them when sync merges it (as msgmerge keeps them): a Babel
# update must not rewrite Plural-Forms, a sync must not date a file nobody translated
KEPT_HEADERS = ("PO-Revision-Date", "Last-Translator", "Plural-Forms")


def make_headers(lang: str | None, project: str = "l10n", team: str | None = None,
                 old: list[tuple[str, str]] | None = None,
                 source: str = "ja") -> list[tuple[str, str]]:
    """Header fields for a catalog (lang given) or a template (lang None), GNU's order.

    A new catalog takes Plural-Forms from Babel and the language's English name as
    Language-Team (unless `team` is given); `old` (the headers of the catalog being
    merged) keeps its KEPT_HEADERS as found. PO-Revision-Date and Last-Translator stay
    empty until a person changes a translation (msgfmt -c accepts empty values, not the
    defaults). A template's Language is the source language, the language of its msgids.
    """
    kept = {k.lower(): v for k, v in (old or [])}
    headers = [("Project-Id-Version", " ".join(project.split()) or "l10n"),
               ("PO-Revision-Date", kept.get("po-revision-date", "")),
               ("Last-Translator", kept.get("last-translator", ""))]
    if lang:
        if not team:
            try:
                team = Locale.parse(lang).english_name or lang
            except (UnknownLocaleError, ValueError):
                team = lang
        headers += [("Language-Team", team), ("Language", lang)]
    else:
        headers += [("Language-Team", ""), ("Language", source)]
    headers += [
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    if lang:
        headers.append(("Plural-Forms", kept.get("plural-forms") or get_plural(lang).plural_forms))
    headers.append(("X-Generator", "l10n"))
    return headers


def revision_date(when: datetime | None = None) -> str:
    """GNU's PO-Revision-Date form, in UTC: `2026-02-03 09:12+0000`."""
    return (when or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M+0000")


def stamp_revision(cat: Catalog, who: str, when: datetime | None = None) -> None:
    """A person changed a translation: PO-Revision-Date and Last-Translator say so."""
    values = {"po-revision-date": revision_date(when), "last-translator": " ".join(who.split())}
    done = set()
    for i, (k, _) in enumerate(cat.headers):
        if k.lower() in values:
            cat.headers[i] = (k, values[k.lower()])
            done.add(k.lower())
    at = next((i for i, (k, _) in enumerate(cat.headers) if k.lower() == "project-id-version"), -1) + 1
    for name in ("Last-Translator", "PO-Revision-Date"):
        if name.lower() not in done:
            cat.headers.insert(at, (name, values[name.lower()]))


# --------------------------------------------------------------------------- writing

def serialize(cat: Catalog, path: str | Path | None = None) -> bytes:
    """The catalog as UTF-8 bytes: header, active entries in order, then obsolete ones.

    polib writes it (`pofile.WriteFile`). Raises InputError (naming `path` and the
    entry) for anything that cannot be written safely: a control character, a line
    break in a comment, a duplicate key, absurd plural forms, or what `msgfmt -c`
    refuses."""
    where = str(path) if path is not None else None
    for c in cat.header_comments:
        problem = pofile.comment_problem(c)
        if problem:
            raise InputError(f"cannot write the header comment {c[:40]!r}: {problem}", where)
    for k, v in cat.headers:
        problem = pofile.comment_problem(k) or pofile.comment_problem(v)
        if not problem and (not k or ":" in k or k != k.strip() or v != v.strip()):
            problem = "a header field needs a name without ':' and no surrounding spaces"
        if problem:
            raise InputError(f"cannot write the header field {k[:40]!r}: {problem}", where)
    nplurals = pofile.nplurals_of(cat.headers)
    out = pofile.WriteFile(cat, make_entry=Entry)
    seen: set[Key] = set()
    clean = pofile.clean_characters(cat.entries)
    for e in [e for e in cat.entries if not e.obsolete] + [e for e in cat.entries if e.obsolete]:
        problem = pofile.entry_problem(e, nplurals, characters=not clean)
        if problem is None and e.key in seen:
            problem = "a second entry with the same msgctxt and msgid"
        if problem:
            raise InputError(f"cannot write the entry {e.msgid[:40]!r}: {problem}", where,
                             e.lineno or None)
        seen.add(e.key)
        out.append(pofile.WriteEntry(e))
    return out.__unicode__().encode("utf-8")


# --------------------------------------------------------------------------- reading

def parse(data: bytes, path: str | Path = "<catalog>") -> Catalog:
    """Parse PO bytes (polib's parser, `pofile.Parser`). Raises InputError naming the
    file and line on any problem."""
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
    raw = None if pofile.raw_free(data) else pofile.raw_problem(text)
    if raw:
        raise InputError(f"{raw[0]} in the file (write it as an escape, or remove it)", path, raw[1])

    cat = Catalog()
    entries: list[Entry] = []
    seen: dict[Key, int] = {}
    nplurals = [2]

    def finish(pe: po_reader.ReadEntry) -> None:
        line = pe.linenum or 1
        kinds = pe.seen
        if "mi" not in kinds:
            if not kinds.isdisjoint(_MESSAGE_LINES):
                raise InputError("an entry without msgid", path, line)
            raise InputError("comment lines with no message after them", path, line)
        plural = "mp" in kinds
        if "ms" not in kinds and "mx" not in kinds:
            raise InputError("an entry without msgstr", path, line)
        if plural and "mx" not in kinds:
            raise InputError("msgid_plural without msgstr[n]", path, line)
        if "mx" in kinds and not plural:
            raise InputError("msgstr[n] without msgid_plural", path, line)
        if len(pe.marks) > 1:
            raise InputError("an entry mixes obsolete and active lines", path, line)
        # positional, in the field order of Entry (twice as fast as keywords); the
        # lists and the dict are the reader's, which forgets the entry now
        e = Entry(pe.msgid, pe.msgstr, pe.msgctxt, pe.comments, pe.extracted, pe.references,
                  pe.flags, pe.previous_msgctxt, pe.previous_msgid, True in pe.marks,
                  pe.msgid_plural if plural else None, pe.msgstr_plural, line)
        key = (e.msgctxt, e.msgid)
        if e.msgid == "" and e.msgctxt is None and not e.obsolete and not entries and not cat.headers:
            cat.header_comments = parser.instance.header_comments + e.comments
            cat.header_fuzzy = e.fuzzy
            cat.headers = _parse_header(e.msgstr, path, line, text)
            nplurals[0] = pofile.nplurals_of(cat.headers)
            return
        problem = pofile.structure_problem(e, nplurals[0])
        if problem:
            bad = [i for i in pe.msgstr_plural if i >= nplurals[0]]
            raise InputError(problem, path, pe.plural_lines[bad[0]] if bad else line)
        if key in seen:
            raise InputError(f"duplicate entry {e.msgid[:40]!r} (first at line {seen[key]})", path, line)
        seen[key] = line
        entries.append(e)

    parser = po_reader.Parser(text, path, finish)
    left = parser.run()
    if left is not None:
        finish(left)
    cat.entries = entries
    if not cat.headers:
        raise InputError("the catalog has no header entry (msgid \"\")", path, 1)
    return cat


_CHARSET = re.compile(r"charset=([\w.-]+)")


def _parse_header(msgstr: str, path: str, lineno: int, text: str = "") -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for line in msgstr.split("\n"):
        if not line.strip():
            continue
        if ":" not in line:
            at = text.find(pofile.escape(line))  # the line of the file that holds it
            where = text.count("\n", 0, at) + 1 if at >= 0 else lineno
            raise InputError(f"bad header field {line[:40]!r} (expected 'Name: value')", path, where)
        k, v = line.split(":", 1)
        headers.append((k.strip(), v.strip()))
    ctype = dict((k.lower(), v) for k, v in headers).get("content-type", "")
    m = _CHARSET.search(ctype)
    if not m:
        raise InputError("the header has no Content-Type charset", path, lineno)
    if m.group(1).lower() not in ("utf-8", "utf8"):
        raise InputError(f"the catalog is in {m.group(1)}; only UTF-8 is supported", path, lineno)
    return headers


def read(path: Path, keep_bytes: bool = False) -> Catalog:
    """Read a catalog from disk (InputError on any problem, naming the file); with
    `keep_bytes`, the catalog keeps the bytes it was parsed from (`disk_bytes`)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the catalog: {exc.strerror}", path) from None
    cat = parse(data, path)
    if keep_bytes:
        cat.disk_bytes = data
    return cat
