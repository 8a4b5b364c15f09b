"""The glossary check: a source term comes out as its glossary translation."""
from __future__ import annotations

import re
from functools import lru_cache

from .registry import EntryText, Finding, check, finding
from .text import PLACEHOLDER


def _fold(text: str, lang: str) -> str:
    text = text.replace("’", "'").replace("*", "")
    if lang == "ko":
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text).casefold()


@lru_cache(maxsize=8192)
def _term_pattern(expected: str, lang: str) -> re.Pattern:
    """The expected translation as a regex: case-insensitive, flexible spaces and
    tolerant of inflection: a word of 5+ letters may end differently after its stem
    (Prefecture -> Prefectural, Ministry -> Ministries, hermana -> hermanas), a shorter
    word may take a plural -s/-es. Korean: substring match ignoring spaces."""
    folded = _fold(expected, lang)
    if lang == "ko":
        return re.compile(re.escape(folded))
    parts = []
    for word in re.split(r"(\s+)", folded):
        if word.isspace():
            parts.append(r"\s+")
        elif len(word) >= 5 and word.isalpha():
            stem = word[:-1] if word[-1] in "aeoy" else word
            parts.append(re.escape(stem) + r"\w*")
        elif len(word) >= 3 and word[-1].isalpha():
            parts.append(re.escape(word) + "(?:s|es)?")
        else:
            parts.append(re.escape(word))
    return re.compile("".join(parts))


@check("glossary", "error", "Glossary terms found in the source are translated as the glossary says.")
def check_glossary(e: EntryText) -> list[Finding]:
    if e.glossary is None:
        return []
    findings = []
    seen: set[str] = set()
    target = None  # folded when a term needs it
    for _start, _end, term in e.glossary.hits(e.src.text):
        expected = term.translations.get(e.lang) or term.translations.get(e.base)
        if not expected or term.ja in seen:
            continue
        seen.add(term.ja)
        if target is None:
            target = _fold(e.tgt.text.replace(PLACEHOLDER, " "), e.base)
        if not _term_pattern(expected, e.base).search(target):
            findings.append(finding("glossary",
                                    f'The glossary term "{term.ja}" should be translated as "{expected}".'))
    return findings
