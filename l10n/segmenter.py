"""Japanese sentence segmentation of one Markdown block's inline source text.

The input is the raw inline Markdown of ONE block (a paragraph, a list item's text,
a heading...), with links, emphasis and code spans still written as Markdown. The
output is the character spans of its sentences; the text between spans is only
whitespace, so a translated document can be rebuilt by translating each span.

Rules
-----
Terminators
    A sentence ends after a run of 。｡！？‼⁇⁈⁉ and ASCII ``!`` ``?`` (runs such as
    ``！？``, ``？！``, ``!!``, ``。。``; ellipses ``…`` ``‥`` ``⋯`` inside or right
    after the run join it, so ``……。`` and ``えっ？……`` end where the run ends). The
    full-width period ``．`` is a terminator except between two digits (``１２．５``).
    An ellipsis alone does not end a sentence, and the ASCII ``.`` never does (English
    sentences quoted in Japanese text stay inside the surrounding sentence).
ASCII ``!`` and ``?``
    A run made only of ASCII ``!``/``?`` ends a sentence only when what follows it
    (after the closers below) is the end of the text, whitespace, or a CJK character
    (kana, kanji, CJK punctuation, full-width forms) -- and, for the CJK case, only
    when the character before the run is not an ASCII letter. So ``すごい!次`` and
    ``Hello! 次`` break, while ``Yahoo!ニュース``, ``Yahoo!Japan`` and ``a?b=1`` do not.
What stays with the sentence
    Closing brackets and quotes directly after the terminator run (``。」``, ``。）``,
    ``！』``), closing emphasis delimiters (``**重要です。**次`` ends after ``**``),
    closing HTML tags (``。</small>``) and a backslash hard line break (``。\\`` before
    a newline). A ``*``/``_``/``~~`` run after a terminator is taken as *closing* only
    while an emphasis run of the same character is open (an odd number of such runs
    seen so far; runs between spaces, ``_`` inside ASCII words and a single ``~`` do
    not count); otherwise it opens the next sentence's emphasis (``文。**次**`` breaks
    before ``**``).
Brackets and quotes
    No break while inside 「」『』（）()【】〈〉《》“”‘’"" (and 〔〕［］｛｝〖〗〘〙｢｣〝〟).
    Nesting is tracked with a stack. A closer matching nothing open is ignored (the
    depth never goes negative); a closer matching an opener further down the stack
    closes it and the unclosed ones above it (``「a（b。」`` closes both). The ASCII
    ``"`` closes the innermost open ``"`` if any, else opens one. Openers still open
    at the end of the text are then treated as ordinary characters and the text is
    segmented again, so a stray 「 never swallows the rest of the paragraph (two
    linear passes at most). A closer never creates a break by itself:
    ``「ありがとう。」と言った。`` is one sentence, except in the two cases below.
Complete sentences in brackets and quotes (issue 16)
    A *complete* bracketed text is one whose content ends with a terminator run that
    has a strong terminator (。！？．...; closers before the closing bracket allowed,
    ASCII ``!``/``?`` alone do not count: ``(Really?)`` is not complete).
    At a sentence start (only whitespace before it in the sentence), a complete
    ``（…）`` ``(…)`` ``【…】`` ``〔…〕`` ``［…］`` ``〖…〗`` ``〘…〙`` stands alone:
    ``（写真は後日掲載します。）次回に続く。`` is two sentences.
    A run of complete quotations ``「…」`` ``『…』`` ``“…”`` ``‘…’`` ``｢…｣`` ``〝…〟`` ``"…"``
    starting a sentence, one after another (whitespace between allowed), is split
    into one sentence each when the run is followed by whitespace or the end of the
    text: ``「はい。」「わかりました！」`` is two sentences, and so is
    ``「はい。」　次の文。``. When the sentence goes on right after the run
    (``「はい。」「わかりました！」と答えた。``, ``『…。』次の文``) the quotations stay in
    it: Japanese puts no space before the quotative と, so text glued to the closing
    quote is taken as the same sentence.
Opaque Markdown and URLs (never broken inside, brackets inside them do not count)
    Backslash escapes (``\\!``), code spans of any backtick length, autolinks
    ``<https://...>`` / ``<a@b.jp>``, inline HTML tags, inline links and images
    ``[text](dest "title")`` / ``![alt](dest)`` and reference links ``[text][ref]`` --
    the whole link including its text -- and bare URLs starting ``http://``,
    ``https://`` or ``www.`` (not preceded by an ASCII letter or digit). A bare URL
    runs over ASCII URL characters (so it stops at Japanese text, whitespace, ``<``,
    ``[``, backticks), minus trailing ``.,:;*_~'`` and unbalanced ``)``; unlike GFM a
    trailing ``!``/``?`` stays in the URL (``https://example.com/a?b=1!``).
    Link matching is an approximation of CommonMark that is linear time: ``[...]``
    is matched with a stack (code spans and escapes excluded), and an inline link
    ends at the ``)`` matching its ``(``; the destination is not validated.
Whitespace
    Spaces, tabs, newlines (softbreaks), CR, FF, VT and U+3000 between sentences are
    trimmed; a newline is not a sentence boundary by itself. Other spaces (U+00A0...)
    are ordinary characters. Text after the last terminator is a sentence too.

Everything is linear in the length of the text (bisect lookups aside).
"""
from __future__ import annotations

