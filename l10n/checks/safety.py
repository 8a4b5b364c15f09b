"""Checks that keep a published edition safe and its text what it seems.

- `unsafe_markup`: raw HTML the source does not have, and links, images, autolinks or
  reference definitions to ``javascript:``, ``vbscript:`` or ``data:`` URLs (read the way
  a browser would: entities decoded, percent escapes, whitespace and control characters
  removed, any case). The published Markdown copies a translation verbatim, so a
  Markdown consumer would render what the HTML writer escapes.
- `invisible_characters`: format characters (Unicode category Cf: zero-width spaces and
  joiners, bidi embeddings, overrides and isolates, the BOM, soft hyphens, tag
  characters), control characters and invisible fillers that the source does not have.
  They hide text from a reviewer, reorder what is displayed, or pad a text.
- `line_break`: a line break inside a translation whose source has none; when the article
  is rebuilt it can start a new paragraph, list or heading (``\\n# ...``).

`visible` shows any text with control and format characters escaped (``\\x1b``,
``\\u202e``), for every place that prints a translation on a terminal.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from urllib.parse import unquote

from ..display import INVISIBLE_EXTRA, inert
from . import text as _text
from .registry import EntryText, Finding, check, finding

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# invisible, though not of category Cf: fillers, the braille blank, variation selectors, CGJ
_INVISIBLE_EXTRA = INVISIBLE_EXTRA
_HAS_INVISIBLE_EXTRA = re.compile("[" + "".join(re.escape(c) for c in sorted(_INVISIBLE_EXTRA)) + "]").search
_HAS_LINE_BREAK = re.compile("[" + re.escape(LINE_BREAKS) + "]").search
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")


def url_scheme_danger(url: str) -> str | None:
    """The dangerous scheme a URL really has, or None: ``JaVa&#x73;cript :`` is javascript:."""
    u = url
    for _ in range(3):  # entities and percent escapes, nested a few levels deep
        decoded = unquote(html.unescape(u))
        if decoded == u:
            break
        u = decoded
    u = _URL_NOISE.sub("", u).lower()
    for scheme in DANGEROUS_SCHEMES:
        if u.startswith(scheme):
            return scheme
    return None


def _normalized_tag(tag: str) -> str:
    return " ".join(tag.lower().split())


@check("unsafe_markup", "error",
       "No raw HTML that the source does not have, and no javascript:, vbscript: or data: URL "
       "(any case, with entities, escapes or spaces) in a link, image or autolink.")
def check_unsafe_markup(e: EntryText) -> list[Finding]:
    findings: list[Finding] = []
    dangerous = []
    for url in e.tgt.urls:
        scheme = url_scheme_danger(url)
        if scheme:
            dangerous.append((scheme, url))
    if e.tgt.scanned:  # the linear scanner cannot tell prose from links: any such scheme counts
        squashed = _URL_NOISE.sub("", html.unescape(e.target)).lower()
        for scheme in DANGEROUS_SCHEMES:
            if scheme in squashed and not any(s == scheme for s, _ in dangerous):
                dangerous.append((scheme, scheme))
    for scheme, url in dangerous:
        shown = url if len(url) <= 60 else url[:60] + "…"
        findings.append(finding("unsafe_markup",
                                f"The translation has a {scheme} URL ({visible(shown)}); links may only "
                                "point to web pages."))
    if not e.tgt.html and not _text.LONG_WAY:  # no raw HTML in the translation: nothing more to compare
        return findings
    allowed = Counter(_normalized_tag(t) for t in e.src.html)
    extra = []
    for tag in e.tgt.html:
        key = _normalized_tag(tag)
        if allowed[key] > 0:
            allowed[key] -= 1
        else:
            extra.append(tag)
    if extra:
        shown = ", ".join(visible(t if len(t) <= 40 else t[:40] + "…") for t in extra[:3])
        more = f" and {len(extra) - 3} more" if len(extra) > 3 else ""
        findings.append(finding("unsafe_markup",
                                f"The translation has raw HTML that the source does not: {shown}{more}."))
    return findings


def invisible(c: str) -> bool:
    """A character a reader cannot see or that changes how text around it is displayed."""
    if c in LINE_BREAKS or c == "\t":
        return False
    return c in _INVISIBLE_EXTRA or unicodedata.category(c) in ("Cf", "Cc")


def char_name(c: str) -> str:
    return f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}"


@check("invisible_characters", "error",
       "No invisible format, bidi-control, control or filler character (zero-width space, "
       "U+202A-U+202E, U+2066-U+2069, BOM, ...) that the source does not have.")
def check_invisible(e: EntryText) -> list[Finding]:
    if e.target.isprintable() and not _HAS_INVISIBLE_EXTRA(e.target):
        return []  # no Cc or Cf character (str.isprintable is false for those), no filler
    in_source = set(e.source)
    chars = [c for c in set(e.target) if c not in in_source and invisible(c)]
    if not chars:
        return []
    chars.sort(key=e.target.index)
    names = ", ".join(char_name(c) for c in chars[:3]) + (f" and {len(chars) - 3} more" if len(chars) > 3 else "")
    return [finding("invisible_characters",
                    f"The translation has invisible characters that the source does not: {names}.")]


@check("line_break", "error",
       "No line break inside a translation whose source is one line (it would split the "
       "published paragraph).")
def check_line_break(e: EntryText) -> list[Finding]:
    if _HAS_LINE_BREAK(e.source):
        return []
    if not _HAS_LINE_BREAK(e.target.strip()):
        return []
    return [finding("line_break", "The translation has a line break but the source is one line; "
                                  "join the lines (the published paragraph would be split).")]


def visible(text: str, newlines: bool = False) -> str:
    """`text` with control, format and line-separator characters escaped (``\\x1b``,
    ``\\u202e``, ``\\x0a``), safe to print on a terminal. `newlines` keeps ``\\n``."""
    return inert(text, keep_newlines=newlines)
