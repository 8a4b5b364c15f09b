"""What the checks read: character classes and one entry's inline Markdown.

`parse_inline` separates visible text, link URLs, emphasis, code spans and raw HTML with
markdown-it-py (CommonMark), with every link kept, however unsafe its URL, so that the
safety check sees it (markdown-it would otherwise leave ``[x](javascript:...)`` as text).

Linear time. markdown-it-py costs up to about a millisecond per markup character and is
not linear on some shapes (a link destination is scanned to its end for every ``](``),
so an entry pair whose estimated parse cost (`markdown_cost`, computed in linear time from
character counts) is over `MARKDOWN_BUDGET` is read by `scan_inline`, a linear scanner
that errs on the safe side (any tag-like ``<x`` is HTML, any ``javascript:`` is a link).
No realistic unit comes near the budget; a 200,000-character wall of brackets does.
Every other regex here is linear: no nested or lazy quantifier can rescan the text.
"""
from __future__ import annotations

import html
import re
from typing import NamedTuple
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block.html_block import HTML_SEQUENCES

# --------------------------------------------------------------------------------------
# Character classes

JA_CLASS = (
    "\u3041-\u3096\u3099-\u309f"  # hiragana, voiced marks
    "\u30a0-\u30fa\u30fc-\u30ff"  # katakana (without the middle dot U+30FB)
    "\u31f0-\u31ff\uff66-\uff9f"  # katakana extensions, half-width katakana
    "\u3005-\u3007\u303b"  # 々 〆 〇 〻
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # kanji
)
KANA_CLASS = "\u3041-\u3096\u3099-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
KATAKANA_CLASS = "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
KANJI_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
JA_RE = re.compile(f"[{JA_CLASS}]")
JA_RUN_RE = re.compile(f"[{JA_CLASS}](?:[{JA_CLASS}\u30fb]|\\s(?=[{JA_CLASS}]))*")
KANA_RUN_RE = re.compile(f"[{KANA_CLASS}]+")
KANJI_RE = re.compile(f"[\u3005{KANJI_CLASS}]")

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]「」『』（）、。]+")
PLACEHOLDER = "\ufffc"  # stands for code spans, URLs and HTML in the checked text
FULLWIDTH = str.maketrans("０１２３４５６７８９．，％：", "0123456789.,%:")
_HAS_FULLWIDTH = re.compile("[" + "".join(re.escape(chr(c)) for c in FULLWIDTH) + "]").search

#: Tests set this to take the long way everywhere a shortcut would skip work (the
#: prefilters of numbers.py, numerals.py and the checks): both ways must agree
#: (tests/test_checks_shortcuts.py). Never set in production.
LONG_WAY = False


def halfwidth(text: str) -> str:
    """`text` with full-width digits, ．，％： made half-width (``text.translate(FULLWIDTH)``;
    str.translate costs a dictionary lookup per character, a search for the few
    characters it changes costs far less)."""
    return text.translate(FULLWIDTH) if _HAS_FULLWIDTH(text) else text


def fold_case(text: str) -> str:
    """`text` in lower case, character for character (same length, same positions), such
    that every character re.IGNORECASE takes for an ASCII letter becomes that letter in
    lower case: A -> a, and İ, ı -> i, ſ -> s, K (Kelvin) -> k. So a case-sensitive search
    for lower-case ASCII words in it finds at least what a case-insensitive one finds in
    `text` (tests/test_checks_shortcuts.py checks this on every code point)."""
    if text.isascii():
        return text.lower()
    return text.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")


def word_heads(words, ignore_case: bool) -> tuple[str, ...] | None:
    """The first three letters of each of `words`, for `word_matches` (in lower case
    when the words are matched case-insensitively: `fold_case` lowers the text). None
    when a word does not start with three ASCII letters (then no shortcut)."""
    heads = set()
    for w in words:
        head = w[:3]
        if len(head) < 3 or not (head.isascii() and head.isalpha()):
            return None
        heads.add(head.lower() if ignore_case else head)
    return tuple(sorted(heads)) if heads else None


_IGNORECASE = int(re.IGNORECASE)


def word_matches(regex: re.Pattern, heads: tuple[str, ...] | None, text: str) -> list[re.Match]:
    """``list(regex.finditer(text))`` for a `regex` each of whose matches starts with one
    of `heads` (`word_heads` of its words, with its case rule), tried only where a head
    is (str.find is far faster than re trying each alternative at every position). The
    matches are the same: `regex` is tried at every place it could match, in order, and
    a place inside the previous match is skipped as finditer skips it."""
    if heads is None or LONG_WAY:
        return list(regex.finditer(text))
    scanned = fold_case(text) if regex.flags & _IGNORECASE else text
    starts: list[int] = []
    for head in heads:
        i = scanned.find(head)
        while i >= 0:
            starts.append(i)
            i = scanned.find(head, i + 1)
    if not starts:
        return []
    starts.sort()
    found: list[re.Match] = []
    end = 0
    for start in starts:
        if start >= end:
            m = regex.match(text, start)
            if m:
                found.append(m)
                end = m.end()
    return found