import re
import string
from bisect import bisect_left

from .inline_regions import _gaps, _opaque_regions

__all__ = ["WHITESPACE", "sentence_spans", "split_sentences", "segment"]

#: Characters trimmed between sentences (and from the ends of paragraphs).
WHITESPACE = " \t\n\r\f\v\u3000"

_STRONG_TERMINATORS = "。｡！？‼⁇⁈⁉"
_ASCII_TERMINATORS = "!?"
_FULLWIDTH_PERIOD = "．"
_TERMINATORS = _STRONG_TERMINATORS + _ASCII_TERMINATORS + _FULLWIDTH_PERIOD
_ELLIPSES = "…‥⋯"
_RUN_CHARS = frozenset(_TERMINATORS + _ELLIPSES)

_PAIRS = {
    "「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〈": "〉", "《": "》",
    "“": "”", "‘": "’", "〔": "〕", "［": "］", "｛": "｝", "〖": "〗", "〘": "〙",
    "｢": "｣", "〝": "〟",
}
_CLOSERS = frozenset(_PAIRS.values())
_QUOTE = '"'  # opens or closes, depending on what is open
_EMPHASIS = "*_~"

_SPECIAL = re.compile(
    "[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS) + _QUOTE + _EMPHASIS + _TERMINATORS) + "]"
)

_ASCII_LETTERS = frozenset(string.ascii_letters)
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9" or "０" <= c <= "９"


def _is_cjk(c: str) -> bool:
    """Kana, kanji, CJK symbols and punctuation, half- and full-width forms."""
    o = ord(c)
    return (
        0x3000 <= o <= 0x30FF  # CJK symbols and punctuation, hiragana, katakana
        or 0x31F0 <= o <= 0x31FF  # katakana phonetic extensions
        or 0x3400 <= o <= 0x4DBF  # CJK extension A
        or 0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= o <= 0xFAFF  # CJK compatibility ideographs
        or 0xFF00 <= o <= 0xFFEF  # half-width and full-width forms
        or 0x20000 <= o <= 0x3FFFF  # CJK extensions B and later
    )


# --------------------------------------------------------------------------- scanning


def _emphasis_run_end(text: str, i: int, limit: int) -> int:
    c = text[i]
    j = i + 1
    while j < limit and text[j] == c:
        j += 1
    return j


def _is_delimiter(text: str, i: int, j: int) -> bool:
    """Whether the run text[i:j] of * _ or ~ can open or close emphasis."""
    c = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[j] if j < len(text) else " "
    if prev in WHITESPACE and nxt in WHITESPACE:
        return False
    if c == "_" and prev in _ASCII_ALNUM and nxt in _ASCII_ALNUM:
        return False  # snake_case
    if c == "~" and j - i < 2:
        return False  # 10~20: only ~~ is strikethrough
    return True


