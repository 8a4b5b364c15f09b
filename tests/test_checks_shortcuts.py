"""The checks' shortcuts (issue 15: the dashboard's error column) change no result.

Every shortcut that skips work steps aside when `l10n.checks.text.LONG_WAY` is set; these
tests run the long way and the short way on the same input and demand identical results:
on hypothesis text aimed at each shortcut's boundary (digits, full-width digits, kanji
numerals, Korean numerals, number words, ordinals, months, percentages, dates, phrases),
on every entry of the checks corpus and of the sample project's catalogs. The rewrites
that are equal by construction (half-width conversion, URL removal, case folding, line
break detection) are compared with what they replace, down to every code point where a
character class is involved.
"""
from __future__ import annotations

import re
import string
from decimal import Decimal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import quality, workspace
from l10n.checks import check_entry, clear_caches, language, numbers, numerals, safety, text
from l10n.project import Project
from tests.test_checks import CORPUS, GLOSSARY

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["en", "es", "ko", "en-GB", "fr", "de", ""]


@contextmanager
def long_way():
    """Every shortcut off (and no result memoized by the short way is reused)."""
    clear_caches()
    text.LONG_WAY = True
    try:
        yield
    finally:
        text.LONG_WAY = False
        clear_caches()


def both_ways(fn, *args, **kwargs):
    clear_caches()
    short = fn(*args, **kwargs)
    with long_way():
        long = fn(*args, **kwargs)
    return short, long


def assert_same_findings(source, target, lang, role="body", glossary=GLOSSARY):
    for severity in (None, "error", "warning"):
        short, long = both_ways(check_entry, source, target, lang, glossary, role=role, severity=severity)
        assert short == long, (source, target, lang, role, severity)


# ----------------------------------------------------------------------- the input
# pieces that sit on the shortcuts' boundaries, glued together at random

JA_PIECES = ["1", "7", "11", "25", "2025", "1,000", "1.000", "2.5", "12,5", "0", "１２３", "１，０００", "２．５", "10:00",
             "5%", "５％", "一", "二", "三", "十", "百", "千", "万", "億", "兆", "〇", "零", "二十五", "三ヶ国", "五メートル",
             "第三", "三つ", "令和7年", "平成元年", "昭和", "午後2時", "3割", "3分の1", "2025〜26年", "17〜19日",
             "17日・18日", "2日間", "一緒", "九州", "十分", "統一", "年", "月", "日", "時", "分", "人", "基", "の", "は",
             "、", "。", "「", "」", "～", "-", "・", "と", " ", "**", "[x](https://a.jp/2)", "`c`", "<b>", "\n",
             "分の", "の", "分", "時", "割", ":", "：", "西暦", "令和", "明治", "日間", "日にわたり", "    ", "から", "か"]
TARGET_PIECES = [
    # digits, local formats, codes
    "1", "2", "3", "7", "11", "25", "2025", "1,000", "1.000", "12,5", "1 000", "1\u00a0000", "３", "２０２５", "１．５",
    "1.5 million", "5k", "3 bn", "30%", "50 %", "1st", "2nd", "3rd", "4th", "10:00", "G7", "COVID-19", "4K",
    "https://example.com/2025", "www.x.jp/7", "27-character",
    # English words, ordinals, specials, phrases, months
    "one", "two", "three", "twelve", "twenty", "twenty-five", "hundred", "thousand", "million", "first", "second",
    "third", "twentieth", "hundredth", "a", "an", "and", "both", "half", "dozen", "twice", "noon", "silver jubilee",
    "half an hour", "quarter of an hour", "golden anniversary", "May", "may", "January", "Jan", "Sept", "Sept.",
    "Dec.", "NOVEMBER", "Mayday", "Marching",
    # Spanish
    "uno", "dos", "tres", "veinte", "veintiuno", "cien", "mil", "millones", "mil millones", "millón", "primero",
    "vigésimo quinto", "vigesimoquinto", "décimo", "ambos", "media hora", "bodas de oro", "enero", "ene.", "marzo",
    "mar.", "Mayo", "noviembre", "tiene", "mayor", "junto", "y", "de",
    # Korean
    "하나", "둘", "셋", "한", "두", "세", "열", "스물", "백", "천", "만", "억", "3만", "2억 5000만", "명", "개", "번",
    "절반", "정오", "매년", "년", "월", "일",
    # case folding traps, separators, markup
    "ſept", "İ", "ı", "\u212a", "JULİO", "ſilver jubilee", "Ⅻ", ",", ".", "-", " ", "  ", "\u00a0", "\n", "**", "*",
    "`x`", "[a](https://a.jp)", "<i>", "。", "、",
]


