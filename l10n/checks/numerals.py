"""Numbers as a translation writes them: digits in every local format, number words
(English, Spanish, Korean native and Sino-Korean), month names (from Babel), scales
(thousand, millones, 만). Every plausible reading of the target is accepted.

`target_numbers` gives every value the target can be read as (the missing-number check);
`target_tokens` gives each digit token with its readings (the extra-number check).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import text as _text
from .text import fold_case, halfwidth, sub_urls, word_heads, word_matches


def _dec(text: str) -> Decimal:
    return Decimal(text)


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_ORD = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth".split())}
_EN_ORD.update({w: 10 * (i + 2) for i, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split())})
_EN_ORD.update({"hundredth": 100, "thousandth": 1000})
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_SPECIAL: dict[str, tuple] = {
    "a": (1,), "an": (1,), "once": (1,), "single": (1,), "twice": (2,), "double": (2,), "both": (2,),
    "pair": (2,), "couple": (2,), "thrice": (3,), "triple": (3,), "dozen": (12,), "decade": (10,),
    "century": (100,), "half": ("0.5", 50), "quarter": ("0.25", 25), "noon": (12,), "midday": (12,),
    "midnight": (0, 12, 24), "centennial": (100,), "centenary": (100,), "bicentennial": (200,),
    "bicentenary": (200,), "sesquicentennial": (150,), "semicentennial": (50,), "tercentenary": (300,),
    "quincentennial": (500,), "no": (0,), "none": (0,), "nil": (0,), "firstly": (1,), "secondly": (2,),
    "thirdly": (3,), "per": (1,), "each": (1,), "every": (1,), "overnight": (1, 2), "annual": (1,),
    "annually": (1,), "yearly": (1,), "alone": (1,), "sole": (1,),
    **{f"{w[:-1]}ies": (v,) for w, v in _EN_TENS.items()},  # twenties .. nineties
}
def _phrases(items: list[tuple[str, int]]) -> tuple[re.Pattern, tuple[int, ...], tuple[str, ...] | None]:
    """Phrases as one case-insensitive regex (one pass), the n-th group with the n-th value;
    and the phrases' first words (lower-case letters followed by a space): text without
    any of them (`fold_case`d) has none of the phrases. None if a phrase has no such word."""
    heads = [re.match(r"[a-z]+(?= )", p) for p, _ in items]
    return (re.compile(r"\b(?:" + "|".join(f"({p})" for p, _ in items) + r")\b", re.I),
            tuple(v for _, v in items), None if not all(heads) else tuple(sorted({h.group() for h in heads})))


_EN_PHRASES = _phrases([(r"silver (?:jubilee|anniversary|wedding)", 25), (r"ruby (?:jubilee|anniversary)", 40),
                        (r"golden (?:jubilee|anniversary)", 50), (r"diamond (?:jubilee|anniversary)", 60),
                        (r"half an hour", 30), (r"quarter of an hour", 15)])

_ES_UNITS = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiun": 21,
    "veintiuno": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
    "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300, "cuatrocientos": 400,
    "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
    "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900,
    "novecientas": 900,
}
_ES_SCALES = {"mil": 1000, "millon": 10**6, "millones": 10**6, "millardo": 10**9, "millardos": 10**9,
              "billon": 10**12, "billones": 10**12}
_ES_ORD_STEMS = {
    "primer": 1, "primero": 1, "primera": 1, "segund": 2, "tercer": 3, "tercero": 3, "tercera": 3, "cuart": 4,
    "quint": 5, "sext": 6, "septim": 7, "setim": 7, "octav": 8, "noven": 9, "decim": 10, "undecim": 11,
    "duodecim": 12, "decimotercer": 13, "decimotercero": 13, "decimotercera": 13, "decimocuart": 14,
    "decimoquint": 15, "decimosext": 16, "decimoseptim": 17, "decimoctav": 18, "decimonoven": 19,
    "vigesim": 20, "trigesim": 30, "cuadragesim": 40, "quincuagesim": 50, "sexagesim": 60, "septuagesim": 70,
    "octogesim": 80, "nonagesim": 90, "centesim": 100, "milesim": 1000,
}
_ES_ORD: dict[str, int] = {}
for _stem, _v in _ES_ORD_STEMS.items():
    if _stem.endswith(("o", "a", "r")) and _stem not in ("segund",):
        _ES_ORD[_stem] = _v
    for _suffix in ("o", "a", "os", "as"):
        _ES_ORD.setdefault(_stem + _suffix, _v)
_ES_SPECIAL: dict[str, tuple] = {
    "ambos": (2,), "ambas": (2,), "par": (2,), "doble": (2,), "triple": (3,), "docena": (12,), "decada": (10,),
    "siglo": (100,), "mitad": ("0.5", 50), "medio": ("0.5",), "media": ("0.5",), "mediodia": (12,),
    "medianoche": (0, 12, 24), "ningun": (0,), "ninguno": (0,), "ninguna": (0,), "centenario": (100,),
    "bicentenario": (200,), "tricentenario": (300,), "sesquicentenario": (150,), "cincuentenario": (50,),
    "centenar": (100,), "millar": (1000,), "veintena": (20,), "treintena": (30,), "quincena": (15,),
    "cada": (1,), "unico": (1,), "unica": (1,), "anual": (1,), "anualmente": (1,),
}
_ES_PHRASES = _phrases([(r"bodas de plata", 25), (r"bodas de oro", 50), (r"bodas de diamante", 60),
                        (r"media hora", 30), (r"cuarto de hora", 15)])

_KO_NATIVE = {"하나": 1, "한": 1, "첫": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4, "넉": 4,
              "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "열한": 11, "열하나": 11, "열두": 12,
              "열둘": 12, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60}
_KO_NATIVE_RE = re.compile(
    r"(?<![가-힣])(" + "|".join(sorted(_KO_NATIVE, key=len, reverse=True)) +
    r")(?=\s|번|째|명|개|곳|가지|차례|살|해|달|시|나라|개국|$|[.,!?])")
_KO_UNIT_WORD_RE = re.compile(r"(?<![가-힣0-9])(백|천|만|억)(?=\s|명|개|원|엔|주년|년|$)")
_KO_SPECIAL = {"절반": ("0.5", 50), "정오": (12,), "자정": (0, 12, 24), "매년": (1,), "매일": (1,)}
_HANGUL = re.compile("[가-힣]").search
# [0-9][0-9]* rather than [0-9]+ (the same matches): a pattern that starts with a character
# class lets re skip in C to where a match can start; one that starts with a repeat does not
_KO_NUMBER = re.compile(r"([0-9][0-9]*(?:[.,][0-9]+)*)(?:\s?(천|백|십))?(?:\s?(만|억|조))?")
_KO_SMALL = {"십": 10, "백": 100, "천": 1000}
_KO_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}

_TARGET_NUMBER = re.compile(r"[0-9][0-9]*(?:(?:[.,'\u00a0\u202f\u2009]|\s(?=[0-9]{3}(?![0-9])))[0-9]+)*")
_EN_MULT = re.compile(r"^\s?(?:(thousand|million|billion|trillion)\b|([kK])\b|(M|bn)\b)")
_ES_MULT = re.compile(r"^\s?(mil millones|mil|millones|millón|millon|millardos?|billones|billón|billon)\b", re.I)


_TOKEN_SEP = re.compile(r"([.,'\u00a0\u202f\u2009\s])")


@lru_cache(maxsize=16384)
def _target_token_values(token: str) -> frozenset[Decimal]:
    """Every plausible reading of a digit token: 1.000 -> {1000, 1}, 12,5 -> {12.5, 12, 5}."""
    if token.isdigit():
        return frozenset({_dec(token)})
    parts = _TOKEN_SEP.split(token)
    groups, seps = parts[0::2], parts[1::2]
    values = {_dec(g) for g in set(groups)}
    if len(set(seps)) == 1 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        values.add(_dec("".join(groups)))
    if len(seps) == 1 and seps[0] in ".,":
        values.add(_dec(f"{groups[0]}.{groups[1]}"))
    if len(seps) >= 2 and seps[-1] in ".," and len(set(seps[:-1])) == 1 and seps[-1] != seps[0] \
            and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:-1]):
        values.add(_dec("".join(groups[:-1]) + "." + groups[-1]))  # 1,234.5 / 1.234,5
    return frozenset(values)


def _words_value(words: list[str], units: dict, tens: dict, ords: dict, scales: dict) -> set[Decimal]:
    """Values of number words: each word alone, plus every run of words composed
    (twenty-five, one hundred twenty, dos mil veinticinco, vigésimo quinto)."""
    values: set[Decimal] = set()
    total = current = 0
    kind = ""  # kind of the previous number word in the run; "" = no run

    def flush():
        nonlocal total, current, kind
        if kind:
            values.add(Decimal(total + current))
        total = current = 0
        kind = ""

    def classify(v: int) -> str:
        if v >= 100 and v % 100 == 0:
            return "hundreds"
        if 20 <= v < 100 and v % 10 == 0:
            return "tens"
        return "unit"

    for w in words:
        if w in units or w in tens:
            v = units[w] if w in units else tens[w]
            values.add(Decimal(v))
            k = classify(v)
            joins = (kind in ("hundred", "scale") and (k != "hundreds" or kind == "scale")) or (
                kind in ("tens", "ord_tens") and k == "unit" and v < 10)
            if joins:
                current += v
            else:
                flush()
                current = v
            kind = "hundred" if k == "hundreds" else k
        elif w in ords:
            v = ords[w]
            values.add(Decimal(v))
            if v in (100, 1000) and kind:
                current = (current or 1) * v
            elif (kind in ("hundred", "scale")) or (kind in ("tens", "ord_tens") and v < 10):
                current += v
            else:
                flush()
                current = v
                if 10 <= v < 100 and v % 10 == 0:
                    kind = "ord_tens"  # vigésimo quinto, décimo tercero: wait for the unit
                    continue
            kind = "ordinal"
            flush()
        elif w in scales:
            v = scales[w]
            values.add(Decimal(v))
            if v == 100:
                current = (current or 1) * 100
                kind = "hundred"
            elif v == 1000:
                total += (current or 1) * 1000
                current = 0
                kind = "scale"
            else:
                total = ((total + current) or 1) * v
                current = 0
                kind = "scale"
        elif w in ("and", "y") and kind:
            continue
        else:
            flush()
    flush()
    return values


@lru_cache(maxsize=64)
def _month_regex(lang: str) -> tuple[re.Pattern | None, tuple[int, ...], tuple[str, ...] | None]:
    """Month names for `lang` from babel, as one regex (one pass over the text) whose
    n-th group is the n-th month of the tuple; English names are case-sensitive (May).
    Third: the names' heads (text.word_heads), where the regex is tried (text.word_matches)."""
    if lang in ("ja", "ko", "zh"):
        return None, (), None
    try:
        from babel.dates import get_month_names
        wide = get_month_names("wide", locale=lang)
        abbr = get_month_names("abbreviated", locale=lang)
    except Exception:  # unknown locale: digits only
        return None, (), None
    alts: list[str] = []
    months: list[int] = []
    spelled: list[str] = []  # each alternative's name, for its head
    for month, name in wide.items():
        alts.append(f"({re.escape(name)})(?!\\w)")
        months.append(month)
        spelled.append(name)
    wide_lower = {w.lower() for w in wide.values()}
    for month, name in abbr.items():
        names = {name.rstrip(".")}
        if lang == "en" and month == 9:
            names.add("Sept")
        for n in sorted(names):
            if len(n) < 3 or n.lower() in wide_lower:
                continue
            follow = r"(?:\.|(?=\s[0-9]))" if lang == "en" else r"\."
            alts.append(f"({re.escape(n)}){follow}")
            months.append(month)
            spelled.append(n)
    if not alts:
        return None, (), None
    flags = 0 if lang == "en" else re.I
    return (re.compile(r"(?<!\w)(?:" + "|".join(alts) + ")", flags), tuple(months),
            word_heads(spelled, ignore_case=bool(flags)))


