"""Checks on the words of a translation: Japanese left behind, punctuation, a copy of
the source, a plausible length."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from . import text as _text
from .registry import EntryText, Finding, check, finding
from .text import JA_RE, JA_RUN_RE, KANA_RUN_RE, PLACEHOLDER, quote_list

#: Typical target/source length ratio in characters, per target language.
LENGTH_TYPICAL: dict[str, tuple[float, float]] = {"en": (2.0, 3.5), "es": (2.3, 4.0), "ko": (0.8, 1.5)}
#: Flag a translation shorter than LOW_FACTOR x the typical low ratio ...
LENGTH_LOW_FACTOR = 0.35
#: ... or longer than HIGH_FACTOR x the typical high ratio.
LENGTH_HIGH_FACTOR = 3.0
#: Sources shorter than this many visible characters are not length-checked.
LENGTH_MIN_SOURCE = 8

ROLES_WITHOUT_END_PUNCTUATION = frozenset({"title", "heading", "caption", "tag"})

_JA_PUNCT_BASE = "。、「」『』"
_JA_PUNCT_KO = _JA_PUNCT_BASE + "【】〔〕・（）！？：；，．［］｛｝\u3000"
_JA_PUNCT_LATIN = _JA_PUNCT_KO + "〈〉《》～〜＂＇"
_PUNCT_NAMES = {"\u3000": "full-width space"}
_SOURCE_END = "。！？!?．"
_TARGET_END = ".!?…:。！？"
_CLOSERS = "\"'”’»)]}）」』】〉》*_ \t\n\u3000\u00a0"
_DOUBLE_SPACE = re.compile(r"\S[ \t\u00a0]{2,}(?=\S)")


# --------------------------------------------------------------------------------------
# Leftover Japanese, punctuation


@check("leftover_source", "error", "No Japanese kana or kanji is left in the translation (outside code and URLs).")
def check_leftover(e: EntryText) -> list[Finding]:
    if e.base == "ja":
        return []
    pattern = KANA_RUN_RE if e.base == "zh" else JA_RUN_RE
    if not _text.LONG_WAY and not pattern.search(e.tgt.text):
        return []  # (most translations)
    runs = list(dict.fromkeys(m.group().strip() for m in pattern.finditer(e.tgt.text)))
    if not runs:
        return []
    return [finding("leftover_source", f"Japanese text is left in the translation: {quote_list(runs)}.")]


def _punct_set(base: str) -> str:
    if base in ("ja", "zh"):
        return ""
    if base == "ko":
        return _JA_PUNCT_KO
    return _JA_PUNCT_LATIN


_PUNCT_SETS = {p: frozenset(p) for p in (_JA_PUNCT_KO, _JA_PUNCT_LATIN)}


def _clip(text: str, limit: int = 30, left: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if left else text[:limit] + "…"


@check("punctuation", "error",
       "No Japanese punctuation, paired Spanish ¿? and ¡!, no leading or trailing spaces "
       "(errors); final punctuation like the source and no double spaces (warnings).")
def check_punctuation(e: EntryText) -> list[Finding]:
    findings: list[Finding] = []
    src, tgt = e.src, e.tgt

    def add(severity: str, sub: str, message: str):
        findings.append(finding("punctuation", f"[{sub}] {message}", severity))

    # Japanese punctuation (code spans and URLs excluded)
    punct = _punct_set(e.base)
    if punct and not _PUNCT_SETS[punct].isdisjoint(tgt.text):
        found = [c for c in dict.fromkeys(tgt.text) if c in punct]
        if found:
            names = ", ".join(_PUNCT_NAMES.get(c, c) for c in found)
            add("error", "japanese-punctuation",
                f"The translation contains Japanese punctuation ({names}); use the target language's punctuation.")

    # the style warnings: not made for an errors-only run, which would drop them
    style = e.severity != "error" or _text.LONG_WAY

    # end punctuation
    if style and e.role not in ROLES_WITHOUT_END_PUNCTUATION:
        src_end = src.visible.rstrip(_CLOSERS)
        tgt_end = tgt.visible.rstrip(_CLOSERS)
        if src_end and src_end[-1] in _SOURCE_END and tgt_end and tgt_end[-1] not in _TARGET_END:
            add("warning", "end-punctuation",
                f'The source ends with "{src_end[-1]}" but the translation does not end with ".", "!" or "?".')

    # Spanish ¿…? and ¡…!
    if e.base == "es":
        text = tgt.text.replace("(?)", "").replace("(!)", "")
        for opening, closing in (("¿", "?"), ("¡", "!")):
            if opening not in text and closing not in text:
                continue
            depth = unopened = 0
            for c in text:
                if c == opening:
                    depth += 1
                elif c == closing:
                    if depth:
                        depth -= 1
                    else:
                        unopened += 1
            if unopened:
                add("error", "spanish-inverted", f'The translation has "{closing}" without an opening "{opening}".')
            if depth:
                add("error", "spanish-inverted", f'The translation has "{opening}" without a closing "{closing}".')

    # double spaces (outside code), quoted with a word or two around them
    # (no line break can be part of a match: one search of the whole text tells if any line has one)
    for line in tgt.text.split("\n") if _text.LONG_WAY or (style and _DOUBLE_SPACE.search(tgt.text)) else ():
        m = _DOUBLE_SPACE.search(line)
        if m:
            head = line[:m.start() + 1].split(" ")
            tail = line[m.end():].split(" ")
            context = " ".join(_clip(w, left=True) for w in head[-2:]) + line[m.start() + 1:m.end()] \
                + " ".join(_clip(w) for w in tail[:2])
            add("warning", "double-space",
                f'The translation has a double space: "{context.replace(PLACEHOLDER, "…").strip()}".')
            break

    # leading / trailing whitespace that the source does not have
    if e.target[:1].isspace() and not e.source[:1].isspace():
        add("error", "whitespace", "The translation starts with a space or line break.")
    if e.target[-1:].isspace() and not e.source[-1:].isspace():
        add("error", "whitespace", "The translation ends with a space or line break.")
    return findings


# --------------------------------------------------------------------------------------
# Same as source, length


@check("same_as_source", "warning", "The translation is not a copy of the Japanese source.")
def check_same(e: EntryText) -> list[Finding]:
    if e.source.strip() == e.target.strip() and JA_RE.search(e.source):
        return [finding("same_as_source", "The translation is identical to the Japanese source.")]
    return []


@check("length", "warning", "The translation's length is plausible for the language.")
def check_length(e: EntryText) -> list[Finding]:
    bounds = LENGTH_TYPICAL.get(e.base)
    if bounds is None:
        return []
    src_text = " ".join(e.src.visible.split())
    tgt_text = " ".join(e.tgt.visible.split())
    if len(src_text) < LENGTH_MIN_SOURCE or not tgt_text:
        return []
    low, high = bounds
    mid = (low + high) / 2
    # Latin letters, digits and spaces in the source carry over about 1:1, so they
    # count 1/mid of a Japanese character.
    wide = sum(n for c, n in Counter(src_text).items() if unicodedata.east_asian_width(c) in "WF")
    effective = wide + (len(src_text) - wide) / mid
    ratio = len(tgt_text) / effective
    if ratio < low * LENGTH_LOW_FACTOR:
        word = "short"
    elif ratio > high * LENGTH_HIGH_FACTOR:
        word = "long"
    else:
        return []
    return [finding("length",
                    f"The translation is unusually {word} for its source ({len(tgt_text)} characters for "
                    f"{len(src_text)}, {ratio:.1f}x; about {low}-{high}x is normal for {e.lang}).")]
