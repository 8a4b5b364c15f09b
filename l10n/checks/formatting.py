"""The markup check: links, images, emphasis and code spans as in the source."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .registry import EntryText, Finding, check, finding


def _multiset_diff(a: Iterable[str], b: Iterable[str]) -> tuple[list[str], list[str]]:
    ca, cb = Counter(a), Counter(b)
    return sorted((ca - cb).elements()), sorted((cb - ca).elements())


@check("markup", "error",
       "Links (same URLs), bold, italics and inline code match the source; code is not translated.")
def check_markup(e: EntryText) -> list[Finding]:
    src, tgt = e.src, e.tgt
    findings = []

    def add(message: str):
        findings.append(finding("markup", message))

    missing, extra = _multiset_diff(src.hrefs, tgt.hrefs)
    for url in missing:
        add(f"The link to {url} in the source is missing from the translation.")
    for url in extra:
        add(f"The translation links to {url}, which the source does not.")
    missing, extra = _multiset_diff(src.images, tgt.images)
    for url in missing:
        add(f"The image {url} in the source is missing from the translation.")
    for url in extra:
        add(f"The translation has an image {url} that the source does not.")
    # A span counts if CommonMark parses it or if its delimiters pair up plainly (text.lenient_emphasis).
    src_strong, tgt_strong = max(src.strong, src.lenient_strong), max(tgt.strong, tgt.lenient_strong)
    if src_strong != tgt_strong:
        add(f"The source has {src_strong} bold (**…**) span(s) but the translation has {tgt_strong}.")
    src_em, tgt_em = max(src.em, src.lenient_em), max(tgt.em, tgt.lenient_em)
    if src_em != tgt_em:
        add(f"The source has {src_em} italic (*…*) span(s) but the translation has {tgt_em}.")
    missing, extra = _multiset_diff(src.code, tgt.code)
    for code in missing:
        add(f"The code `{code}` in the source is missing or changed in the translation (code is not translated).")
    for code in extra:
        add(f"The translation has code `{code}` that is not in the source.")
    return findings