def sub_urls(text: str, by: str) -> str:
    """``URL_RE.sub(by, text)``: every URL starts with "http" or "www." (a cheap test)."""
    return URL_RE.sub(by, text) if "http" in text or "www." in text else text


@lru_cache(maxsize=256)
def base_lang(lang: str) -> str:
    return (lang or "").replace("_", "-").split("-")[0].lower()


def quote_list(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(f'"{s}"' for s in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# --------------------------------------------------------------------------------------
# One entry's inline Markdown


class Inline(NamedTuple):  # immutable like a frozen dataclass, and twice as fast to build (once per text)
    raw: str
    visible: str  # everything a reader sees (text, link text, code, URLs)
    text: str  # visible text without code spans, URLs and HTML (replaced by PLACEHOLDER)
    hrefs: tuple[str, ...]  # link targets (autolinks included), as markdown-it normalizes them
    images: tuple[str, ...]
    strong: int
    em: int
    code: tuple[str, ...]
    lenient_strong: int
    lenient_em: int
    html: tuple[str, ...] = ()  # raw HTML: inline tags, comments, and HTML block starts
    urls: tuple[str, ...] = ()  # every URL a renderer may follow: hrefs, images, reference definitions
    scanned: bool = False  # read by the linear scanner (too costly for markdown-it)


def _permissive(md: MarkdownIt) -> MarkdownIt:
    md.validateLink = lambda url: True  # keep javascript: links as links: the safety check judges them
    return md


_md = _permissive(MarkdownIt("commonmark"))
_md_blocks = _permissive(MarkdownIt("commonmark").disable(["inline", "text_join"]))

# markdown-it's inline rules stop at these characters; each costs a rule dispatch
_TERMINATORS = "\n!#$%&*+-:<=>@[\\]^_`{}~"
# estimated cost of each, in units of about 10 microseconds (measured on markdown-it-py 4)
_WEIGHTS = {c: 2 for c in _TERMINATORS} | {"[": 60, "!": 40, "*": 30, "_": 30, "<": 10, "\n": 15,
                                            "`": 10, "&": 10, "]": 10, "\\": 5, ":": 8, "~": 4}
#: Above this estimated cost an entry is read by the linear scanner instead of markdown-it.
MARKDOWN_BUDGET = 200_000


def markdown_cost(text: str) -> int:
    """An upper estimate of markdown-it's work on `text`, in linear time."""
    n = len(text)
    cost = n // 100
    for ch, w in _WEIGHTS.items():
        cost += text.count(ch) * w
    # a link destination, a title or an HTML tag is scanned up to its end, which can be
    # the end of the text: each opener may cost a scan of the rest
    openers = text.count("](") + text.count("<") + text.count("![")
    return cost + openers * (n // 20)


# No text this long can be over the budget: markdown_cost(t) <= n/100 + 60n + n*(n//20)
# for n = len(t) (each character weighs at most 60 and opens at most one scan).
_ALWAYS_UNDER_BUDGET = 1400


def parse_pair(source: str, target: str) -> tuple[Inline, Inline]:
    """Both sides read the same way: markdown-it, or the scanner if either is too costly."""
    if len(source) <= _ALWAYS_UNDER_BUDGET and len(target) <= _ALWAYS_UNDER_BUDGET:
        return parse_inline(source), parse_inline(target)
    if markdown_cost(source) > MARKDOWN_BUDGET or markdown_cost(target) > MARKDOWN_BUDGET:
        return scan_inline(source), scan_inline(target)
    return parse_inline(source), parse_inline(target)


def _unescape(url: str) -> str:
    return html.unescape(url)


# Characters that make markdown-it's inline parser (CommonMark preset) produce anything
# but one text token equal to the input: escapes, code, emphasis, links, images,
# autolinks and HTML, entities, line breaks, and what its normalizer rewrites (\r, NUL).
# Text with none of them is read without markdown-it (tests/test_checks_fast.py proves
# the two readings equal on arbitrary text).
_ACTIVE = frozenset("\\`*_[]!<&\n\r\0")


@lru_cache(maxsize=4096)
def parse_inline(raw: str) -> Inline:
    if _ACTIVE.isdisjoint(raw):
        return Inline(raw, raw, sub_urls(raw, PLACEHOLDER), (), (), 0, 0, (), 0, 0)
    return markdown_inline(raw)


def markdown_inline(raw: str) -> Inline:
    """`parse_inline` by markdown-it, whatever the text."""
    tokens = _md.parseInline(raw)
    children = tokens[0].children or [] if tokens else []
    visible: list[str] = []
    text: list[str] = []
    hrefs: list[str] = []
    images: list[str] = []
    code: list[str] = []
    tags: list[str] = []
    strong = em = 0
    in_autolink = False
    for tok in children:
        kind = tok.type
        if kind == "text":
            visible.append(tok.content)
            text.append(PLACEHOLDER if in_autolink else tok.content)
        elif kind in ("softbreak", "hardbreak"):
            visible.append("\n")
            text.append("\n")
        elif kind == "code_inline":
            code.append(tok.content)
            visible.append(tok.content)
            text.append(PLACEHOLDER)
        elif kind == "link_open":
            hrefs.append(str(tok.attrs.get("href", "")))
            in_autolink = tok.markup == "autolink"
        elif kind == "link_close":
            in_autolink = False
        elif kind == "image":
            images.append(str(tok.attrs.get("src", "")))
            visible.append(tok.content)
            text.append(tok.content)
        elif kind == "strong_open":
            strong += 1
        elif kind == "em_open":
            em += 1
        elif kind == "html_inline":
            tags.append(tok.content)
            text.append(PLACEHOLDER)
    urls = hrefs + images
    if "<" in raw or "]:" in raw:
        block_tags, refs = _block_level(raw)
        tags += [t for t in block_tags if t not in tags]
        urls += refs
    visible_s = "".join(visible)
    text_s = sub_urls("".join(text), PLACEHOLDER)
    lenient_strong, lenient_em = lenient_emphasis(raw)
    return Inline(raw, visible_s, text_s, tuple(hrefs), tuple(images), strong, em, tuple(code),
                  lenient_strong, lenient_em, tuple(tags), tuple(urls))


def _block_level(raw: str) -> tuple[list[str], list[str]]:
    """What a unit does when it starts a published block: HTML blocks, reference definitions.

    A unit is inline text, but the first unit of a paragraph (or a line after a line
    break) starts a block when the article is rebuilt."""
    tags: list[str] = []
    for line in raw.splitlines():
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 3 or not stripped.startswith("<"):
            continue
        for opener, _closer, _ in HTML_SEQUENCES:
            m = opener.search(stripped)
            if m:
                tags.append(stripped[:200])
                break
    refs: list[str] = []
    if "]:" in raw:
        env: dict = {}
        _md_blocks.parse(raw, env)
        refs = [str(r.get("href", "")) for r in (env.get("references") or {}).values()]
    return tags, refs


# --------------------------------------------------------------------------------------
# Emphasis and code spans without markdown-it, in linear time


def code_spans(raw: str) -> list[tuple[int, int, str]]:
    """CommonMark code spans ``(start, end, content)``: a backtick string opens, the next
    backtick string of the same length closes; an opener without a closer is literal.
    Linear: each length's closers are visited in order, at most once."""
    runs = [(m.start(), m.end() - m.start()) for m in re.finditer(r"`+", raw)]
    if not runs:
        return []
    by_len: dict[int, list[int]] = {}
    for i, (_pos, length) in enumerate(runs):
        by_len.setdefault(length, []).append(i)
    pointer = {length: 0 for length in by_len}
    spans = []
    i = 0
    while i < len(runs):
        pos, length = runs[i]
        if pos > 0 and raw[pos - 1] == "\\" and (pos < 2 or raw[pos - 2] != "\\"):
            i += 1  # an escaped backtick string does not open
            continue
        same = by_len[length]
        p = pointer[length]
        while p < len(same) and same[p] <= i:
            p += 1
        pointer[length] = p
        if p < len(same):
            j = same[p]
            start, end = pos, runs[j][0] + length
            content = raw[pos + length:runs[j][0]].replace("\n", " ")
            if content.strip(" ") and content.startswith(" ") and content.endswith(" "):
                content = content[1:-1]
            spans.append((start, end, content))
            i = j + 1
        else:
            i += 1
    return spans


def _replace_spans(raw: str, spans: list[tuple[int, int, str]], by: str) -> str:
    out, last = [], 0
    for start, end, _ in spans:
        out.append(raw[last:start])
        out.append(by)
        last = end
    out.append(raw[last:])
    return "".join(out)


def _with_contents(raw: str, spans: list[tuple[int, int, str]]):
    last = 0
    for start, end, content in spans:
        yield raw[last:start]
        yield content
        last = end
    yield raw[last:]


_LINK_DEST_RE = re.compile(r"\]\([^)\s]*\)?")  # optional closer: never rescans on failure
_ESCAPED_RE = re.compile(r"\\[*_\\]")


def _pairs(text: str, delim: str, can_open, can_close) -> tuple[int, str]:
    """How many `delim` spans pair up (each opener with the first closer after it, as a
    lazy regex would), and the text with the paired delimiters removed. Linear."""
    step = len(delim)
    count, out, last = 0, [], 0
    opener = -1
    pos = text.find(delim)
    while pos != -1:
        if opener >= 0 and pos >= opener + step + 1 and can_close(text, pos, pos + step):
            count += 1
            out.append(text[last:opener])
            out.append(text[opener + step:pos])
            last = pos + step
            opener = -1
            pos = text.find(delim, pos + step)
            continue
        if opener < 0 and can_open(text, pos, pos + step):
            opener = pos
            pos = text.find(delim, pos + step)
            continue
        pos = text.find(delim, pos + 1)
    out.append(text[last:])
    return count, "".join(out)


def _is_space(text: str, i: int) -> bool:
    return i < 0 or i >= len(text) or text[i].isspace()


def _strong_open(t, a, b):
    return not _is_space(t, b)


def _strong_close(t, a, b):
    return not _is_space(t, a - 1)


def _em_star_open(t, a, b):
    return b < len(t) and not t[b].isspace() and t[b] != "*"


def _em_star_close(t, a, b):
    return a > 0 and not t[a - 1].isspace() and t[a - 1] != "*"


def _word(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def _em_under_open(t, a, b):
    return (a == 0 or not _word(t[a - 1])) and b < len(t) and not t[b].isspace() and t[b] != "_"


def _em_under_close(t, a, b):
    return a > 0 and not t[a - 1].isspace() and t[a - 1] != "_" and (b >= len(t) or not _word(t[b]))


def lenient_emphasis(raw: str, spans: list | None = None) -> tuple[int, int]:
    """Count **strong** and *em* spans by their delimiters alone.

    CommonMark does not open or close emphasis next to CJK punctuation
    (``**「大分県」**は`` stays literal), so each side counts the larger of the
    markdown-it count and this plain delimiter count."""
    text = _replace_spans(raw, code_spans(raw) if spans is None else spans, " ")
    text = _LINK_DEST_RE.sub("]", text)
    text = _ESCAPED_RE.sub("", text)
    strong_star, text = _pairs(text, "**", _strong_open, _strong_close)
    strong_under, text = _pairs(text, "__", _strong_open, _strong_close)
    em_star, _ = _pairs(text, "*", _em_star_open, _em_star_close)
    em_under, _ = _pairs(text, "_", _em_under_open, _em_under_close)
    return strong_star + strong_under, em_star + em_under


# --------------------------------------------------------------------------------------
# The linear scanner, for entries too costly for markdown-it

_SCAN_LINK_RE = re.compile(r"(!?)\]\(\s*(<[^<>\n]*>|[^\s()<>]*)")
_SCAN_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*)>")
_SCAN_TAG_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>?|!--|\?|![A-Za-z]|!\[CDATA\[)")
_SCAN_REF_RE = re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*(\S+)", re.M)


@lru_cache(maxsize=64)
def scan_inline(raw: str) -> Inline:
    spans = code_spans(raw)
    code = tuple(c for _, _, c in spans)
    rest = _replace_spans(raw, spans, PLACEHOLDER)
    hrefs, images = [], []
    for m in _SCAN_LINK_RE.finditer(rest):
        url = _unescape(m.group(2).strip("<>"))
        (images if m.group(1) else hrefs).append(url)
    hrefs += [_unescape(m.group(1)) for m in _SCAN_AUTOLINK_RE.finditer(rest)]
    tags = [m.group()[:200] for m in _SCAN_TAG_RE.finditer(rest)]
    refs = [_unescape(m.group(1)) for m in _SCAN_REF_RE.finditer(rest)]
    text = _SCAN_AUTOLINK_RE.sub(PLACEHOLDER, rest)
    text = _SCAN_TAG_RE.sub(PLACEHOLDER, text)
    text = _LINK_DEST_RE.sub("]", text)
    text = URL_RE.sub(PLACEHOLDER, text)
    visible = "".join(_with_contents(raw, spans))
    lenient_strong, lenient_em = lenient_emphasis(raw, spans)
    return Inline(raw, visible, text, tuple(hrefs), tuple(images), 0, 0, code, lenient_strong,
                  lenient_em, tuple(tags), tuple(hrefs + images + refs), True)