def joined(pieces, max_size):
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=max_size).map("".join)


def spaced(pieces, max_size):
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=max_size).map(" ".join)


# dates, day spans and ranges: 17〜19日, 17日・18日, 3と4日間, 2025-26年
DATE = st.builds(lambda a, b, c, d, e: f"{a}{b}{c}{d}{e}", st.integers(0, 40).map(str), st.sampled_from(["", "日", "年"]),
                 st.sampled_from(["〜", "～", "~", "-", "–", "・", "、", ",", "と", " と ", "から", "/"]),
                 st.integers(0, 40).map(str), st.sampled_from(["日", "日間", "", "月", "年", "時"]))
# a duration that restates a day span: 17〜19日の3日間, 17と18日の2日にわたって
DURATION = st.builds(lambda d, n, k: f"{d}の{n}{k}", DATE, st.integers(1, 4),
                     st.sampled_from(["日間", "日にわたり", "日にわたって", "日", "日目"]))
SOURCE = st.lists(st.sampled_from(JA_PIECES) | DATE | DURATION, min_size=1, max_size=10).map("".join) | \
    st.text(alphabet="".join(set("".join(JA_PIECES))), max_size=30)
TARGET = spaced(TARGET_PIECES, 10) | joined(TARGET_PIECES, 6) | st.text(alphabet="".join(set("".join(TARGET_PIECES))),
                                                                        min_size=1, max_size=40)


# ----------------------------------------------------------------------- whole entries


@settings(max_examples=600, deadline=None)
@given(SOURCE, TARGET, st.sampled_from(LANGS), st.sampled_from(["body", "title", "caption"]))
def test_check_entry_finds_the_same_either_way(source, target, lang, role):
    assert_same_findings(source, target, lang, role)


def test_every_corpus_entry_gets_the_same_findings_either_way():
    n = 0
    for kind in ("clean", "defective"):
        for item in CORPUS[kind]:
            assert_same_findings(item["source"], item["target"], item["lang"], item.get("role", "body"))
            n += 1
    assert n > 150


def sample_entries():
    project = Project(ROOT)
    for aid in project.article_ids():
        for lang in project.languages:
            path = project.catalog_path(lang, aid)
            if path.exists():
                for e in workspace.load_catalog(project, path).active():
                    if e.msgstr:
                        yield project, lang, e


def test_every_sample_entry_gets_the_same_findings_either_way():
    entries = list(sample_entries())
    assert len(entries) > 50
    glossary = quality.project_glossary(entries[0][0])
    for _project, lang, e in entries:
        assert_same_findings(e.msgid, e.msgstr, lang, e.msgctxt or "body", glossary)
        # and the other languages' rules on the same text (a Spanish target read as English ...)
        for other in ("en", "es", "ko"):
            assert_same_findings(e.msgid, e.msgstr, other, e.msgctxt or "body", glossary)


def test_the_shortcuts_find_numbers_at_all():
    """The comparisons above compare something: numbers are found and missed either way."""
    found = check_entry("参加者は2025年に三十人、3割でした。", "In 2025 thirty people came, 30 %.", "en")
    missed = check_entry("参加者は2025年に三十人でした。", "Some people came.", "en", severity="error")
    assert not [f for f in found if f.check == "numbers"]
    assert [f.message for f in missed] == [
        "The number 2025 in the source is missing from the translation.",
        "The number 30 (三十) in the source is missing from the translation."]


# ----------------------------------------------------------------------- the numbers, piece by piece


@settings(max_examples=1500, deadline=None)
@given(SOURCE)
def test_source_numbers_are_read_the_same_either_way(source):
    short, long = both_ways(numbers.source_numbers, source)
    assert short == long


@settings(max_examples=1500, deadline=None)
@given(TARGET, st.sampled_from(LANGS))
def test_target_numbers_are_read_the_same_either_way(target, lang):
    short, long = both_ways(numerals.target_numbers, target, lang)
    assert short == long