def _phrase_values(phrases: tuple, text: str) -> set[Decimal]:
    regex, values, heads = phrases
    if heads is not None and not _text.LONG_WAY:
        folded = fold_case(text)
        if not any(h in folded for h in heads):
            return set()
    return {Decimal(values[m.lastindex - 1]) for m in regex.finditer(text)}


def _word_list(text: str, letters: str) -> list[str]:
    """Words of `letters` in order, with "" where anything but spaces or hyphens separates
    two words (so "five, 1.5 million" does not compose into five million). One regex pass."""
    return _word_regex(letters).findall(text)


@lru_cache(maxsize=8)
def _word_regex(letters: str) -> re.Pattern:
    return re.compile(f"([{letters}]+)|[^{letters}\\s\\-‐]+")  # a separator gives ""



@dataclass
class Token:
    """A digit token of the target and every value it can stand for."""

    text: str
    start: int
    end: int
    readings: set[Decimal]


# a digit token glued to Latin letters is a name or a code (G7, COVID-19, 4K), not a count
_GLUED_BEFORE = re.compile(r"[A-Za-z][\-‐]?$")
_GLUED_AFTER = re.compile(r"^(?!(?:st|nd|rd|th|s|h|am|pm|a\.m|p\.m|o|a|er|e|re|º|ª)\b)[A-Za-z]")


