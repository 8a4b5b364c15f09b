"""Reading a PO file: polib's parser (`polib._POFileParser`, its state machine) with
GNU gettext's string semantics and the strict checks polib does not make, each refused
with its file and line (what and why: `pofile.py` and ARCHITECTURE.md, "PO files on
polib"). `catalog.parse` checks the bytes (NUL, UTF-8, raw control characters) and turns
each finished entry into the model."""
from __future__ import annotations

import re

import polib

from .controls import string_problem
from .errors import InputError
from .pofile import comment_problem, uncomment, unescape


class ReadEntry(polib.POEntry):
    def __init__(self, linenum: int = 0):
        # what POEntry.__init__(linenum=...) sets, without its keyword handling
        self.msgid, self.msgstr, self.msgctxt = "", "", None
        self.msgid_plural, self.msgstr_plural = "", {}
        self.obsolete, self.encoding, self.flags = False, "utf-8", []
        self.previous_msgctxt = self.previous_msgid = self.previous_msgid_plural = None
        self.comment, self.tcomment, self.occurrences = "", "", []
        self.linenum = linenum
        self.comments: list[str] = []
        self.extracted: list[str] = []
        self.references: list[str] = []
        self.seen: set[str] = set()  # which keywords, for the strict checks
        self.marks: set[bool] = set()  # obsolete or not, per message line
        self.plural_lines: dict[int, int] = {}


class _Sink(polib.POFile):
    """Where polib's parser appends finished entries: they go to our callback."""

    def __init__(self, finish):
        super().__init__(wrapwidth=0, encoding="utf-8")
        self._finish = finish
        self.header_comments: list[str] = []

    def append(self, entry):
        self._finish(entry)


_MESSAGE = frozenset(("ct", "mi", "mp", "ms", "mx"))
_PLURAL_RE = re.compile(r'msgstr\[(\d{1,4})\]\s*(".*)$')
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


