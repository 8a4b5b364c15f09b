"""Characters that no file we write ever holds raw: the one rule, for every door.

A catalog string may hold TAB and LF (written as `\\t` and `\\n`); any other C0 control,
DEL, a C1 control or a lone surrogate is refused, wherever it comes from (an article, a
PO file, l10n.yaml). A comment line, a reference, a flag or a header field holds none of
them, TAB and LF included: a line break there would start a new line of the file.
"""
from __future__ import annotations

import re

IN_STRING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # in a text file: TAB and LF are fine


def char_name(c: str) -> str:
    if c == "\x00":
        return "a NUL character"
    if c in "\n\r":
        return "a line break"
    return f"a control character U+{ord(c):04X}"


def string_problem(s: str) -> str | None:
    m = IN_STRING.search(s)
    return char_name(m.group()) if m else None


def line_problem(s: str) -> str | None:
    m = IN_LINE.search(s)
    return char_name(m.group()) if m else None