@lru_cache(maxsize=16)
def _digit_tokens(text: str, lang: str) -> tuple[tuple[Token, ...], frozenset[Decimal], str]:
    """Every digit token of the target with its readings, and whether it is glued to
    letters; the union of all readings; the text as read (half-width, URLs blanked).
    Computed once per (text, language)."""
    t = sub_urls(halfwidth(text), " ")
    tokens: list[Token] = []
    values: set[Decimal] = set()
    scaled_langs = lang in ("en", "es")
    for m in _TARGET_NUMBER.finditer(t):
        token, start, end = m.group(), m.start(), m.end()
        token_values = _target_token_values(token)
        values |= token_values
        after = t[end:end + 20]
        mult = _multiplier(after, lang) if scaled_langs and after[:2].strip()[:1].isalpha() else None
        readings = set(token_values)
        if mult:
            readings |= {v * mult for v in token_values}
            values |= readings
        if (start and _GLUED_BEFORE.search(t, max(0, start - 2), start)) or (after[:1].isalpha() and _GLUED_AFTER.match(after)):
            continue
        tokens.append(Token(token, start, end, readings))
    if lang == "ko":
        by_start = {tok.start: tok for tok in tokens}
        for start, readings in _korean_chains(t):
            values |= readings
            if start in by_start:
                by_start[start].readings |= readings
    return tuple(tokens), frozenset(values), t


