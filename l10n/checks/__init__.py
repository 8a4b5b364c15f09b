"""Quality checks on translated entries (Japanese source -> en / ko / es / ...).

`check_entry` runs every registered per-entry check on one (source, target) pair and
returns `Finding`s in registry order; `check_consistency` compares entries across
articles. `REGISTRY` maps each check id to its severity, description and function
(registry.py); `CHECKS` is the same as ``id -> (severity, description)``.

| module | checks |
|---|---|
| numbers.py (+ numerals.py, the target's readings) | numbers, extra_numbers |
| terms.py | glossary |
| formatting.py | markup |
| language.py | leftover_source, punctuation, same_as_source, length |
| safety.py | unsafe_markup, invisible_characters, line_break |
| consistency.py | consistency (across articles) |

A new check: a function decorated with ``@check(id, severity, description)`` in one of
these modules (or a new module imported below), and a case in
tests/data/checks_corpus.yaml.

Design rule: prefer missing a defect to crying wolf. Wherever the target could be read
in several ways (1.000 is 1000 in Spanish but 1.0 in English, "May" may be a month),
every reading is accepted; the source side is read conservatively. The safety checks
are the exception: there, anything that may be unsafe is an error.

Every check runs in time linear in the entry's length (text.py says how). This package
never imports textual.
"""
from __future__ import annotations

import unicodedata

from ..glossary import Glossary
from . import numbers, terms, formatting, language, safety, consistency  # noqa: F401  (registration order)
from .consistency import check_consistency
from .language import LENGTH_HIGH_FACTOR, LENGTH_LOW_FACTOR, LENGTH_MIN_SOURCE, LENGTH_TYPICAL
from .registry import REGISTRY, EntryText, Finding
from .safety import visible
from .text import base_lang, parse_pair

__all__ = [
    "Finding",
    "CHECKS",
    "REGISTRY",
    "LENGTH_TYPICAL",
    "LENGTH_LOW_FACTOR",
    "LENGTH_HIGH_FACTOR",
    "LENGTH_MIN_SOURCE",
    "check_entry",
    "check_consistency",
    "visible",
]

#: id -> (severity, description), in the order check_entry reports them.
CHECKS: dict[str, tuple[str, str]] = {c.id: (c.severity, c.description) for c in REGISTRY.values()}


def check_entry(source: str, target: str, lang: str, glossary: Glossary | None = None, *,
                role: str = "body", severity: str | None = None) -> list[Finding]:
    """All per-entry checks for one (Japanese source, target) pair.

    An empty (or all-whitespace) target gives no findings. `lang` is "en", "ko" or
    "es"; other codes get the language-neutral checks (numbers as digits and babel
    month names, markup, glossary, punctuation without the Spanish rules). `role` is
    the unit role (title, summary, caption, tag, heading, body): titles, headings,
    captions and tags need no end punctuation. Findings come in registry order (the
    order of CHECKS); within a check, in source order. With `severity`, only the checks
    registered with that severity run and only findings of that severity are returned
    (the dashboard counts errors alone; a warning check never reports an error).
    """
    if not target or target.isspace():
        return []
    source = unicodedata.normalize("NFC", source or "")
    target = unicodedata.normalize("NFC", target)
    lang = lang or ""
    src, tgt = parse_pair(source, target)
    entry = EntryText(source, target, src, tgt, lang, base_lang(lang), role or "body", glossary, severity)
    findings: list[Finding] = []
    for c in REGISTRY.values():
        if c.fn is not None and (severity is None or c.severity == severity):
            findings += c.fn(entry)
    if severity is not None:  # punctuation, an error check, also reports style warnings
        findings = [f for f in findings if f.severity == severity]
    return findings


def clear_caches() -> None:
    """Forget every memoized parse and analysis (benchmarks time a cold check with it)."""
    from . import numerals, text

    for module in (text, numbers, numerals, terms):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
