"""Text from outside, made inert for a terminal.

A msgid, a translation, a note, a file name or a server's message can hold control
characters: an escape sequence (`\\x1b[2J`, a hyperlink, a title change) would act on
the terminal of whoever runs `l10n check`, and bidi controls reorder what a reviewer
reads. Every line the CLI prints goes through `inert`, which shows them as visible
escapes instead (`\\x1b`, `\\u202e`); ordinary text, Japanese included, is unchanged.
"""
from __future__ import annotations

import json
import unicodedata

# Characters that show nothing but act: the Hangul fillers, the braille blank, the
# combining grapheme joiner, the Mongolian and other variation selectors. Everything of
# Unicode categories Cc (controls), Cf (format: bidi controls, zero widths, BOM, tags),
# Cs (surrogates), Zl and Zp (line and paragraph separators) is unsafe as well.
INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180b\u180c\u180d\u180e\u180f") \
    | frozenset(chr(c) for c in range(0xFE00, 0xFE10))
_CATEGORIES = ("Cc", "Cf", "Cs", "Zl", "Zp")


def unsafe(c: str) -> bool:
    """A character a terminal acts on, or a reader cannot see."""
    return c in INVISIBLE_EXTRA or unicodedata.category(c) in _CATEGORIES


def _escape(c: str) -> str:
    o = ord(c)
    return f"\\x{o:02x}" if o < 0x100 else (f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}")


def inert(text: object, keep_newlines: bool = False, keep: str = "") -> str:
    """`text` as str with every unsafe character shown as an escape (`\\x1b`, `\\u202e`).

    With `keep_newlines`, line breaks stay line breaks (for messages of several lines
    that we compose ourselves); `keep` names more characters to leave (a tab)."""
    s = str(text)
    kept = set(keep) | ({"\n"} if keep_newlines else set())
    bad = [c for c in set(s) if c not in kept and unsafe(c)]
    if not bad:
        return s
    return s.translate({ord(c): _escape(c) for c in bad})


def json_text(data, **kw) -> str:
    """JSON whose every unsafe character is an escape: json escapes the C0 controls itself
    and leaves C1, format and bidi characters raw; those become `\\u009b` too, so the
    document is the same value and inert on a terminal."""
    text = json.dumps(data, ensure_ascii=False, **kw)
    bad = [c for c in set(text) if ord(c) > 0x7e and unsafe(c)]
    if not bad:
        return text
    return text.translate({ord(c): json.dumps(c)[1:-1] for c in bad})


PLURALS = {"entry": "entries", "entry in conflict": "entries in conflict",
           "untranslated entry": "untranslated entries"}


def plural(n: int, word: str) -> str:
    """`1 article`, `2 articles`, `1 entry`, `0 entries`."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {PLURALS.get(word, word + 's')}"