_BRACKETS_STANDALONE = frozenset("（(【〔［〖〘")  # a complete sentence in them, at a sentence start, stands alone
_QUOTES_STANDALONE = frozenset("「『“‘｢〝" + _QUOTE)  # complete quotations, one after another
_COMPLETE_END = frozenset(_STRONG_TERMINATORS + _FULLWIDTH_PERIOD + _ELLIPSES)


def _scan(text: str, regions: list[tuple[int, int]], ignored: frozenset[int]) -> tuple[list[int], list[int]]:
    """Break positions, and the positions of the openers left open at the end.

    `regions` are skipped (opaque); the openers at the positions in `ignored` are
    read as plain text.
    """
    n = len(text)
    region_end = dict(regions)
    region_starts = [s for s, _ in regions]
    breaks: list[int] = []
    # (expected closer, opener position, "B" bracket / "Q" quotation at a sentence start, or "")
    stack: list[tuple[str, int, str]] = []
    open_count: dict[str, int] = {}  # expected closer -> how many on the stack
    open_emphasis = {c: False for c in _EMPHASIS}
    # the current sentence: how far it is known to be whitespace only, or that it is not
    blank_to = 0
    started = False
    quote_run: list[int] = []  # ends of complete quotations, one after another, at a sentence start

    def new_sentence(k: int) -> None:
        nonlocal blank_to, started
        breaks.append(k)
        blank_to, started = k, False

    def at_start(p: int) -> bool:
        """Whether only whitespace precedes p in the current sentence (amortized O(1))."""
        nonlocal blank_to, started
        if started:
            return False
        k = blank_to
        while k < p:
            if text[k] not in WHITESPACE:
                started = True
                return False
            k += 1
        blank_to = p
        return True

    def in_region(k: int) -> bool:
        if not region_starts:
            return False
        r = bisect_left(region_starts, k + 1) - 1
        return r >= 0 and regions[r][0] <= k < regions[r][1]

    def complete(opener: int, closer: int) -> bool:
        """Whether the text between the opener and the closer ends like a sentence."""
        k = closer - 1
        while k > opener and text[k] in _CLOSERS and not in_region(k):
            k -= 1
        if k <= opener or in_region(k) or text[k] not in _COMPLETE_END:
            return False
        while k > opener and text[k] in _RUN_CHARS and not in_region(k):
            if text[k] in _STRONG_TERMINATORS or text[k] == _FULLWIDTH_PERIOD:
                return True
            k -= 1
        return False

    def settle_quotes(k: int) -> None:
        """The run of complete quotations ends before k: each stands alone if the run is
        followed by whitespace or the end; else they all belong to the sentence that goes on."""
        nonlocal started
        if not quote_run:
            return
        end = quote_run[-1]
        if end >= n or text[end] in WHITESPACE:
            for q in quote_run:
                new_sentence(q)
        else:
            started = True
        quote_run.clear()

    def push(closer: str, position: int, opener: str) -> None:
        kind = ""
        if not stack:
            if quote_run and opener in _QUOTES_STANDALONE and not text[quote_run[-1]:position].strip(WHITESPACE):
                kind = "Q"  # the next of several quotations
            else:
                settle_quotes(position)
                if at_start(position):
                    kind = "B" if opener in _BRACKETS_STANDALONE else "Q" if opener in _QUOTES_STANDALONE else ""
        stack.append((closer, position, kind))
        open_count[closer] = open_count.get(closer, 0) + 1

    def close(closer: str, position: int) -> int | None:
        """Pops what `closer` closes; the end of a standalone unit if it completes one."""
        if not open_count.get(closer):  # it closes nothing and is ignored
            return None
        while True:
            expected, opened, kind = stack.pop()
            open_count[expected] -= 1
            if expected == closer:
                break
        if stack or not kind:
            return None
        if not complete(opened, position):
            if kind == "Q" and quote_run:
                settle_quotes(opened)
            return None
        end = end_of_sentence(position + 1)
        if kind == "B":
            settle_quotes(opened)
            new_sentence(end)
        else:
            quote_run.append(end)
        return end

    def end_of_sentence(k: int) -> int:
        """Where the sentence whose terminator run ends at k ends."""
        while k < n:
            if k in region_end:
                if text.startswith("</", k):  # closing HTML tag
                    k = region_end[k]
                    continue
                break
            d = text[k]
            if d in _CLOSERS:
                k += 1  # nothing is open, so it closes nothing
            elif d in _EMPHASIS:
                run_end = _emphasis_run_end(text, k, n)
                if not (open_emphasis[d] and _is_delimiter(text, k, run_end)):
                    break  # it opens the emphasis of the next sentence
                open_emphasis[d] = False
                k = run_end
            elif d == "\\" and text.startswith(("\n", "\r\n"), k + 1):
                return k + 1  # hard line break
            else:
                break
        return k

    i = 0  # next position to look at
    for gap_start, gap_end in _gaps(regions, n):
        for m in _SPECIAL.finditer(text, max(i, gap_start), gap_end):
            p = m.start()
            if p < i:
                continue
            c = text[p]
            i = p + 1
            if c == _QUOTE and p not in ignored and open_count.get(_QUOTE):
                i = close(_QUOTE, p) or i
            elif c == _QUOTE or c in _PAIRS:
                if p not in ignored:
                    push(_PAIRS.get(c, _QUOTE), p, c)
            elif c in _CLOSERS:
                i = close(c, p) or i
            elif c in _EMPHASIS:
                if not stack:
                    settle_quotes(p)
                i = _emphasis_run_end(text, p, n)
                if _is_delimiter(text, p, i):
                    open_emphasis[c] = not open_emphasis[c]
            else:  # a terminator
                if not stack:
                    settle_quotes(p)
                if c == _FULLWIDTH_PERIOD and 0 < p < n - 1 and _is_digit(text[p - 1]) and _is_digit(text[p + 1]):
                    continue  # １２．５
                ascii_only = True
                j = p
                while j < n and text[j] in _RUN_CHARS and j not in region_end:
                    if text[j] in _STRONG_TERMINATORS or text[j] == _FULLWIDTH_PERIOD:
                        ascii_only = False
                    j += 1
                i = j
                if stack:
                    continue  # inside brackets or quotes
                i = end_of_sentence(j)
                if ascii_only:
                    nxt = text[i] if i < n else " "
                    if nxt not in WHITESPACE and (not _is_cjk(nxt) or (p > 0 and text[p - 1] in _ASCII_LETTERS)):
                        continue  # Yahoo!ニュース, a?b, Hello!World
                new_sentence(i)
    settle_quotes(n)
    return breaks, [position for _, position, _ in stack]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of `text`, in order. The text
    between consecutive spans, before the first and after the last, is whitespace only
    (ASCII spaces, tabs, newlines, U+3000). Spans never start or end with whitespace.
    Empty or all-whitespace text gives []."""
    n = len(text)
    if not text.strip(WHITESPACE):
        return []
    regions = _opaque_regions(text)
    breaks, unclosed = _scan(text, regions, frozenset())
    if unclosed:  # segment again as if the openers never closed were plain text
        breaks, _ = _scan(text, regions, frozenset(unclosed))
    spans = []
    start = 0
    for end in breaks + [n]:
        a, b = start, end
        while a < b and text[a] in WHITESPACE:
            a += 1
        while b > a and text[b - 1] in WHITESPACE:
            b -= 1
        if a < b:
            spans.append((a, b))
        start = end
    return spans


def split_sentences(text: str) -> list[str]:
    """[text[a:b] for a, b in sentence_spans(text)]"""
    return [text[a:b] for a, b in sentence_spans(text)]


def segment(text: str, mode: str = "sentence") -> list[str]:
    """mode 'sentence': split_sentences(text); mode 'paragraph': [text.strip(whitespace incl. U+3000)] or []."""
    if mode == "sentence":
        return split_sentences(text)
    if mode == "paragraph":
        stripped = text.strip(WHITESPACE)
        return [stripped] if stripped else []
    raise ValueError(f"unknown segmentation mode {mode!r} (expected 'sentence' or 'paragraph')")
