"""Where inline Markdown is opaque to sentence segmentation: backslash escapes, code spans,
autolinks, inline HTML tags, links and images, bare URLs (see segmenter.py's docstring,
"Opaque Markdown and URLs"). Everything is linear in the length of the text (bisect
lookups aside). Publishing uses `atomic_regions` and `link_parts` to find raw HTML and
link targets in a translation (publish_markdown.py).
"""
from __future__ import annotations

import re
import string
from bisect import bisect_left

_ASCII_PUNCT = frozenset(string.punctuation)

# Constructs recognised in the first pass, left to right (they bind tighter than links).
_ATOMIC_START = re.compile(r"[\\`<]")
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*)>"
)
_HTML_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9\-]*"
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:\-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9\-]*\s*>"
)
_BACKTICK_RUN = re.compile(r"`+")
_LINK_BRACKET = re.compile(r"[\[\]()]")
_BARE_URL = re.compile(
    r"(?<![A-Za-z0-9])(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)"
    r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*"
)
_URL_TRAILING = ".,:;*_~'"


def _atomic_regions(text: str) -> list[tuple[int, int]]:
    """Escapes, code spans, autolinks and HTML tags, as sorted disjoint (start, end)."""
    regions: list[tuple[int, int]] = []
    n = len(text)
    runs_by_length: dict[int, list[int]] | None = None  # maximal backtick runs
    free = 0  # first position not yet covered
    while (m := _ATOMIC_START.search(text, free)) is not None:
        p = m.start()
        free = p + 1
        c = text[p]
        if c == "\\":
            if p + 1 < n and text[p + 1] in _ASCII_PUNCT:
                regions.append((p, p + 2))
                free = p + 2
        elif c == "`":
            if runs_by_length is None:
                runs_by_length = {}
                for run in _BACKTICK_RUN.finditer(text):
                    runs_by_length.setdefault(run.end() - run.start(), []).append(run.start())
            end = _BACKTICK_RUN.match(text, p).end()
            length = end - p
            candidates = runs_by_length.get(length, [])
            k = bisect_left(candidates, end)
            if k < len(candidates):  # the next run of exactly the same length closes it
                free = candidates[k] + length
                regions.append((p, free))
            else:  # no closer: the backticks are literal text
                free = end
        else:  # "<"
            match = _AUTOLINK.match(text, p) or _HTML_TAG.match(text, p)
            if match:
                regions.append((p, match.end()))
                free = match.end()
    return regions


def _link_regions(text: str, atomic: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Inline links/images and reference links, as sorted disjoint (start, end)."""
    return [(start, end) for start, _, end in link_parts(text, atomic)]


def link_parts(text: str, atomic: list[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
    """Top-level links and images as sorted disjoint (start, label end, end): the label is
    text[start + 1 or 2:label end] (`[` or `![`), then `](dest)` or `[ref]` up to end.
    Publishing uses it to find link targets in a translation (publish_markdown.py)."""
    if "[" not in text:
        return []
    if atomic is None:
        atomic = _atomic_regions(text)
    atomic_end = dict(atomic)
    bracket_match: dict[int, int] = {}
    paren_match: dict[int, int] = {}
    bracket_stack: list[int] = []
    paren_stack: list[int] = []
    openers: list[int] = []
    a = 0
    for m in _LINK_BRACKET.finditer(text):
        p = m.start()
        while a < len(atomic) and atomic[a][1] <= p:
            a += 1
        if a < len(atomic) and atomic[a][0] <= p:
            continue  # inside a code span, escape, autolink or tag
        c = text[p]
        if c == "[":
            bracket_stack.append(p)
            openers.append(p)
        elif c == "]":
            if bracket_stack:
                bracket_match[bracket_stack.pop()] = p
        elif c == "(":
            paren_stack.append(p)
        elif paren_stack:
            paren_match[paren_stack.pop()] = p

    regions: list[tuple[int, int, int]] = []
    covered = 0
    n = len(text)
    for o in openers:
        if o < covered or o not in bracket_match:
            continue
        after = bracket_match[o] + 1
        if after < n and text[after] == "(" and after in paren_match:
            end = paren_match[after] + 1
        elif after < n and text[after] == "[" and after in bracket_match:
            end = bracket_match[after] + 1
        else:
            continue
        start = o
        if o > 0 and text[o - 1] == "!" and atomic_end.get(o - 2) != o:  # image, not "\!["
            start = o - 1
        regions.append((start, after - 1, end))
        covered = end
    return regions


def atomic_regions(text: str) -> list[tuple[int, int]]:
    """Escapes, code spans, autolinks and HTML tags of inline Markdown (see the module doc)."""
    return _atomic_regions(text)


def _gaps(regions: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    gaps = []
    pos = 0
    for start, end in regions:
        if start > pos:
            gaps.append((pos, start))
        pos = end
    if pos < n:
        gaps.append((pos, n))
    return gaps


def _url_regions(text: str, gaps: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Bare URLs, searched only between the regions found before."""
    regions = []
    for gap_start, gap_end in gaps:
        for m in _BARE_URL.finditer(text, gap_start, gap_end):
            start, end = m.span()
            opened = text.count("(", start, end)
            closed = text.count(")", start, end)
            while end > start:
                c = text[end - 1]
                if c in _URL_TRAILING:
                    end -= 1
                elif c == ")" and closed > opened:
                    closed -= 1
                    end -= 1
                else:
                    break
            regions.append((start, end))
    return regions


def _opaque_regions(text: str) -> list[tuple[int, int]]:
    """Sorted disjoint spans inside which a sentence never breaks."""
    atomic = _atomic_regions(text)
    links = _link_regions(text, atomic)
    # Links never start inside an atomic region and cover whatever they enclose.
    merged: list[tuple[int, int]] = []
    for start, end in sorted(atomic + links):
        if merged and start < merged[-1][1]:
            continue
        merged.append((start, end))
    if _BARE_URL.search(text):
        merged = sorted(merged + _url_regions(text, _gaps(merged, len(text))))
    return merged