@settings(max_examples=800, deadline=None)
@given(SOURCE, TARGET, st.sampled_from(["en", "es", "ko", "fr"]))
def test_missing_numbers_are_the_same_either_way(source, target, base):
    short, long = both_ways(numbers.missing_numbers, source, target, base)
    assert short == long


NEEDED = st.sets(st.sampled_from([*range(0, 31), 40, 50, 60, 100, 150, 200, 1000, 2025, 10**4, 10**6, 10**8, "0.5",
                                  "0.25", "2.5", "12.5"]).map(Decimal), max_size=6)


@settings(max_examples=1500, deadline=None)
@given(TARGET, st.sampled_from(LANGS), NEEDED)
def test_the_readings_left_out_give_no_needed_value(target, lang, needed):
    """target_numbers with `needed` leaves out only values that are not needed: whether
    a needed value is there comes out the same."""
    clear_caches()
    full = numerals.target_numbers(target, lang)
    partial = numerals.target_numbers(target, lang, set(needed))
    assert partial <= full
    assert not (full - partial) & needed


@pytest.mark.parametrize("lang", ["en", "es", "de", "fr", "pt", "it", "nl", "sv", "pl", "zh_Hant", "xx"])
def test_months_are_one_to_twelve(lang):
    _regex, months, _heads = numerals._month_regex(lang)
    assert set(months) <= set(range(1, 13))
    assert numerals._MONTH_VALUES == {Decimal(m) for m in range(1, 13)}


def _spans(matches):
    return [(m.span(), m.lastindex, m.group()) for m in matches]


@settings(max_examples=1500, deadline=None)
@given(TARGET, st.sampled_from(["en", "es", "de", "fr", "pt", "it"]))
def test_month_names_are_found_where_the_full_scan_finds_them(target, lang):
    regex, _months, heads = numerals._month_regex(lang)
    assert regex is not None
    assert _spans(text.word_matches(regex, heads, target)) == _spans(regex.finditer(target))


def test_month_heads_are_used_where_they_can_be():
    # English (case-sensitive) and Spanish (case-insensitive, through fold_case) take the
    # shortcut; a language with a month that starts with a non-ASCII letter does not
    assert numerals._month_regex("en")[2] is not None
    assert numerals._month_regex("es")[2] is not None
    assert text.word_heads(["février"], ignore_case=True) is None
    assert text.word_heads(["Jan", "May"], ignore_case=True) == ("jan", "may")


def test_the_tables_behind_the_word_shortcuts_hold():
    # the Spanish ordinal split is tried only when the shared part is in the text
    assert all(numerals._ES_ORD_TENS_SHARED in stem for stem in numerals._ES_ORD_TENS)
    # Korean words are looked for only in text with a Hangul syllable: every one is Hangul
    hangul = set(chr(c) for c in range(0xAC00, 0xD7A4))
    words = list(numerals._KO_NATIVE) + list(numerals._KO_SPECIAL) + ["백", "천", "만", "억"]
    assert all(set(w) <= hangul for w in words)
    assert re.search("백|천|만|억", numerals._KO_UNIT_WORD_RE.pattern)
    # the phrases' first words are in every phrase, at its start
    for phrases in (numerals._EN_PHRASES, numerals._ES_PHRASES):
        regex, _values, heads = phrases
        alternatives = regex.pattern[len(r"\b(?:("):-len(r"))\b")].split(")|(")
        assert heads is not None and all(a.startswith(heads) for a in alternatives)


@settings(max_examples=1500, deadline=None)
@given(SOURCE | st.text(alphabet="0123456789〇零一二三四五六七八九十百千万億兆.,年日・〜~-とabc ", max_size=40))
def test_japanese_number_runs_are_the_full_scans_runs(t):
    assert [m.span() for m in numbers._ja_runs(t)] == [m.span() for m in numbers._JA_RUN.finditer(t)]
    counts, full = both_ways(numbers._day_span_counts, t)
    assert counts == full


# ----------------------------------------------------------------------- rewrites equal by construction


