"""Text from outside, made inert for a terminal.

A msgid, a translation, a note, a file name or a server's message can hold control
characters: an escape sequence (`\\x1b[2J`, a hyperlink, a title change) would act on
the terminal of whoever runs `l10n check`, and bidi controls reorder what a reviewer
reads. Every line the CLI prints goes through `inert`, which shows them as visible
escapes instead (`\\x1b`, `\\u202e`); ordinary text, Japanese included, is unchanged.
"""
from __future__ import annotations

import re

# C0 and C1 control characters (DEL too); the bidi embeddings, overrides and isolates;
# the line and paragraph separators some terminals break on.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _visible(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def inert(text: object, keep_newlines: bool = False) -> str:
    """`text` as str with every control character shown as an escape.

    With `keep_newlines`, line breaks stay line breaks (for messages of several lines
    that we compose ourselves); everything else is escaped."""
    s = str(text)
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_visible, line) for line in s.split("\n"))
    return _UNSAFE.sub(_visible, s)


PLURALS = {"entry": "entries", "entry in conflict": "entries in conflict",
           "untranslated entry": "untranslated entries"}


def plural(n: int, word: str) -> str:
    """`1 article`, `2 articles`, `1 entry`, `0 entries`."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {PLURALS.get(word, word + 's')}"
