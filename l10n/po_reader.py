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


class ReadEntry:
    """An entry as the parser assembles it. polib's parse() only hands it on, so it is not
    a `polib.POEntry`: only the fields our handlers fill, in slots (one per entry of
    every catalog read)."""

    __slots__ = ("msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr_plural", "flags",
                 "previous_msgctxt", "previous_msgid", "linenum", "comments", "extracted",
                 "references", "seen", "marks", "plural_lines")

    def __init__(self, linenum: int = 0):
        self.msgid, self.msgstr, self.msgctxt = "", "", None
        self.msgid_plural, self.msgstr_plural = "", {}
        self.previous_msgctxt = self.previous_msgid = None
        self.linenum = linenum
        self.flags: list[str] = []
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
_ENDED = frozenset(("mc", "ms", "mx"))  # polib: a new entry starts after these states
_CONTINUED = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
              "pm": "previous_msgid", "pc": "previous_msgctxt"}  # state -> field of a "..." line
_PLURAL_RE = re.compile(r'msgstr\[(\d{1,4})\]\s*(".*)$')
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


class Parser(polib._POFileParser):
    """polib's state machine over our lines, with GNU string semantics and strict checks.

    `text` has passed `pofile.raw_problem` (catalog.parse checks it first): no control
    character but TAB and LF, no CR but before LF. `finish(entry)` receives each finished
    `ReadEntry` (the header one included)."""

    def __init__(self, text: str, path: str, finish):
        # polib's __init__ opens the file and builds its transition table (141 bound
        # methods) for every file: an eighth of polib's time on a catalog of 30 entries.
        # Ours has the text, and the table is polib's, built once (_TRANSITIONS, used by
        # `process`); what is set here is the state polib's parse() reads and writes.
        lines = text.split("\n")
        if "\r" in text:
            lines = [x[:-1] if x.endswith("\r") else x for x in lines]
        self.raw = lines
        self.path = path
        self._finish = finish
        self.appended = None
        self.instance = _Sink(self._append)
        self.current_line = 0
        self.current_state = "st"
        self.current_token = None
        self.current_entry = ReadEntry()
        self.msgstr_index = 0
        self.entry_obsolete = 0
        # asked once of the file rather than of every line:
        # a comment may hold no control character; after raw_problem, a TAB is the only
        # one the file can have (LF ends the line, a decoded file has no surrogate)
        self.check_comments = "\t" in text
        self.obsolete_lines = "#~" in text  # may an entry mix obsolete and active lines?
        self.prev_obsolete: set[int] = set()  # lines "#~|", read as "#|"
        self.fhandle = self._lines() if "#~|" in text else lines

    def _lines(self) -> list[str]:
        out = []
        for i, line in enumerate(self.raw):
            if line[:3] == "#~|" or (line[:1] in (" ", "\t") and line.lstrip().startswith("#~|")):
                self.prev_obsolete.add(i + 1)
                out.append("#|" + line.lstrip()[3:])
            else:
                out.append(line)
        return out

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
            action, state = _TRANSITIONS[symbol, self.current_state]
        except KeyError:
            text = self.raw[self.current_line - 1].strip()
            raise self.error(f"syntax error: {text[:60]!r} cannot come here") from None
        if action(self):
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
        if len(token) >= 2 and token[0] == '"' == token[-1]:
            body = token[1:-1]
            if "\\" not in body:
                if '"' in body:
                    raise self.error("an unescaped double quote inside a string")
                return body
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
        """A keyword or comment after a msgstr starts a new entry (polib's handlers:
        `instance.append`, a new POEntry); callers ask `current_state in _ENDED` first."""
        self._finish(self.current_entry)
        self.current_entry = ReadEntry(self.current_line)

    def handle_ct(self):
        if self.current_state in _ENDED:
            self._next()
        self.current_entry.msgctxt = self.string(self.current_token)
        return True

    def handle_mi(self):
        if self.current_state in _ENDED:
            self._next()
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
        if self.current_state in _ENDED:
            self._next()
        self.current_entry.previous_msgctxt = self.string(self.current_token)
        return True

    def handle_pm(self):
        if self.current_state in _ENDED:
            self._next()
        self.current_entry.previous_msgid = self.string(self.current_token)
        return True

    def handle_pp(self):
        raise self.error("a previous msgid_plural (#| msgid_plural) is not supported")

    def handle_mc(self):
        token = self.string(self.current_token)
        e = self.current_entry
        field = _CONTINUED.get(self.current_state)
        if self.current_state == "mx":
            e.msgstr_plural[self.msgstr_index] += token
        elif field:
            setattr(e, field, getattr(e, field) + token)
        return False

    # -- comments, taken from the line itself: polib strips their spaces
    def _comment_text(self, marker: str) -> str:
        line = self.raw[self.current_line - 1].lstrip()
        if line[:2] == "#~":  # an obsolete entry's "#~ # note": GNU reads the comment "note"
            line = line[2:].lstrip()
        text = line[len(marker):]
        if self.check_comments:
            problem = comment_problem(text)
            if problem:
                raise self.error(f"{problem} in a comment")
        return text

    def _note(self, marker: str) -> str:
        """A translator's or extracted comment: its text after one space, unescaped."""
        c = self._comment_text(marker)
        return uncomment(c[1:] if c.startswith(" ") else c)

    def handle_he(self):
        self.instance.header_comments.append(self._note("#"))
        return True

    def handle_tc(self):
        if self.current_state in _ENDED:
            self._next()
        self.current_entry.comments.append(self._note("#"))
        return True

    def handle_gc(self):
        if self.current_state in _ENDED:
            self._next()
        self.current_entry.extracted.append(self._note("#."))
        return True

    def handle_oc(self):
        if self.current_state in _ENDED:
            self._next()
        self.current_entry.references.append(self._comment_text("#:").strip())
        return True

    def handle_fl(self):
        if self.current_state in _ENDED:
            self._next()
        self.current_entry.flags += [f.strip() for f in self._comment_text("#,").split(",")
                                     if f.strip()]
        return True


def _transitions() -> dict:
    """polib's transition table, as its `_POFileParser.__init__` builds it (`add`), with
    our handlers: (symbol, state) -> (handler, next state)."""
    polibs = polib._POFileParser("", klass=lambda **kw: None)
    return {key: (getattr(Parser, action.__name__), state)
            for key, (action, state) in polibs.transitions.items()}


_TRANSITIONS = _transitions()
