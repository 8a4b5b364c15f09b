"""How `l10n check` prints its findings: streamed JSON, or text for a person.

Both read the Checker's blocks as they come, so the output starts before the last
catalog is read and memory does not grow with the number of findings. Everything taken
from a file is shown with control and format characters escaped (checks.visible).
"""
from __future__ import annotations

import json
from typing import TextIO

from ..quality import Checker, lines


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def render_json(checker: Checker, out: TextIO, extra: dict | None = None) -> None:
    """``{"findings": [...], "totals": {...}}``, one finding per line."""
    out.write('{"findings": [')
    first = True
    for block in checker.blocks():
        if block:
            out.write(("\n" if first else ",\n") + block)
            first = False
    totals = checker.totals.as_json() | (extra or {})
    out.write(("]" if first else "\n]") + ',\n"totals": ' + json.dumps(totals, ensure_ascii=False) + "}\n")


def render_plain(checker: Checker, out: TextIO) -> None:
    """Each entry with findings: where it is, its source and its translation, then its
    findings, one per line; then the totals."""
    from ..checks import visible

    last = None
    for block in checker.blocks():
        for line in lines(block):
            f = json.loads(line)
            entry = (f["file"], f["line"], f["msgctxt"], f["msgid"], f["msgstr"])
            if entry != last:
                role = f" ({f['msgctxt']})" if f["msgctxt"] else ""
                out.write(f"{f['article']} [{f['lang']}]{role} {f['file']}:{f['line']}\n"
                          f"    source:      {visible(f['msgid'])}\n"
                          f"    translation: {visible(f['msgstr'])}\n")
                last = entry
            out.write(f"  {f['severity']} {f['check']}: {visible(f['message'])}\n")
    t = checker.totals
    warnings = t.findings - t.errors
    out.write(f"{plural(t.findings, 'finding')}: {plural(t.errors, 'error')}, {plural(warnings, 'warning')}"
              f" in {plural(t.articles, 'article')}\n")
    if t.by_check:
        out.write("by check: " + ", ".join(f"{c} {n}" for c, n in sorted(t.by_check.items())) + "\n")