@settings(max_examples=1500, deadline=None)
@given(TARGET)
def test_the_digit_patterns_match_what_their_plus_forms_match(t):
    """_TARGET_NUMBER and _KO_NUMBER start with [0-9][0-9]* (re can skip ahead to a digit),
    not [0-9]+: the same matches, groups and all."""
    for fast in (numerals._TARGET_NUMBER, numerals._KO_NUMBER):
        assert "[0-9][0-9]*" in fast.pattern
        plus = re.compile(fast.pattern.replace("[0-9][0-9]*", "[0-9]+", 1))
        assert [(m.span(), m.groups()) for m in fast.finditer(t)] == [(m.span(), m.groups()) for m in plus.finditer(t)]



ANY_TEXT = st.text(max_size=40) | st.text(alphabet=string.printable + "０１２３４５６７８９．，％：ｗ", max_size=40) | \
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=10),
              st.sampled_from(["https://a.jp/1", "http://x", "www.y.jp", "ｗｗｗ．z", "www．a.jp", "htt p://"]),
              st.text(max_size=10))


@settings(max_examples=2000, deadline=None)
@given(ANY_TEXT)
def test_halfwidth_and_url_removal_are_what_they_replace(t):
    assert text.halfwidth(t) == t.translate(text.FULLWIDTH)
    assert text.sub_urls(t, "\ufffc") == text.URL_RE.sub("\ufffc", t)
    assert numerals.sub_urls(text.halfwidth(t), " ") == text.URL_RE.sub(" ", t.translate(text.FULLWIDTH))


@settings(max_examples=2000, deadline=None)
@given(ANY_TEXT | st.text(alphabet="ΣσςAaİıſ\u212aIiSsK ", max_size=20))
def test_fold_case_keeps_every_position(t):
    assert len(text.fold_case(t)) == len(t)


def test_fold_case_turns_whatever_ignorecase_takes_for_a_letter_into_that_letter():
    """On every code point: a character that re.IGNORECASE matches with an ASCII letter
    becomes that letter in lower case, and one character stays one character."""
    letter = re.compile("[a-z]", re.I)
    matched = 0
    for code in range(0x110000):
        c = chr(code)
        assert len(text.fold_case(c)) == 1, hex(code)
        if letter.fullmatch(c):
            folded = text.fold_case(c)
            assert folded in string.ascii_lowercase and re.fullmatch(folded, c, re.I), hex(code)
            others = "".join(x for x in string.ascii_lowercase if x != folded)
            assert not re.fullmatch(f"[{others}]", c, re.I), hex(code)
            matched += 1
    assert matched > 52  # the ASCII letters and İ, ı, ſ, K (Kelvin)


def test_the_character_classes_are_the_sets_they_stand_for():
    for code in range(0x110000):
        c = chr(code)
        assert bool(safety._HAS_LINE_BREAK(c)) == (c in safety.LINE_BREAKS), hex(code)
        assert bool(safety._HAS_INVISIBLE_EXTRA(c)) == (c in safety._INVISIBLE_EXTRA), hex(code)
        assert bool(numbers._JA_RUN_START(c)) == bool(numbers._JA_RUN.match(c)), hex(code)
    for punct, chars in language._PUNCT_SETS.items():
        assert chars == set(punct)


class Boom:
    def __getattr__(self, name):
        raise AssertionError("the long way was taken")

    def __call__(self, *args):
        raise AssertionError("the long way was taken")


def test_a_plain_translation_takes_the_short_way(monkeypatch):
    """The shortcuts are taken (tests of them that always took the long way would prove
    nothing): on text without number words, Korean or phrases, their readers are not run."""
    clear_caches()
    for name in ("_words_value", "_KO_NATIVE_RE", "_KO_UNIT_WORD_RE", "_ES_ORD_SPLIT"):
        monkeypatch.setattr(numerals, name, Boom())
    monkeypatch.setattr(numerals, "_EN_PHRASES", (Boom(), (), ("silver",)))
    monkeypatch.setattr(numerals, "_ES_PHRASES", (Boom(), (), ("bodas",)))
    for lang in ("en", "es", "ko"):
        assert numerals.target_numbers("Exchanges in the year 2025, May", lang) >= {2025}
    # and the target's words are not read at all when its digits account for every number
    monkeypatch.setattr(numerals, "target_numbers", Boom())
    monkeypatch.setattr(numbers, "target_numbers", Boom())
    assert check_entry("2025年の交流", "Exchanges in 2025", "en", severity="error") == []
