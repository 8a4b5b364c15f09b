"""Quality checks on translated entries (Japanese source -> en / ko / es / ...).

`check_entry` runs every per-entry check on one (source, target) pair and returns
`Finding`s in a fixed order; `check_consistency` compares entries across articles.
`CHECKS` is the registry of check ids (for docs and ``l10n check --help``).

Design rule: prefer missing a defect to crying wolf. Wherever the target could be read
in several ways (1.000 is 1000 in Spanish but 1.0 in English, "May" may be a month),
every reading is accepted; the source side is read conservatively (a kanji numeral
only counts as a number next to a counter such as 人, 回, 年, 周年).

Source and target are inline Markdown; markdown-it-py (CommonMark) is used to separate
visible text, link URLs, emphasis and code spans. This module never imports textual.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from markdown_it import MarkdownIt

from .glossary import Glossary

__all__ = [
    "Finding",
    "CHECKS",
    "LENGTH_TYPICAL",
    "LENGTH_LOW_FACTOR",
    "LENGTH_HIGH_FACTOR",
    "LENGTH_MIN_SOURCE",
    "check_entry",
    "check_consistency",
]


@dataclass(frozen=True)
class Finding:
    check: str  # check id, a key of CHECKS
    severity: str  # "error" | "warning"
    message: str  # one sentence for the translator


CHECKS: dict[str, tuple[str, str]] = {
    "numbers": ("error", "Every number in the source (digits, full-width digits, kanji numerals, dates, "
                         "ranges, ordinals, anniversaries, percentages) appears in the translation."),
    "glossary": ("error", "Glossary terms found in the source are translated as the glossary says."),
    "markup": ("error", "Links (same URLs), bold, italics and inline code match the source; code is not translated."),
    "leftover_source": ("error", "No Japanese kana or kanji is left in the translation (outside code and URLs)."),
    "punctuation": ("error", "No Japanese punctuation, paired Spanish ¿? and ¡!, no leading or trailing spaces "
                             "(errors); final punctuation like the source and no double spaces (warnings)."),
    "same_as_source": ("warning", "The translation is not a copy of the Japanese source."),
    "length": ("warning", "The translation's length is plausible for the language."),
    "consistency": ("warning", "The same source text is translated the same way in every article."),
}

#: Typical target/source length ratio in characters, per target language.
LENGTH_TYPICAL: dict[str, tuple[float, float]] = {"en": (2.0, 3.5), "es": (2.3, 4.0), "ko": (0.8, 1.5)}
#: Flag a translation shorter than LOW_FACTOR x the typical low ratio ...
LENGTH_LOW_FACTOR = 0.35
#: ... or longer than HIGH_FACTOR x the typical high ratio.
LENGTH_HIGH_FACTOR = 3.0
#: Sources shorter than this many visible characters are not length-checked.
LENGTH_MIN_SOURCE = 8

_ROLES_WITHOUT_END_PUNCTUATION = frozenset({"title", "heading", "caption"})

# --------------------------------------------------------------------------------------
# Character classes

_JA_CLASS = (
    "\u3041-\u3096\u3099-\u309f"  # hiragana, voiced marks
    "\u30a0-\u30fa\u30fc-\u30ff"  # katakana (without the middle dot U+30FB)
    "\u31f0-\u31ff\uff66-\uff9f"  # katakana extensions, half-width katakana
    "\u3005-\u3007\u303b"  # 々 〆 〇 〻
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # kanji
)
_KANA_CLASS = "\u3041-\u3096\u3099-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_JA_RE = re.compile(f"[{_JA_CLASS}]")
_JA_RUN_RE = re.compile(f"[{_JA_CLASS}](?:[{_JA_CLASS}\u30fb]|\\s(?=[{_JA_CLASS}]))*")
_KANA_RUN_RE = re.compile(f"[{_KANA_CLASS}]+")
_KANJI_RE = re.compile("[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

_JA_PUNCT_BASE = "。、「」『』"
_JA_PUNCT_KO = _JA_PUNCT_BASE + "【】〔〕・（）！？：；，．［］｛｝\u3000"
_JA_PUNCT_LATIN = _JA_PUNCT_KO + "〈〉《》～〜＂＇"
_PUNCT_NAMES = {"\u3000": "full-width space"}

_SOURCE_END = "。！？!?．"
_TARGET_END = ".!?…:。！？"
_CLOSERS = "\"'”’»)]}）」』】〉》*_ \t\n\u3000\u00a0"
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]「」『』（）、。]+")
_PLACEHOLDER = "\ufffc"  # stands for code spans and URLs in the checked text

_md = MarkdownIt("commonmark")


def _base_lang(lang: str) -> str:
    return (lang or "").replace("_", "-").split("-")[0].lower()


# --------------------------------------------------------------------------------------
# Inline Markdown


@dataclass(frozen=True)
class _Inline:
    raw: str
    visible: str  # everything a reader sees (text, link text, code, URLs)
    text: str  # visible text without code spans and URLs (replaced by _PLACEHOLDER)
    hrefs: tuple[str, ...]
    images: tuple[str, ...]
    strong: int
    em: int
    code: tuple[str, ...]
    lenient_strong: int
    lenient_em: int


_CODE_SPAN_RE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_LINK_DEST_RE = re.compile(r"\]\([^)]*\)")
_LENIENT_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_LENIENT_EM_STAR_RE = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.S)
_LENIENT_EM_UNDER_RE = re.compile(r"(?<![A-Za-z0-9_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![A-Za-z0-9_])", re.S)


def _lenient_emphasis(raw: str) -> tuple[int, int]:
    """Count **strong** and *em* spans with regexes.

    CommonMark does not open or close emphasis next to CJK punctuation
    (``**「大分県」**は`` stays literal), so each side counts the larger of the
    markdown-it count and this plain delimiter count.
    """
    text = _CODE_SPAN_RE.sub(" ", raw)
    text = _LINK_DEST_RE.sub("]", text)
    text = re.sub(r"\\[*_\\]", "", text)
    strong = 0

    def _strip(match: re.Match) -> str:
        nonlocal strong
        strong += 1
        return match.group(2)

    text = _LENIENT_STRONG_RE.sub(_strip, text)
    em = len(_LENIENT_EM_STAR_RE.findall(text)) + len(_LENIENT_EM_UNDER_RE.findall(text))
    return strong, em


@lru_cache(maxsize=4096)
def _parse_inline(raw: str) -> _Inline:
    tokens = _md.parseInline(raw)
    children = tokens[0].children or [] if tokens else []
    visible: list[str] = []
    text: list[str] = []
    hrefs: list[str] = []
    images: list[str] = []
    code: list[str] = []
    strong = em = 0
    in_autolink = False
    for tok in children:
        kind = tok.type
        if kind == "text":
            visible.append(tok.content)
            text.append(_PLACEHOLDER if in_autolink else tok.content)
        elif kind in ("softbreak", "hardbreak"):
            visible.append("\n")
            text.append("\n")
        elif kind == "code_inline":
            code.append(tok.content)
            visible.append(tok.content)
            text.append(_PLACEHOLDER)
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
            text.append(_PLACEHOLDER)
    visible_s = "".join(visible)
    text_s = _URL_RE.sub(_PLACEHOLDER, "".join(text))
    lenient_strong, lenient_em = _lenient_emphasis(raw)
    return _Inline(raw, visible_s, text_s, tuple(hrefs), tuple(images), strong, em, tuple(code),
                   lenient_strong, lenient_em)


# --------------------------------------------------------------------------------------
# Numbers

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％：", "0123456789.,%:")
_ASCII_DIGITS = "0123456789"
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_NUM_TOKEN = r"[0-9]+(?:[.,][0-9]+)*"
_JA_RUN = re.compile(rf"(?:{_NUM_TOKEN}|[〇零一二三四五六七八九十百千万億兆])+")
_JA_RUN_TOKEN = re.compile(rf"{_NUM_TOKEN}|.")
_RANGE_CONNECTOR = re.compile(r"^\s*(?:[〜～~\-‐–—―・、,]|から|と|及び|および)\s*")

# A kanji-only numeral counts as a number only when a counter follows (or 第 precedes).
_KANJI_COUNTER = re.compile(
    r"^(?:周年|年度|年間|年目|年生|年|か月|カ月|ヶ月|ヵ月|ケ月|箇月|月|日間|日目|日|人目|人|名|回目|回|歳|才|件|個|つ|校"
    r"|か国|カ国|ヶ国|ヵ国|ケ国|箇国|都市|市|町|村|県|時間|時|週間|週|世紀|代目|代|円|倍|割|位|番目|期生|期|社|団体"
    r"|組|点|種類|泊|度目|枚|本|台|冊|軒|棟|隻|頭|匹|曲|品|席|区|階|店舗|店|パーセント|％|%|部門|カ所|か所|ヶ所|箇所|分の)"
)
# Words and place names that contain kanji numerals but are not numbers (checked at the numeral).
_KANJI_NOT_NUMBER = re.compile(
    r"^(?:一(?:緒|部|番|方|般|層|環|体|斉|気|同|致|員|覧|式|連|流|切|貫|転|新|定|律|助|翼|役|端|面|目|見|因|向|挙|瞬"
    r"|生|帯|丸|心|堂|家|角|概|躍|例|段|応|旦|石|足|歩|筋|括|味|品料理|時(?!間)|日(?:も|中)|年中|人(?:ひとり|一人|で|暮"
    r"|称|者)|つ(?:ひとつ|一つ)|位一体)"
    r"|[一二三]次(?!元)|万(?:一|全|博|歳|人|能|里)|千(?:葉|代|歳|里|差)|百(?:済|貨|科|舌|姓)|十(?:分|和田|字|勝|日町)"
    r"|[一二三四五六七八九十]日市|三日月|九州|四国|三重|五輪|七夕|八幡|二重|三角|四季|五感|八百屋|一宮|三宮|五島|六本木|八王子"
    r"|九十九|三鷹|三田|[一二三四五六七九]条|三陸|三河|三井|三菱|三島|四万十|六甲|八ヶ岳|二人三脚|七五三|十五夜|八重|三味線"
    r"|四天王|七福神|十二支|三人者|八代|二本松|三本木|十人十色|三日坊主|一期一会)"
)
_KANJI_OK_BEFORE = re.compile(r"(?:第|約|計|全|各|満|総|延べ|令和|平成|昭和|大正|明治|西暦|毎|最大|最多)$")
# kanji dates and times: 二〇二五年十一月十七日, 二時三十分
_KANJI_DATE_PARTS = {"年": ("月",), "月": ("日",), "時": ("分",)}
_ERA_OFFSET = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_ERA_BEFORE = re.compile(r"(令和|平成|昭和|大正|明治)\s*$")
_ERA_GANNEN = re.compile(r"(令和|平成|昭和|大正|明治)元年")


@dataclass(frozen=True)
class _NumberReq:
    label: str  # how the message names the number
    alternatives: tuple[frozenset, ...]  # any one set fully present in the target satisfies it


def _dec(text: str) -> Decimal:
    return Decimal(text)


def _round(value: Decimal) -> Decimal:
    return value.to_integral_value()


def _fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        n = int(value)
        return f"{n:,}" if abs(n) >= 10000 else str(n)
    return format(value.normalize(), "f")


def _split_ascii_number(token: str) -> list[Decimal] | None:
    """A Japanese-style digit token: one value, or None when it is a list (2025.11.17)."""
    if "," not in token and "." not in token:
        return [_dec(token)]
    parts = re.split(r"([.,])", token)
    groups, seps = parts[0::2], parts[1::2]
    if set(seps) == {","} and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return [_dec("".join(groups))]
    if seps == ["."]:
        return [_dec(token)]
    if "." in seps and seps[-1] == "." and set(seps[:-1]) == {","} and 1 <= len(groups[0]) <= 3 \
            and all(len(g) == 3 for g in groups[1:-1]):
        return [_dec("".join(groups[:-1]) + "." + groups[-1])]
    return None


def _parse_ja_run(run: str) -> list[Decimal]:
    """Values of a run of digits and kanji numerals: 1万 -> 10000, 二十五 -> 25, 2億5000万."""
    tokens = _JA_RUN_TOKEN.findall(run)
    if len(tokens) == 1 and tokens[0][0] in _ASCII_DIGITS:
        value = _split_ascii_number(tokens[0])
        return value if value is not None else [_dec(p) for p in re.split(r"[.,]", tokens[0])]
    total = Decimal(0)
    section = Decimal(0)
    current: Decimal | None = None
    prev_kanji_digit = False
    for tok in tokens:
        if tok[0] in _ASCII_DIGITS:
            parsed = _split_ascii_number(tok)
            if parsed is None:
                return [_dec(p) for p in re.split(r"[.,]", tok)]
            if current is not None:
                section += current
            current = parsed[0]
            prev_kanji_digit = False
        elif tok in _KANJI_DIGITS:
            d = Decimal(_KANJI_DIGITS[tok])
            current = current * 10 + d if (current is not None and prev_kanji_digit) else d
            prev_kanji_digit = True
        elif tok in _SMALL_UNITS:
            section += (current if current is not None else Decimal(1)) * _SMALL_UNITS[tok]
            current = None
            prev_kanji_digit = False
        elif tok in _BIG_UNITS:
            amount = section + (current or 0)
            total += (amount if amount else Decimal(1)) * _BIG_UNITS[tok]
            section = Decimal(0)
            current = None
            prev_kanji_digit = False
    return [total + section + (current or 0)]


_WINDOW = 40  # characters of context looked at around a number
# day ranges and lists: 17〜19日 (3 days), 17日・18日 / 17・18日 (2 days)
_DAY_SPAN = re.compile(r"([0-9]{1,2})日?\s*([〜～~\-–]|[・、,と])\s*([0-9]{1,2})日")


def _day_span_counts(t: str) -> set[int]:
    counts = set()
    for m in _DAY_SPAN.finditer(t):
        first, last = int(m.group(1)), int(m.group(3))
        if m.group(2) in "〜～~-–":
            if last > first:
                counts.add(last - first + 1)
        else:
            counts.add(2)
    return counts


def _source_numbers(text: str) -> list[_NumberReq]:
    t = text.translate(_FULLWIDTH)
    reqs: list[_NumberReq] = []
    matches = list(_JA_RUN.finditer(t))
    accepted: dict[int, bool] = {}
    day_spans = _day_span_counts(t)

    def kanji_ok(i: int) -> bool:
        """Whether the kanji-only run number i is a number (counter after, or 第 before)."""
        if i in accepted:
            return accepted[i]
        m = matches[i]
        run, before, after = m.group(), t[max(0, m.start() - _WINDOW):m.start()], t[m.end():m.end() + _WINDOW]
        ok = False
        if not re.search(r"[〇零一二三四五六七八九十百千]", run):
            ok = False  # 万 / 億 alone (万博, 万全)
        elif _KANJI_NOT_NUMBER.match(t[m.start():m.start() + _WINDOW]) or before.endswith(("数", "何", "もう", "幾")) \
                or after.startswith("数") or any(before.endswith(run + after[:k]) for k in (1, 2)):
            ok = False  # ... or the second half of 一つ一つ, 一人一人, 一歩一歩
        elif before and _KANJI_RE.match(before[-1]) and not _KANJI_OK_BEFORE.search(before) \
                and not after.startswith(_KANJI_DATE_PARTS.get(before[-1], ("\0",))):
            ok = False  # inside a compound word (統一, 唯一, 同一)
        elif before.endswith("第") or _KANJI_COUNTER.match(after) or (before.endswith("時") and after.startswith("分")):
            ok = True
        else:
            conn = _RANGE_CONNECTOR.match(after)
            if conn and i + 1 < len(matches) and matches[i + 1].start() == m.end() + conn.end():
                nxt = matches[i + 1]
                ok = bool(re.search(r"[0-9]", nxt.group())) or kanji_ok(i + 1)
        accepted[i] = ok
        return ok

    for i, m in enumerate(matches):
        run = m.group()
        before, after = t[max(0, m.start() - _WINDOW):m.start()], t[m.end():m.end() + _WINDOW]
        has_digit = bool(re.search(r"[0-9]", run))
        if not has_digit and not kanji_ok(i):
            continue
        values = _parse_ja_run(run)
        if len(values) != 1:
            for v in values:
                reqs.append(_NumberReq(_fmt(v), (frozenset({v}),)))
            continue
        value = values[0]
        # "17日・18日の2日間": the duration restates the dates, a translation may drop it
        if after.startswith(("日間", "日にわたり", "日にわたって")) and value in day_spans:
            continue
        alts: list[frozenset] = [frozenset({value})]
        # minutes: 10:00, 10時00分 -> nothing to require for :00
        if value == 0 and (re.search(r"[0-9]:$", before) or (before.endswith("時") and after.startswith("分"))):
            continue
        era = _ERA_BEFORE.search(before)
        if era and after.lstrip().startswith("年"):
            alts.append(frozenset({value + _ERA_OFFSET[era.group(1)]}))
        # hours: 午後2時 / 14時 / 14:00 may become 2 p.m.
        is_hour = after.startswith("時") and not after.startswith("時間") or re.match(r":[0-9][0-9]", after)
        if is_hour and value == value.to_integral_value() and 0 < value <= 24:
            alts.append(frozenset({value + 12 if value <= 12 else value - 12}))
            if value in (12, 24):
                alts.append(frozenset({Decimal(0)}))
        # 3割 = 30 %
        if after.startswith("割"):
            alts.append(frozenset({value * 10}))
            if value == 5:
                alts.append(frozenset({Decimal("0.5")}))
        # fractions: 3分の1 -> "one third", "a third", 1/3
        frac = re.match(rf"分の({_NUM_TOKEN}|[〇一二三四五六七八九十]+)", after)
        if frac:
            num = _parse_ja_run(frac.group(1))[0]
            if value:
                alts.extend([frozenset({num / value}), frozenset({_round(num * 100 / value)})])
        frac_before = re.search(rf"({_NUM_TOKEN}|[〇一二三四五六七八九十]+)分の$", before)
        if frac_before:
            den = _parse_ja_run(frac_before.group(1))[0]
            if den:
                alts.extend([frozenset({value / den}), frozenset({_round(value * 100 / den)})])
        # year ranges: 2025〜26年 -> 2026 ; 2025〜2026年 -> 26
        year_before = re.search(r"([0-9]{4})\s*[〜～~\-–―・]\s*$", before)
        if year_before and value == value.to_integral_value():
            first = int(year_before.group(1))
            if value < 100:
                alts.append(frozenset({Decimal(first // 100 * 100 + int(value))}))
            elif 1000 <= value < 10000:
                alts.append(frozenset({value % 100}))
        label = _fmt(value)
        if re.fullmatch(r"[0-9.,]+", run):
            label = run  # as written (full-width digits shown half-width)
        elif run != label:
            label = f"{label} ({text[m.start():m.end()]})"
        reqs.append(_NumberReq(label, tuple(alts)))

    for m in _ERA_GANNEN.finditer(t):
        reqs.append(_NumberReq(f"1 ({m.group()})",
                               (frozenset({Decimal(1)}), frozenset({Decimal(_ERA_OFFSET[m.group(1)] + 1)}))))
    # one requirement per distinct set of alternatives, in source order
    seen: set = set()
    unique: list[_NumberReq] = []
    for r in reqs:
        key = frozenset(r.alternatives)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


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
_EN_PHRASES = [(re.compile(r"\bsilver (?:jubilee|anniversary|wedding)", re.I), 25),
               (re.compile(r"\bruby (?:jubilee|anniversary)", re.I), 40),
               (re.compile(r"\bgolden (?:jubilee|anniversary)", re.I), 50),
               (re.compile(r"\bdiamond (?:jubilee|anniversary)", re.I), 60),
               (re.compile(r"\bhalf an hour\b", re.I), 30), (re.compile(r"\bquarter of an hour\b", re.I), 15)]

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
_ES_PHRASES = [(re.compile(r"\bbodas de plata\b", re.I), 25), (re.compile(r"\bbodas de oro\b", re.I), 50),
               (re.compile(r"\bbodas de diamante\b", re.I), 60),
               (re.compile(r"\bmedia hora\b", re.I), 30), (re.compile(r"\bcuarto de hora\b", re.I), 15)]

_KO_NATIVE = {"하나": 1, "한": 1, "첫": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4, "넉": 4,
              "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "열한": 11, "열하나": 11, "열두": 12,
              "열둘": 12, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60}
_KO_NATIVE_RE = re.compile(
    r"(?<![가-힣])(" + "|".join(sorted(_KO_NATIVE, key=len, reverse=True)) +
    r")(?=\s|번|째|명|개|곳|가지|차례|살|해|달|시|나라|개국|$|[.,!?])")
_KO_UNIT_WORD_RE = re.compile(r"(?<![가-힣0-9])(백|천|만|억)(?=\s|명|개|원|엔|주년|년|$)")
_KO_SPECIAL = {"절반": ("0.5", 50), "정오": (12,), "자정": (0, 12, 24), "매년": (1,), "매일": (1,)}
_KO_NUMBER = re.compile(r"([0-9]+(?:[.,][0-9]+)*)(?:\s?(천|백|십))?(?:\s?(만|억|조))?")
_KO_SMALL = {"십": 10, "백": 100, "천": 1000}
_KO_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}

_TARGET_NUMBER = re.compile(r"[0-9]+(?:(?:[.,'\u00a0\u202f\u2009]|\s(?=[0-9]{3}(?![0-9])))[0-9]+)*")
_EN_MULT = re.compile(r"^\s?(?:(thousand|million|billion|trillion)\b|([kK])\b|(M|bn)\b)")
_ES_MULT = re.compile(r"^\s?(mil millones|mil|millones|millón|millon|millardos?|billones|billón|billon)\b", re.I)


def _target_token_values(token: str) -> set[Decimal]:
    """Every plausible reading of a digit token: 1.000 -> {1000, 1}, 12,5 -> {12.5, 12, 5}."""
    parts = re.split(r"([.,'\u00a0\u202f\u2009\s])", token)
    groups, seps = parts[0::2], parts[1::2]
    values = {_dec(g) for g in groups}
    if not seps:
        return values
    if len(set(seps)) == 1 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        values.add(_dec("".join(groups)))
    if len(seps) == 1 and seps[0] in ".,":
        values.add(_dec(f"{groups[0]}.{groups[1]}"))
    if len(seps) >= 2 and seps[-1] in ".," and len(set(seps[:-1])) == 1 and seps[-1] != seps[0] \
            and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:-1]):
        values.add(_dec("".join(groups[:-1]) + "." + groups[-1]))  # 1,234.5 / 1.234,5
    return values


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
def _month_patterns(lang: str) -> tuple[tuple[re.Pattern, int], ...]:
    """Month names for `lang` from babel; English names are case-sensitive (May, March)."""
    if lang in ("ja", "ko", "zh"):
        return ()
    try:
        from babel.dates import get_month_names
        wide = get_month_names("wide", locale=lang)
        abbr = get_month_names("abbreviated", locale=lang)
    except Exception:  # unknown locale: digits only
        return ()
    pats: list[tuple[re.Pattern, int]] = []
    flags = 0 if lang == "en" else re.I
    for month, name in wide.items():
        pats.append((re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", flags), month))
    for month, name in abbr.items():
        names = {name.rstrip(".")}
        if lang == "en" and month == 9:
            names.add("Sept")
        for n in names:
            if len(n) < 3 or n.lower() in {w.lower() for w in wide.values()}:
                continue
            follow = r"(?:\.|(?=\s[0-9]))" if lang == "en" else r"\."
            pats.append((re.compile(rf"(?<!\w){re.escape(n)}{follow}", flags), month))
    return tuple(pats)


def _word_list(text: str, word_re: str) -> list[str]:
    """Words in order, with "" where anything but spaces or hyphens separates two words
    (so "five, 1.5 million" does not compose into five million)."""
    words: list[str] = []
    prev_end = 0
    for m in re.finditer(word_re, text):
        if words and not re.fullmatch(r"[\s\-‐]*", text[prev_end:m.start()]):
            words.append("")
        words.append(m.group())
        prev_end = m.end()
    return words


def _target_numbers(text: str, lang: str) -> set[Decimal]:
    t = _URL_RE.sub(" ", text.translate(_FULLWIDTH))
    values: set[Decimal] = set()
    for m in _TARGET_NUMBER.finditer(t):
        token_values = _target_token_values(m.group())
        values |= token_values
        after = t[m.end():m.end() + 20]
        mult = None
        if lang == "en":
            mm = _EN_MULT.match(after)
            if mm:
                word = mm.group(1) or mm.group(2) or mm.group(3)
                mult = {"k": 1000, "K": 1000, "M": 10**6, "bn": 10**9}.get(word) or _EN_SCALES[word.lower()]
        elif lang == "es":
            mm = _ES_MULT.match(after)
            if mm:
                key = _strip_accents(mm.group(1).lower())
                mult = 10**9 if key == "mil millones" else _ES_SCALES[key]
        if mult:
            values |= {v * mult for v in token_values}
    if lang == "ko":
        values |= _korean_numbers(t)
    for pattern, month in _month_patterns(lang):
        if pattern.search(t):
            values.add(Decimal(month))

    def add_special(table: dict, word: str):
        for v in table.get(word, ()):
            values.add(Decimal(v))

    if lang == "en":
        words = _word_list(t.lower(), r"[a-z]+")
        values |= _words_value(words, _EN_UNITS, _EN_TENS, _EN_ORD, _EN_SCALES)
        for w in words:
            add_special(_EN_SPECIAL, w)
        values |= {Decimal(v) for p, v in _EN_PHRASES if p.search(t)}
    elif lang == "es":
        words = _word_list(_strip_accents(t.lower()), r"[a-zñ]+")
        expanded: list[str] = []
        for w in words:  # vigesimoquinto -> vigesimo quinto
            split = re.match(r"^(vigesimo|trigesimo|cuadragesimo|quincuagesimo|sexagesimo|septuagesimo|octogesimo"
                             r"|nonagesimo|centesimo)(\w+)$", w)
            if split and split.group(2) in _ES_ORD:
                expanded.extend(split.groups())
            else:
                expanded.append(w)
        text_words = " ".join(w or "|" for w in expanded).replace("mil millones", "millardo").split()
        text_words = [w if w != "|" else "" for w in text_words]
        values |= _words_value(text_words, _ES_UNITS, {}, _ES_ORD, _ES_SCALES)
        for w in text_words:
            add_special(_ES_SPECIAL, w)
        values |= {Decimal(v) for p, v in _ES_PHRASES if p.search(t)}
    return values


def _korean_numbers(t: str) -> set[Decimal]:
    values: set[Decimal] = set()
    chain_total: Decimal | None = None
    chain_unit = 0
    prev_end = -10
    for m in _KO_NUMBER.finditer(t):
        token_values = _target_token_values(m.group(1))
        small = _KO_SMALL.get(m.group(2) or "", 1)
        big = _KO_BIG.get(m.group(3) or "", 1)
        scaled = {v * small * big for v in token_values}
        values |= token_values | scaled
        main = max(scaled)
        if chain_total is not None and t[prev_end:m.start()].strip() == "" and chain_unit > main:
            chain_total += main
            values.add(chain_total)
        else:
            chain_total = main
        chain_unit = big if big > 1 else 0
        prev_end = m.end()
    for m in _KO_NATIVE_RE.finditer(t):
        values.add(Decimal(_KO_NATIVE[m.group(1)]))
    for m in _KO_UNIT_WORD_RE.finditer(t):
        values.add(Decimal({"백": 100, "천": 1000, "만": 10**4, "억": 10**8}[m.group(1)]))
    for word, vs in _KO_SPECIAL.items():
        if word in t:
            values |= {Decimal(v) for v in vs}
    return values


def _check_numbers(src: _Inline, tgt: _Inline, lang: str) -> list[Finding]:
    reqs = _source_numbers(src.text)
    if not reqs:
        return []
    have = _target_numbers(tgt.text, lang)
    findings = []
    for req in reqs:
        if not any(alt <= have for alt in req.alternatives):
            findings.append(Finding("numbers", "error",
                                    f"The number {req.label} in the source is missing from the translation."))
    return findings


# --------------------------------------------------------------------------------------
# Glossary


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


def _check_glossary(src: _Inline, tgt: _Inline, lang: str, glossary: Glossary | None) -> list[Finding]:
    if glossary is None:
        return []
    findings = []
    seen: set[str] = set()
    base = _base_lang(lang)
    target = _fold(tgt.text.replace(_PLACEHOLDER, " "), base)
    for _start, _end, term in glossary.hits(src.text):
        expected = term.translations.get(lang) or term.translations.get(base)
        if not expected or term.ja in seen:
            continue
        seen.add(term.ja)
        if not _term_pattern(expected, base).search(target):
            findings.append(Finding("glossary", "error",
                                    f'The glossary term "{term.ja}" should be translated as "{expected}".'))
    return findings


# --------------------------------------------------------------------------------------
# Markup


def _multiset_diff(a: Iterable[str], b: Iterable[str]) -> tuple[list[str], list[str]]:
    ca, cb = Counter(a), Counter(b)
    return sorted((ca - cb).elements()), sorted((cb - ca).elements())


def _check_markup(src: _Inline, tgt: _Inline) -> list[Finding]:
    findings = []

    def add(message: str):
        findings.append(Finding("markup", "error", message))

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
    # A span counts if CommonMark parses it or if its delimiters pair up plainly (see _lenient_emphasis).
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


# --------------------------------------------------------------------------------------
# Leftover Japanese, punctuation


def _quote_list(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(f'"{s}"' for s in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _check_leftover(tgt: _Inline, lang: str) -> list[Finding]:
    base = _base_lang(lang)
    if base == "ja":
        return []
    pattern = _KANA_RUN_RE if base == "zh" else _JA_RUN_RE
    runs = list(dict.fromkeys(m.group().strip() for m in pattern.finditer(tgt.text)))
    if not runs:
        return []
    return [Finding("leftover_source", "error", f"Japanese text is left in the translation: {_quote_list(runs)}.")]


def _punct_set(lang: str) -> str:
    base = _base_lang(lang)
    if base in ("ja", "zh"):
        return ""
    if base == "ko":
        return _JA_PUNCT_KO
    return _JA_PUNCT_LATIN


def _check_punctuation(source: str, target: str, src: _Inline, tgt: _Inline, lang: str, role: str) -> list[Finding]:
    findings: list[Finding] = []
    base = _base_lang(lang)

    def add(severity: str, sub: str, message: str):
        findings.append(Finding("punctuation", severity, f"[{sub}] {message}"))

    # Japanese punctuation (code spans and URLs excluded)
    punct = _punct_set(lang)
    if punct:
        found = list(dict.fromkeys(c for c in tgt.text if c in punct))
        if found:
            names = ", ".join(_PUNCT_NAMES.get(c, c) for c in found)
            add("error", "japanese-punctuation",
                f"The translation contains Japanese punctuation ({names}); use the target language's punctuation.")

    # end punctuation
    if role not in _ROLES_WITHOUT_END_PUNCTUATION:
        src_end = src.visible.rstrip(_CLOSERS)
        tgt_end = tgt.visible.rstrip(_CLOSERS)
        if src_end and src_end[-1] in _SOURCE_END and tgt_end and tgt_end[-1] not in _TARGET_END:
            add("warning", "end-punctuation",
                f'The source ends with "{src_end[-1]}" but the translation does not end with ".", "!" or "?".')

    # Spanish ¿…? and ¡…!
    if base == "es":
        text = re.sub(r"\((?:\?|!)\)", "", tgt.text)
        for opening, closing in (("¿", "?"), ("¡", "!")):
            depth = 0
            unopened = 0
            for c in text:
                if c == opening:
                    depth += 1
                elif c == closing:
                    if depth:
                        depth -= 1
                    else:
                        unopened += 1
            if unopened:
                add("error", "spanish-inverted",
                    f'The translation has "{closing}" without an opening "{opening}".')
            if depth:
                add("error", "spanish-inverted",
                    f'The translation has "{opening}" without a closing "{closing}".')

    # double spaces (outside code)
    for line in tgt.text.split("\n"):
        m = re.search(r"(?:\S+ )?\S+[ \t\u00a0]{2,}\S+(?: \S+)?", line)
        if m:
            context = m.group().replace(_PLACEHOLDER, "…")
            add("warning", "double-space", f'The translation has a double space: "{context.strip()}".')
            break

    # leading / trailing whitespace that the source does not have
    if target[:1].isspace() and not source[:1].isspace():
        add("error", "whitespace", "The translation starts with a space or line break.")
    if target[-1:].isspace() and not source[-1:].isspace():
        add("error", "whitespace", "The translation ends with a space or line break.")
    return findings


# --------------------------------------------------------------------------------------
# Same as source, length


def _check_same(source: str, target: str) -> list[Finding]:
    if source.strip() == target.strip() and _JA_RE.search(source):
        return [Finding("same_as_source", "warning", "The translation is identical to the Japanese source.")]
    return []


def _check_length(src: _Inline, tgt: _Inline, lang: str) -> list[Finding]:
    bounds = LENGTH_TYPICAL.get(_base_lang(lang))
    if bounds is None:
        return []
    src_text = re.sub(r"\s+", " ", src.visible).strip()
    tgt_text = re.sub(r"\s+", " ", tgt.visible).strip()
    if len(src_text) < LENGTH_MIN_SOURCE or not tgt_text:
        return []
    low, high = bounds
    mid = (low + high) / 2
    # Latin letters, digits and spaces in the source carry over about 1:1, so they
    # count 1/mid of a Japanese character.
    wide = sum(1 for c in src_text if unicodedata.east_asian_width(c) in "WF")
    effective = wide + (len(src_text) - wide) / mid
    ratio = len(tgt_text) / effective
    if ratio < low * LENGTH_LOW_FACTOR:
        word = "short"
    elif ratio > high * LENGTH_HIGH_FACTOR:
        word = "long"
    else:
        return []
    return [Finding("length", "warning",
                    f"The translation is unusually {word} for its source ({len(tgt_text)} characters for "
                    f"{len(src_text)}, {ratio:.1f}x; about {low}-{high}x is normal for {lang}).")]


# --------------------------------------------------------------------------------------
# Entry points


def check_entry(source: str, target: str, lang: str, glossary: Glossary | None = None, *,
                role: str = "body") -> list[Finding]:
    """All per-entry checks for one (Japanese source, target) pair.

    An empty (or all-whitespace) target gives no findings. `lang` is "en", "ko" or
    "es"; other codes get the language-neutral checks (numbers as digits and babel
    month names, markup, glossary, punctuation without the Spanish rules). `role` is
    the unit role (title, summary, caption, heading, body): titles, headings and
    captions need no end punctuation. Findings come in a fixed order: numbers,
    glossary, markup, leftover_source, punctuation, same_as_source, length; within a
    check, in source order.
    """
    if not target or not target.strip():
        return []
    source = unicodedata.normalize("NFC", source or "")
    target = unicodedata.normalize("NFC", target)
    lang = lang or ""
    src = _parse_inline(source)
    tgt = _parse_inline(target)
    base = _base_lang(lang)
    findings: list[Finding] = []
    findings += _check_numbers(src, tgt, base)
    findings += _check_glossary(src, tgt, lang, glossary)
    findings += _check_markup(src, tgt)
    findings += _check_leftover(tgt, lang)
    findings += _check_punctuation(source, target, src, tgt, lang, role)
    findings += _check_same(source, target)
    findings += _check_length(src, tgt, lang)
    return findings


def _norm_key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def check_consistency(
    items: Iterable[tuple[str, str, str, str]],
) -> dict[tuple[str, str, str, str], list[Finding]]:
    """Find sources translated differently in the same language.

    `items` are ``(article_id, lang, source, target)`` for translated entries across
    articles. The result maps each item tuple, exactly as given, whose target differs
    from another translation of the same source (same language, compared after NFC
    and whitespace normalization) to one ``consistency`` warning naming the other
    translation(s) and the article(s) that use them; consistent items are left out.
    So a caller looks up ``result.get((article_id, lang, source, target), [])`` for each
    entry. Empty targets are ignored.
    """
    groups: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    display: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    item_list = []
    for article_id, lang, source, target in items:
        if not target or not target.strip() or not source or not source.strip():
            continue
        key = (lang, _norm_key(source))
        norm_target = _norm_key(target)
        groups[key][norm_target].add(str(article_id))
        display[key].setdefault(norm_target, target.strip())
        item_list.append(((article_id, lang, source, target), key, norm_target))
    result: dict[tuple[str, str, str, str], list[Finding]] = {}
    for item, key, norm_target in item_list:
        variants = groups[key]
        if len(variants) < 2 or item in result:
            continue
        others = sorted(
            ((t, arts) for t, arts in variants.items() if t != norm_target),
            key=lambda kv: (-len(kv[1]), kv[0]),
        )
        parts = []
        for text, articles in others[:3]:
            arts = sorted(articles)
            names = ", ".join(arts[:3]) + (f" and {len(arts) - 3} more" if len(arts) > 3 else "")
            label = "article" if len(arts) == 1 else "articles"
            parts.append(f'"{display[key][text]}" ({label} {names})')
        more = f" and {len(others) - 3} other version(s)" if len(others) > 3 else ""
        message = f"This source is translated differently elsewhere: {'; '.join(parts)}{more}."
        result[item] = [Finding("consistency", "warning", message)]
    return result
