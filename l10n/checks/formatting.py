"""The markup check: links, images, emphasis and code spans as in the source."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from . import text as _text
from .registry import EntryText, Finding, check, finding

#: At most this many differences of one kind are reported one by one; the rest in one finding.
MAX_REPORTED = 10


def _multiset_diff(a: Iterable[str], b: Iterable[str]) -> tuple[list[str], list[str]]:
    if not a and not b:
        return [], []
    ca, cb = Counter(a), Counter(b)
    return sorted((ca - cb).elements()), sorted((cb - ca).elements())


@check("markup", "error",
       "Links (same URLs), bold, italics and inline code match the source; code is not translated.")
def check_markup(e: EntryText) -> list[Finding]:
    src, tgt = e.src, e.tgt
    if not _text.LONG_WAY and not (src.hrefs or tgt.hrefs or src.images or tgt.images or src.code or tgt.code) \
            and max(src.strong, src.lenient_strong) == max(tgt.strong, tgt.lenient_strong) \
            and max(src.em, src.lenient_em) == max(tgt.em, tgt.lenient_em):
        return []  # nothing below can differ (most entries: plain text on both sides)
    findings = []

    def add(message: str):
        findings.append(finding("markup", message))

    def add_each(items: list[str], message, what: str):
        for item in items[:MAX_REPORTED]:
            add(message(item))
        if len(items) > MAX_REPORTED:
            add(f"Also {len(items) - MAX_REPORTED} more {what}.")

    missing, extra = _multiset_diff(src.hrefs, tgt.hrefs)
    add_each(missing, lambda url: f"The link to {url} in the source is missing from the translation.",
             "missing links")
    add_each(extra, lambda url: f"The translation links to {url}, which the source does not.", "extra links")
    missing, extra = _multiset_diff(src.images, tgt.images)
    add_each(missing, lambda url: f"The image {url} in the source is missing from the translation.",
             "missing images")
    add_each(extra, lambda url: f"The translation has an image {url} that the source does not.", "extra images")
    # A span counts if CommonMark parses it or if its delimiters pair up plainly (text.lenient_emphasis).
    src_strong, tgt_strong = max(src.strong, src.lenient_strong), max(tgt.strong, tgt.lenient_strong)
    if src_strong != tgt_strong:
        add(f"The source has {src_strong} bold (**…**) span(s) but the translation has {tgt_strong}.")
    src_em, tgt_em = max(src.em, src.lenient_em), max(tgt.em, tgt.lenient_em)
    if src_em != tgt_em:
        add(f"The source has {src_em} italic (*…*) span(s) but the translation has {tgt_em}.")
    missing, extra = _multiset_diff(src.code, tgt.code)
    add_each(missing, lambda code: f"The code `{code}` in the source is missing or changed in the translation "
                                   "(code is not translated).", "missing code spans")
    add_each(extra, lambda code: f"The translation has code `{code}` that is not in the source.", "extra code spans")
    return findings