class Parser(polib._POFileParser):
    """polib's state machine over our lines, with GNU string semantics and strict checks.

    `finish(entry)` receives each finished `ReadEntry` (the header one included)."""

    def __init__(self, lines: list[str], path: str, finish):
        self._finish = finish
        self.appended = None
        super().__init__("", klass=lambda **kw: _Sink(self._append))
        self.raw = lines
        self.path = path
        self.prev_obsolete: set[int] = set()  # lines "#~|", read as "#|"
        self.obsolete_lines = any("#~" in x for x in lines)
        self.fhandle = self._lines() if self.obsolete_lines else lines
        self.current_entry = ReadEntry()

    def _lines(self):
        for i, line in enumerate(self.raw):
            if line[:3] == "#~|" or (line[:1] in (" ", "\t") and line.lstrip().startswith("#~|")):
                self.prev_obsolete.add(i + 1)
                yield "#|" + line.lstrip()[3:]
            else:
                yield line

    def _append(self, entry):
        self.appended = entry
        self._finish(entry)

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, self.path, line or self.current_line)

    def run(self) -> ReadEntry | None:
        """Parse; returns the last entry if polib left it unfinished (comments only)."""
        try:
            self.parse()
        except OSError as exc:  # polib's own syntax errors
            m = _SYNTAX_LINE.search(str(exc))
            line = int(m.group(1)) if m else self.current_line
            text = self.raw[line - 1].strip() if 0 < line <= len(self.raw) else ""
            raise self.error(f"syntax error: {text[:60]!r}", line) from None
        e = self.current_entry
        if e is self.appended:
            return None
        return e if e.seen or e.comments or e.extracted or e.references or e.flags else None

    def process(self, symbol):
        try:
            action, state = self.transitions[(symbol, self.current_state)]
        except KeyError:
            text = self.raw[self.current_line - 1].strip()
            raise self.error(f"syntax error: {text[:60]!r} cannot come here") from None
        if action():
            self.current_state = state
        e = self.current_entry
        if not e.linenum:
            e.linenum = self.current_line
        if self.obsolete_lines:  # the file has "#~" lines: may an entry mix them?
            if self.current_line in self.prev_obsolete:  # "#~|"
                e.marks.add(True)
            elif symbol in _MESSAGE or (symbol == "mc" and self.current_state not in ("pc", "pm")):
                e.marks.add(self.entry_obsolete == 1)
        e.seen.add(symbol)

    # -- strings
    def string(self, token: str) -> str:
        # the file has no raw control character (catalog.parse checked): only escapes
        # can bring one in
        if "\\" not in token and len(token) >= 2 and token[0] == '"' == token[-1]:
            if '"' in token[1:-1]:
                raise self.error("an unescaped double quote inside a string")
            return token[1:-1]
        if len(token) < 2 or token[0] != '"' or token[-1] != '"' or (
                (len(token) - len(token[1:-1].rstrip("\\")) - 2) % 2):
            raise self.error(f"expected a quoted string, found {token[:40]!r}")
        try:
            s = unescape(token[1:-1])
        except ValueError as exc:
            raise self.error(str(exc)) from None
        problem = string_problem(s)
        if problem:
            raise self.error(f"{problem} in a string")
        return s

    def _next(self):
        if self.current_state in ("mc", "ms", "mx"):
            self._append(self.current_entry)  # what polib's instance.append leads to
            self.current_entry = ReadEntry(self.current_line)

    def handle_ct(self):
        self._next()
        self.current_entry.msgctxt = self.string(self.current_token)
        return True

    def handle_mi(self):
        self._next()
        self.current_entry.obsolete = self.entry_obsolete
        self.current_entry.msgid = self.string(self.current_token)
        return True

    def handle_mp(self):
        self.current_entry.msgid_plural = self.string(self.current_token)
        return True

    def handle_ms(self):
        self.current_entry.msgstr = self.string(self.current_token)
        return True

    def handle_mx(self):
        m = _PLURAL_RE.match(self.current_token)
        if not m:
            raise self.error(f"a bad plural form {self.current_token[:40]!r}")
        index = int(m.group(1))
        e = self.current_entry
        if index in e.msgstr_plural:
            raise self.error(f"msgstr[{index}] given twice in one entry")
        e.msgstr_plural[index] = self.string(m.group(2))
        e.plural_lines[index] = self.current_line
        self.msgstr_index = index
        return True

    def handle_pc(self):
        self._next()
        self.current_entry.previous_msgctxt = self.string(self.current_token)
        return True

    def handle_pm(self):
        self._next()
        self.current_entry.previous_msgid = self.string(self.current_token)
        return True

    def handle_pp(self):
        raise self.error("a previous msgid_plural (#| msgid_plural) is not supported")

    def handle_mc(self):
        token = self.string(self.current_token)
        e = self.current_entry
        field = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
                 "pm": "previous_msgid", "pc": "previous_msgctxt"}.get(self.current_state)
        if self.current_state == "mx":
            e.msgstr_plural[self.msgstr_index] += token
        elif field:
            setattr(e, field, getattr(e, field) + token)
        return False

    # -- comments, taken from the line itself: polib strips their spaces
    def _comment_text(self, marker: str) -> str:
        line = self.raw[self.current_line - 1].lstrip()
        text = line[len(marker):]
        problem = comment_problem(text)
        if problem:
            raise self.error(f"{problem} in a comment")
        return text

    def handle_he(self):
        c = self._comment_text("#")
        self.instance.header_comments.append(uncomment(c[1:] if c.startswith(" ") else c))
        return True

    def handle_tc(self):
        self._next()
        c = self._comment_text("#")
        self.current_entry.comments.append(uncomment(c[1:] if c.startswith(" ") else c))
        return True

    def handle_gc(self):
        self._next()
        c = self._comment_text("#.")
        self.current_entry.extracted.append(uncomment(c[1:] if c.startswith(" ") else c))
        return True

    def handle_oc(self):
        self._next()
        self.current_entry.references.append(self._comment_text("#:").strip())
        return True

    def handle_fl(self):
        self._next()
        self.current_entry.flags += [f.strip() for f in self._comment_text("#,").split(",")
                                     if f.strip()]
        return True
