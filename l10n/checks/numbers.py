"""The numbers checks: every number of the Japanese source is in the translation
(`numbers`), and the translation has no digits the source cannot explain (`extra_numbers`).

The source side lives here: digits (full-width too), kanji numerals (二十五, 2億5000万,
二〇二五), dates, eras (令和7年), times, ranges, fractions and percentages. A kanji-only
numeral counts as a number when a counter follows it: any kanji or katakana (三十基,
五メートル), a counter written with ヶ/か (三ヶ国, 二か所) or つ, or a % sign; or when 第
precedes it. Words that merely contain a numeral (一緒, 九州, 十分) are listed in
`KANJI_NOT_NUMBER`. The target side (numerals.py) accepts every plausible reading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import text as _text
from .numerals import target_digit_values, target_numbers, target_tokens
from .registry import REGISTRY, EntryText, Finding, check, finding
from .text import KANJI_CLASS, KANJI_RE, KATAKANA_CLASS, halfwidth

_ASCII_DIGITS = "0123456789"
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_NUM_TOKEN = r"[0-9]+(?:[.,][0-9]+)*"
_JA_NUMERALS = "〇零一二三四五六七八九十百千万億兆"
_JA_RUN = re.compile(rf"(?:{_NUM_TOKEN}|[{_JA_NUMERALS}])+")
_JA_RUN_START = re.compile(f"[0-9{_JA_NUMERALS}]").search  # every run starts with one of these
_JA_RUN_TOKEN = re.compile(rf"{_NUM_TOKEN}|.")
_RANGE_CONNECTOR = re.compile(r"^\s*(?:[〜～~\-‐–—―・、,]|から|と|及び|および)\s*")

#: What makes a kanji-only numeral a number: a counter after it. Any kanji (基, 人, 周年,
#: 都市) or katakana (メートル, ページ) word is a counter; so is one written with
#: ヶ/ヵ/か/カ/箇 before a kanji (三ヶ国, 二か所), and つ (三つ), and a percent sign.
COUNTER_AFTER = re.compile(rf"^(?:[{KANJI_CLASS}]|[{KATAKANA_CLASS}]|[かこ箇][{KANJI_CLASS}]|つ|[%％])")
#: Words and place names that contain kanji numerals but are not numbers (matched at the numeral).
KANJI_NOT_NUMBER = re.compile(  # no ^: matched with pos, where ^ would not hold
    r"(?:一(?:緒|部|番|方|般|層|環|体|斉|気|同|致|員|覧|式|連|流|切|貫|転|新|定|律|助|翼|役|端|面|目|見|因|向|挙|瞬"
    r"|生|帯|丸|心|堂|家|角|概|躍|例|段|応|旦|石|足|歩|筋|括|味|品料理|時(?!間)|日(?:も|中)|年中|人(?:ひとり|一人|で|暮"
    r"|称|者|っ子)|つ(?:ひとつ|一つ)|位一体|昨|際|言|行|手|任|存|筆|途|服|息|口|風|変|掃|献|門|族|大|路|両日|朝一夕"
    r"|進一退|長一短|挙両得|極|元|本化|段落|汁|押|助|心同体|期一会|級品|世|首|周(?!年|目)|輪車|戸建)"
    r"|[一二三]次(?!元)|万(?:一|全|博|歳|人|能|里|葉|国|事|病|引)|千(?:葉|代|歳|里|差|秋|載|島|曲)"
    r"|百(?:済|貨|科|舌|姓|聞|人一首)|十(?:分(?![間前後])|和田|津川|字|勝|日町|八番)"
    r"|[一二三四五六七八九十]日市|三日月|九州|四国|三重|五輪|七夕|八幡|二重|三角|四季|五感|八百屋|一宮|三宮|五島|六本木|八王子"
    r"|九十九|三鷹|三田|九重|八戸|八女|八尾|八潮|八街|七尾|一関|三沢|三郷|三原|三好|五所川原|六ヶ所|四街道|九度山|[一二三四五六七九]条|三陸|三河|三井|三菱|三島|四万十|六甲|八ヶ岳|二人三脚|七五三|十五夜|八重|三味線"
    r"|四天王|七福神|十二支|三人者|八代|二本松|三本木|十人十色|三日坊主|一期一会|二の次|二枚目|二束三文|二刀流|三冠|三昧"
    r"|三権|三拍子|三密|四捨五入|四面|四字|四方|四苦八苦|五月雨|五分五分|五十音|七輪|八方|八丈|[一二三四五六七八九]ノ"
    r"|[一二三四五六七八九十]郎|[一二三]男|[一二三]女)"
)
# kanji dates and times: 二〇二五年十一月十七日, 二時三十分
_KANJI_DATE_PARTS = {"年": ("月",), "月": ("日",), "時": ("分",)}
_ERA_OFFSET = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_ERA_GANNEN = re.compile(r"(令和|平成|昭和|大正|明治)元年")
#: At most this many missing numbers are reported one by one; the rest in one finding.
MAX_REPORTED = 10


@dataclass(frozen=True)
class NumberReq:
    label: str  # how the message names the number
    alternatives: tuple[frozenset, ...]  # any one set fully present in the target satisfies it


def _dec(text: str) -> Decimal:
    return Decimal(text)


def _round(value: Decimal) -> Decimal:
    return value.to_integral_value()


def fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        if value.adjusted() > 30:  # no int() of a 5,000-digit number (Python refuses over 4,300)
            return format(value, "f")
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
        return value if value is not None else [_dec(p) for p in dict.fromkeys(re.split(r"[.,]", tokens[0]))]
    total = Decimal(0)
    section = Decimal(0)
    current: Decimal | None = None
    prev_kanji_digit = False
    for tok in tokens:
        if tok[0] in _ASCII_DIGITS:
            parsed = _split_ascii_number(tok)
            if parsed is None:
                return [_dec(p) for p in dict.fromkeys(re.split(r"[.,]", tok))]
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
# in every match of _DAY_SPAN; found fast (re scans for its first character in C)
_DAY_SPAN_CORE = re.compile(r"[0-9]日?\s*[〜～~\-–・、,と]\s*[0-9]").search



def _day_span_counts(t: str) -> set[int]:
    counts: set[int] = set()
    if not _text.LONG_WAY and not _DAY_SPAN_CORE(t):
        return counts
    for m in _DAY_SPAN.finditer(t):
        first, last = int(m.group(1)), int(m.group(3))
        if m.group(2) in "〜～~-–":
            if last > first:
                counts.add(last - first + 1)
        else:
            counts.add(2)
    return counts


_DIGIT = re.compile(r"[0-9]").search
_KANJI_NUMERAL = re.compile(r"[〇零一二三四五六七八九十百千]").search
_KANJI_OK_BEFORE = ("第", "約", "計", "全", "各", "満", "総", "延べ", "令和", "平成", "昭和", "大正", "明治", "西暦", "毎",
                    "最大", "最多")
_ERAS = tuple(_ERA_OFFSET)
_HOUR_COLON = re.compile(r":[0-9][0-9]").match
_FRAC_AFTER = re.compile(rf"分の({_NUM_TOKEN}|[〇一二三四五六七八九十]+)").match
_FRAC_BEFORE = re.compile(rf"({_NUM_TOKEN}|[〇一二三四五六七八九十]+)分の$").search
_YEAR_BEFORE = re.compile(r"([0-9]{4})\s*[〜～~\-–―・]\s*$").search
_PLAIN_DIGITS = re.compile(r"[0-9]+").fullmatch
_LIST_DIGITS = re.compile(r"[0-9.,]+").fullmatch
# a number next to none of these needs no context (the common case, and the fast path)
_AFTER_SPECIAL = set("時割分年日:：〜～~-–―・、,とか及お") | {""}
_BEFORE_SPECIAL = set("〜～~-–―・和成正治暦の:：") | {""}  # looked at past spaces
# Narrower, and still exact for a run of plain digits: what _alternatives and _run_numbers
# look at is, after it, 時 (hours), a colon, 割, 分 (fractions, minutes) and 日間 (a
# duration restating dates); before it, 分の, the last character of an era name or a
# range mark (past spaces), a colon. The sets above are the long way (text.LONG_WAY).
_AFTER_CHANGES = set("時割分:：")
_DURATIONS = ("日間", "日にわたり", "日にわたって")
_BEFORE_CHANGES = set("〜～~-–―・和成正治暦:：") | {""}  # looked at past spaces; の: only 分の


def _kanji_verdicts(t: str, matches: list[re.Match]) -> list[bool]:
    """For each kanji-only run, whether it is a number; from the last run back, so that
    a range (三〜五人) takes its counter from the run after it without recursion."""
    ok = [False] * len(matches)
    memo: dict[tuple, bool | None] = {}  # repeated contexts (pathological input) are judged once
    for i in range(len(matches) - 1, -1, -1):
        m = matches[i]
        run = m.group()
        if run[0] in _ASCII_DIGITS or _DIGIT(run) or not _KANJI_NUMERAL(run):
            continue  # digits need no verdict; 万 / 億 alone (万博, 万全) are no number
        start, end = m.start(), m.end()
        before, after = t[max(0, start - _WINDOW):start], t[end:end + _WINDOW]
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        key = (run, before, after, nxt.start() - end if nxt else -1, bool(nxt and _DIGIT(nxt.group())))
        if key not in memo:
            memo[key] = _verdict(t, m, run, before, after, nxt)
        verdict = memo[key]
        ok[i] = (key[4] or ok[i + 1]) if verdict is None else verdict
    return ok


def _verdict(t: str, m: re.Match, run: str, before: str, after: str, nxt: re.Match | None) -> bool | None:
    """Whether a kanji-only run is a number; None: as the run after it (a range, 三〜五人)."""
    start, end = m.start(), m.end()
    if KANJI_NOT_NUMBER.match(t, start, start + _WINDOW) or before.endswith(("数", "何", "もう", "幾")) \
            or after.startswith(("数", "々")) or any(before.endswith(run + after[:k]) for k in (1, 2)):
        return False  # ... or the second half of 一つ一つ, 一人一人, 一歩一歩
    if before and KANJI_RE.match(before[-1]) and not before.endswith(_KANJI_OK_BEFORE) \
            and not after.startswith(_KANJI_DATE_PARTS.get(before[-1], ("\0",))):
        return False  # inside a compound word (統一, 唯一, 同一)
    if before.endswith("第") or COUNTER_AFTER.match(after):
        return True
    conn = _RANGE_CONNECTOR.match(after)
    if conn and nxt is not None and nxt.start() == end + conn.end():
        return None
    return False


def _ja_runs(t: str) -> list[re.Match]:
    """``list(_JA_RUN.finditer(t))``, without re trying _JA_RUN at every position (it
    cannot skip ahead by itself): a run is matched where a character that starts one is."""
    if _text.LONG_WAY:
        return list(_JA_RUN.finditer(t))
    runs = []
    pos = 0
    while (start := _JA_RUN_START(t, pos)) is not None:
        m = _JA_RUN.match(t, start.start())  # never None, never empty: the character starts a run
        runs.append(m)
        pos = m.end()
    return runs


def _plain_context(t: str, start: int, end: int) -> bool:
    """Whether a run of plain digits at t[start:end] requires just its value, as written."""
    after = t[end:end + 1]
    before = t[max(0, start - 8):start].rstrip()[-1:]
    if _text.LONG_WAY:
        return after not in _AFTER_SPECIAL and before not in _BEFORE_SPECIAL
    return after not in _AFTER_CHANGES and not (after == "日" and t.startswith(_DURATIONS, end)) \
        and before not in _BEFORE_CHANGES and not (before == "の" and start >= 2 and t[start - 2:start] == "分の")


@lru_cache(maxsize=1024)
def source_numbers(text: str) -> tuple[tuple[NumberReq, ...], frozenset[Decimal]]:
    """The numbers a translation must carry, and every value the source can explain
    (the pool: each requirement's alternatives, plus numerals that are not required,
    such as 十数人's 10, day counts of date ranges, and 0 for minutes)."""
    t = halfwidth(text)
    reqs: list[NumberReq] = []
    pool: set[Decimal] = {Decimal(0)}
    matches = _ja_runs(t)
    day_spans = _day_span_counts(t) if "日" in t else set()
    if day_spans:
        pool |= {Decimal(d) for d in day_spans}
    verdicts = _kanji_verdicts(t, matches)
    seen: set = set()  # one requirement per distinct set of alternatives

    memo: dict[tuple, tuple[frozenset, tuple[NumberReq, ...]]] = {}  # repeated contexts: once
    for i, m in enumerate(matches):
        run = m.group()
        start, end = m.span()
        if _PLAIN_DIGITS(run) and _plain_context(t, start, end):
            value = Decimal(run)  # the fast path: a plain number in plain context
            pool.add(value)
            key = frozenset({frozenset({value})})
            if key not in seen:
                seen.add(key)
                reqs.append(NumberReq(run, (frozenset({value}),)))
            continue
        before, after = t[max(0, start - _WINDOW):start], t[end:end + _WINDOW]
        key = (text[start:end], before, after, verdicts[i])
        if key not in memo:
            memo[key] = _run_numbers(text[start:end], run, before, after, verdicts[i], day_spans)
        values, run_reqs = memo[key]
        pool |= values
        for req in run_reqs:
            key = frozenset(req.alternatives)
            if key not in seen:
                seen.add(key)
                reqs.append(req)

    for m in _ERA_GANNEN.finditer(t) if _text.LONG_WAY or "元年" in t else ():
        alts = (frozenset({Decimal(1)}), frozenset({Decimal(_ERA_OFFSET[m.group(1)] + 1)}))
        if frozenset(alts) not in seen:
            seen.add(frozenset(alts))
            reqs.append(NumberReq(f"1 ({m.group()})", alts))
        pool |= {Decimal(1), Decimal(_ERA_OFFSET[m.group(1)] + 1)}
    return tuple(reqs), frozenset(pool)


def _run_numbers(shown: str, run: str, before: str, after: str, verdict: bool,
                 day_spans: set[int]) -> tuple[frozenset, tuple[NumberReq, ...]]:
    """The values one run can explain (for the pool) and what it requires, in context."""
    plain = not _text.LONG_WAY and _PLAIN_DIGITS(run)  # 2025: one value, labelled as written
    has_digit = bool(plain or _DIGIT(run))
    values = [Decimal(run)] if plain else _parse_ja_run(run)
    if len(values) != 1:
        reqs = tuple(NumberReq(fmt(v), (frozenset({v}),)) for v in values) if has_digit else ()
        return frozenset(values), reqs
    value = values[0]
    alts = _alternatives(value, before, after)
    pool = frozenset().union(*alts)
    if not has_digit and not verdict:
        return pool, ()
    # "17日・18日の2日間": the duration restates the dates, a translation may drop it
    if after.startswith(("日間", "日にわたり", "日にわたって")) and value in day_spans:
        return pool, ()
    # minutes: 10:00, 10時00分 -> nothing to require for :00
    if value == 0 and ((before.endswith(":") and before[-2:-1].isdigit())
                       or (before.endswith("時") and after.startswith("分"))):
        return pool, ()
    if plain or _LIST_DIGITS(run):
        label = run  # as written (full-width digits shown half-width)
    else:
        label = fmt(value)
        if run != label:
            label = f"{label} ({shown})"
    return pool, (NumberReq(label, tuple(alts)),)


def _alternatives(value: Decimal, before: str, after: str) -> list[frozenset]:
    """Every way a translation may write `value` given its context (era years, the
    12-hour clock, 割 as percent, fractions, the short form of a year range)."""
    alts: list[frozenset] = [frozenset({value})]
    if after.lstrip().startswith("年") and before.rstrip().endswith(_ERAS):
        alts.append(frozenset({value + _ERA_OFFSET[before.rstrip()[-2:]]}))
    # hours: 午後2時 / 14時 / 14:00 may become 2 p.m.
    is_hour = after.startswith("時") and not after.startswith("時間") or (after[:1] == ":" and _HOUR_COLON(after))
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
    frac = _FRAC_AFTER(after) if after.startswith("分の") else None
    if frac:
        num = _parse_ja_run(frac.group(1))[0]
        if value:
            alts.extend([frozenset({num / value}), frozenset({_round(num * 100 / value)})])
    frac_before = _FRAC_BEFORE(before) if before.endswith("分の") else None
    if frac_before:
        den = _parse_ja_run(frac_before.group(1))[0]
        if den:
            alts.extend([frozenset({value / den}), frozenset({_round(value * 100 / den)})])
    # year ranges: 2025〜26年 -> 2026 ; 2025〜2026年 -> 26
    tail = before.rstrip()[-1:]
    year_before = _YEAR_BEFORE(before) if tail and tail in "〜～~-–―・" else None
    if year_before and value == value.to_integral_value():
        first = int(year_before.group(1))
        if value < 100:
            alts.append(frozenset({Decimal(first // 100 * 100 + int(value))}))
        elif 1000 <= value < 10000:
            alts.append(frozenset({value % 100}))
    return alts


# --------------------------------------------------------------------------------------
# The checks


@lru_cache(maxsize=256)
def missing_numbers(source_text: str, target_text: str, base: str) -> tuple[NumberReq, ...]:
    """The source's numbers missing from the target (shared by both checks, once per
    entry). The target's digits are read first; only numbers they do not account for
    are looked for in its words, months and phrases (target_numbers holds every digit
    value, so a number the digits account for is accounted for by all readings), and
    only the readings that can give one of the values still needed are made."""
    reqs, _pool = source_numbers(source_text)
    if not reqs:
        return ()
    if _text.LONG_WAY:
        return _unmet(reqs, target_numbers(target_text, base))
    have = target_digit_values(target_text, base)
    reqs = _unmet(reqs, have)
    if not reqs:
        return ()
    needed = {v for req in reqs for alt in req.alternatives for v in alt if v not in have}
    return _unmet(reqs, target_numbers(target_text, base, needed))


def _unmet(reqs: tuple[NumberReq, ...], have) -> tuple[NumberReq, ...]:
    """The requirements none of whose alternatives is wholly in `have`, in order."""
    out = []
    for req in reqs:
        for alt in req.alternatives:
            if alt <= have:
                break
        else:
            out.append(req)
    return tuple(out)


def extra_numbers(source_text: str, target_text: str, base: str) -> tuple[str, ...]:
    """The target's digit tokens that the source cannot explain."""
    _reqs, pool = source_numbers(source_text)
    return tuple(dict.fromkeys(tok.text for tok in target_tokens(target_text, base) if not (tok.readings & pool)))


def analyse(source_text: str, target_text: str, base: str) -> tuple[tuple[NumberReq, ...], tuple[str, ...]]:
    """Both at once: the missing numbers and the extra digit tokens."""
    return missing_numbers(source_text, target_text, base), extra_numbers(source_text, target_text, base)


@check("numbers", "error",
       "Every number in the source (digits, full-width digits, kanji numerals before any counter, "
       "dates, ranges, ordinals, anniversaries, percentages) appears in the translation.")
def check_numbers(e: EntryText) -> list[Finding]:
    missing = missing_numbers(e.src.text, e.tgt.text, e.base)
    if not missing:
        return []
    make = REGISTRY["numbers"].finding  # what finding("numbers", ...) does, looked up once
    findings = [make(f"The number {req.label} in the source is missing from the translation.")
                for req in missing[:MAX_REPORTED]]
    if len(missing) > MAX_REPORTED:
        rest = len(missing) - MAX_REPORTED
        findings.append(finding("numbers", f"{rest} more number{'s' if rest > 1 else ''} of the source "
                                           f"{'are' if rest > 1 else 'is'} missing from the translation."))
    return findings


@check("extra_numbers", "warning",
       "The translation has no number (in digits) that the source does not have, such as one left "
       "from an earlier version; codes and names like G7 or COVID-19 do not count. Reported only "
       "when no source number is missing (a wrong number is reported once, as missing).")
def check_extra_numbers(e: EntryText) -> list[Finding]:
    if missing_numbers(e.src.text, e.tgt.text, e.base):
        return []  # a wrong number is reported once, as missing
    extra = extra_numbers(e.src.text, e.tgt.text, e.base)
    if not extra:
        return []
    shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
    what = "a number" if len(extra) == 1 else "numbers"
    return [finding("extra_numbers", f"The translation has {what} that the source does not: {shown}.")]