def target_tokens(text: str, lang: str) -> tuple[Token, ...]:
    """Digit tokens of the target with their readings (multipliers and Korean units
    applied: "1.5 million", "2억 5000만"). Tokens glued to Latin letters are left out."""
    return _digit_tokens(text, lang)[0]


def target_digit_values(text: str, lang: str) -> frozenset[Decimal]:
    """The values of the target's digits (multipliers and Korean units applied): a part
    of `target_numbers`, which adds the words, months and phrases."""
    return _digit_tokens(text, lang)[1]


def _multiplier(after: str, lang: str) -> int | None:
    if lang == "en":
        mm = _EN_MULT.match(after)
        if mm:
            word = mm.group(1) or mm.group(2) or mm.group(3)
            return {"k": 1000, "K": 1000, "M": 10**6, "bn": 10**9}.get(word) or _EN_SCALES[word.lower()]
    elif lang == "es":
        mm = _ES_MULT.match(after)
        if mm:
            key = _strip_accents(mm.group(1).lower())
            return 10**9 if key == "mil millones" else _ES_SCALES[key]
    return None


def target_numbers(text: str, lang: str, needed: set[Decimal] | None = None) -> set[Decimal]:
    """Every value the target can be read as: digits, words, months, scales.

    With `needed`, a reading none of whose possible values is needed is left out: months
    (1-12), phrases and special words (their tables' values), Korean words. A caller that
    asks whether some values are there (missing_numbers) gets the same answer."""
    _tokens, digit_values, t = _digit_tokens(text, lang)
    values: set[Decimal] = set(digit_values)
    if _text.LONG_WAY:
        needed = None

    every = needed is None  # else: a reading is made only if it can give a needed value
    if lang == "ko" and (every or not needed.isdisjoint(_KO_WORD_VALUES)):
        values |= _korean_words(t)
    month_re, months, heads = _month_regex(lang)
    if month_re is not None and (every or not needed.isdisjoint(_MONTH_VALUES)):
        values |= {Decimal(months[m.lastindex - 1]) for m in word_matches(month_re, heads, t)}

    def add_special(table: dict, words: list[str]):
        for word in set(words) & table.keys():
            values.update(Decimal(v) for v in table[word])

    # _words_value finds a value only in a word of its tables: skipped when there is none
    if lang == "en":
        words = _word_list(t.lower(), "a-z")
        if _text.LONG_WAY or not _EN_NUMBER_WORDS.isdisjoint(words):
            values |= _words_value(words, _EN_UNITS, _EN_TENS, _EN_ORD, _EN_SCALES)
        if every or not needed.isdisjoint(_EN_SPECIAL_VALUES):
            add_special(_EN_SPECIAL, words)
        if every or not needed.isdisjoint(_EN_PHRASES_VALUES):
            values |= _phrase_values(_EN_PHRASES, t)
    elif lang == "es":
        stripped = _strip_accents(t.lower())
        words = _word_list(stripped, "a-zñ")
        if _text.LONG_WAY or _ES_ORD_TENS_SHARED in stripped:  # every stem of _ES_ORD_SPLIT has it
            expanded: list[str] = []
            for w in words:  # vigesimoquinto -> vigesimo quinto
                split = _ES_ORD_SPLIT.match(w)
                if split and split.group(2) in _ES_ORD:
                    expanded.extend(split.groups())
                else:
                    expanded.append(w)
        else:
            expanded = words
        text_words = " ".join(w or "|" for w in expanded).replace("mil millones", "millardo").split()
        text_words = [w if w != "|" else "" for w in text_words]
        if _text.LONG_WAY or not _ES_NUMBER_WORDS.isdisjoint(text_words):
            values |= _words_value(text_words, _ES_UNITS, {}, _ES_ORD, _ES_SCALES)
        if every or not needed.isdisjoint(_ES_SPECIAL_VALUES):
            add_special(_ES_SPECIAL, text_words)
        if every or not needed.isdisjoint(_ES_PHRASES_VALUES):
            values |= _phrase_values(_ES_PHRASES, t)
    return values


_ES_ORD_TENS = ("vigesimo", "trigesimo", "cuadragesimo", "quincuagesimo", "sexagesimo", "septuagesimo",
                "octogesimo", "nonagesimo", "centesimo")
_ES_ORD_SPLIT = re.compile(r"^(" + "|".join(_ES_ORD_TENS) + r")(\w+)$")
_ES_ORD_TENS_SHARED = "esimo"  # in every one of _ES_ORD_TENS (a test checks it)
#: Every word _words_value reads, per language.
_EN_NUMBER_WORDS = frozenset(_EN_UNITS) | frozenset(_EN_TENS) | frozenset(_EN_ORD) | frozenset(_EN_SCALES)
_ES_NUMBER_WORDS = frozenset(_ES_UNITS) | frozenset(_ES_ORD) | frozenset(_ES_SCALES)

#: Every value a reading other than digits and number words can give (target_numbers' `needed`).
_MONTH_VALUES = frozenset(Decimal(m) for m in range(1, 13))  # babel's months are 1-12 (a test checks it)
_EN_SPECIAL_VALUES = frozenset(Decimal(v) for vs in _EN_SPECIAL.values() for v in vs)
_ES_SPECIAL_VALUES = frozenset(Decimal(v) for vs in _ES_SPECIAL.values() for v in vs)
_EN_PHRASES_VALUES = frozenset(Decimal(v) for v in _EN_PHRASES[1])
_ES_PHRASES_VALUES = frozenset(Decimal(v) for v in _ES_PHRASES[1])
_KO_UNIT_WORDS = {"백": 100, "천": 1000, "만": 10**4, "억": 10**8}
_KO_WORD_VALUES = frozenset(Decimal(v) for v in [*_KO_NATIVE.values(), *_KO_UNIT_WORDS.values(),
                                                  *(v for vs in _KO_SPECIAL.values() for v in vs)])


@lru_cache(maxsize=4096)
def _ko_token(digits: str, small: str, big: str) -> tuple[frozenset[Decimal], Decimal, int]:
    token_values = _target_token_values(digits)
    big_value = _KO_BIG.get(big, 1)
    scaled = {v * _KO_SMALL.get(small, 1) * big_value for v in token_values}
    return frozenset(token_values | scaled), max(scaled), (big_value if big_value > 1 else 0)


@lru_cache(maxsize=16)
def _korean_chains(t: str) -> tuple[tuple[int, frozenset[Decimal]], ...]:
    """``(start, readings)`` of each Sino-Korean number: 3만 -> 30000, 2억 5000만 -> 250000000
    (every token of a chain can stand for the chain's total)."""
    out: list[tuple[int, frozenset[Decimal]]] = []
    chain: list[tuple[int, set[Decimal]]] = []
    chain_total: Decimal | None = None
    chain_unit = 0
    prev_end = -10
    for m in _KO_NUMBER.finditer(t):
        if chain_unit == 0 and not m.group(2) and not m.group(3):
            out += [(start, frozenset(r)) for start, r in chain]  # a plain number: no chain
            chain, chain_total, prev_end = [], None, m.end()
            continue
        readings, main, unit = _ko_token(m.group(1), m.group(2) or "", m.group(3) or "")
        if chain_total is not None and chain_unit > main and not t[prev_end:m.start()].strip():
            chain_total += main
            chain.append((m.start(), set(readings)))
            for _, r in chain:
                r.add(chain_total)
        else:
            out += [(start, frozenset(r)) for start, r in chain]
            chain = [(m.start(), set(readings))]
            chain_total = main
        chain_unit = unit
        prev_end = m.end()
    out += [(start, frozenset(r)) for start, r in chain]
    return tuple(out)


def _korean_words(t: str) -> set[Decimal]:
    """Native Korean numerals and unit words (the digit chains are in _digit_tokens)."""
    values: set[Decimal] = set()
    if not _text.LONG_WAY and not _HANGUL(t):
        return values  # every word looked for is Hangul syllables (a test checks it)
    for m in _KO_NATIVE_RE.finditer(t):
        values.add(Decimal(_KO_NATIVE[m.group(1)]))
    for m in _KO_UNIT_WORD_RE.finditer(t):
        values.add(Decimal(_KO_UNIT_WORDS[m.group(1)]))
    for word, vs in _KO_SPECIAL.items():
        if word in t:
            values |= {Decimal(v) for v in vs}
    return values
