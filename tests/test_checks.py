"""Tests for l10n.checks: the corpus of known-good and known-bad translations, plus
targeted tests for messages, severities, languages and check_consistency."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.checks import (
    CHECKS,
    LENGTH_HIGH_FACTOR,
    LENGTH_LOW_FACTOR,
    LENGTH_TYPICAL,
    Finding,
    check_consistency,
    check_entry,
)
from l10n.glossary import Glossary, Term

CORPUS_PATH = Path(__file__).parent / "data" / "checks_corpus.yaml"
CORPUS = yaml.safe_load(CORPUS_PATH.read_text(encoding="utf-8"))
LANGS = ("en", "ko", "es")
PER_ENTRY_CHECKS = set(CHECKS) - {"consistency"}


def make_glossary(items: list[dict]) -> Glossary:
    return Glossary([
        Term(ja=i["ja"], translations={k: v for k, v in i.items() if k not in ("ja", "note")}, note=i.get("note", ""))
        for i in items
    ])


GLOSSARY = make_glossary(CORPUS["glossary"])


def item_id(kind: str, index: int, item: dict) -> str:
    return f"{kind}-{index:03d}-{item['lang']}"


def run(item: dict) -> list[Finding]:
    return check_entry(item["source"], item["target"], item["lang"], GLOSSARY, role=item.get("role", "body"))


def describe(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.check} ({f.severity}): {f.message}" for f in findings) or "  (none)"


# ------------------------------------------------------------------------ the corpus


def test_corpus_size_and_spread():
    clean, defective = CORPUS["clean"], CORPUS["defective"]
    assert len(clean) >= 70
    assert len(defective) >= 70
    for kind in (clean, defective):
        per_lang = Counter(item["lang"] for item in kind)
        for lang in LANGS:
            assert per_lang[lang] >= 20, (lang, per_lang)
    # every per-entry check is exercised by defects, in every language
    for lang in LANGS:
        expected = set()
        for item in defective:
            if item["lang"] == lang:
                expected |= set(item["expect"])
        assert expected == PER_ENTRY_CHECKS, (lang, PER_ENTRY_CHECKS - expected)


def test_corpus_items_are_well_formed():
    for kind in ("clean", "defective"):
        for item in CORPUS[kind]:
            assert item["lang"] in LANGS
            assert item["source"] and item["target"]
            assert item.get("role", "body") in ("title", "summary", "caption", "heading", "body")
            if kind == "defective":
                assert item["expect"] and set(item["expect"]) <= PER_ENTRY_CHECKS, item
            else:
                assert "expect" not in item


@pytest.mark.parametrize(
    "item", CORPUS["clean"], ids=[item_id("clean", i, x) for i, x in enumerate(CORPUS["clean"])]
)
def test_clean_item_has_no_finding(item):
    findings = run(item)
    assert findings == [], f"{item['target']!r} should be clean but got:\n{describe(findings)}"


@pytest.mark.parametrize(
    "item", CORPUS["defective"], ids=[item_id("defective", i, x) for i, x in enumerate(CORPUS["defective"])]
)
def test_defective_item_has_exactly_the_expected_checks(item):
    findings = run(item)
    got = {f.check for f in findings}
    assert got == set(item["expect"]), f"expected {sorted(item['expect'])} for {item['target']!r}, got:\n" + describe(
        findings
    )
    for f in findings:
        assert f.message and f.message[0].isupper() or f.message.startswith("["), f.message


def test_corpus_covers_every_punctuation_sub_case():
    subs = Counter()
    for item in CORPUS["defective"]:
        for f in run(item):
            if f.check == "punctuation":
                m = re.match(r"\[([a-z-]+)\] ", f.message)
                assert m, f.message
                subs[m.group(1)] += 1
    assert set(subs) == {"japanese-punctuation", "end-punctuation", "spanish-inverted", "double-space", "whitespace"}


def test_corpus_covers_number_sub_cases():
    """The clean and defective corpus between them exercise each kind of number."""
    sources = " ".join(i["source"] for i in CORPUS["clean"] + CORPUS["defective"])
    targets = " ".join(i["target"] for i in CORPUS["clean"])
    for needle in ["１１月２０日", "２５％", "三十周年", "100周年", "60周年", "第3回", "25パーセント", "1万", "三千",
                   "1.5倍", "3,000", "17〜18日", "17・18日", "17日・18日", "5日～7日", "令和7年", "午後2時", "令和七年"]:
        assert needle in sources, needle
    for needle in ["November 17, 2025", "20 November", "Dec. 5", "2025년 11월 17일", "17 de noviembre de 2025",
                   "centenario", "sexagésimo", "3.ª", "100th", "100주년", "25 por ciento", "25퍼센트", "25 %",
                   "10 000", "3.000", "1,5", "17·18일", "8월 5일~7일", "17 y 18", "17–18", "14:00", "ago. 2024"]:
        assert needle in targets, needle


# ---------------------------------------------------------------------- the registry


def test_registry():
    assert set(CHECKS) == {"numbers", "extra_numbers", "glossary", "markup", "leftover_source", "punctuation",
                           "same_as_source", "length", "unsafe_markup", "invisible_characters", "line_break",
                           "consistency"}
    for check_id, (severity, description) in CHECKS.items():
        assert severity in ("error", "warning")
        assert description and "\n" not in description
    assert CHECKS["numbers"][0] == CHECKS["glossary"][0] == CHECKS["markup"][0] == "error"
    assert CHECKS["leftover_source"][0] == "error"
    assert CHECKS["same_as_source"][0] == CHECKS["length"][0] == CHECKS["consistency"][0] == "warning"


def test_severities_follow_the_registry():
    warning_subs = {"end-punctuation", "double-space"}
    for item in CORPUS["defective"]:
        for f in run(item):
            if f.check == "punctuation":
                sub = re.match(r"\[([a-z-]+)\]", f.message).group(1)
                assert f.severity == ("warning" if sub in warning_subs else "error"), f
            else:
                assert f.severity == CHECKS[f.check][0], f


# ------------------------------------------------------------------- general contract


def test_empty_target_gives_nothing():
    assert check_entry("大分県は2025年に", "", "en", GLOSSARY) == []
    assert check_entry("大分県は2025年に", "   ", "en", GLOSSARY) == []


def test_deterministic_and_ordered():
    source = "大分県の**交流**は2025年に[こちら](https://a.jp/)。"
    target = " Exchange  of こんにゃく in 2024"
    first = check_entry(source, target, "en", GLOSSARY)
    assert first == check_entry(source, target, "en", GLOSSARY)
    order = ["numbers", "glossary", "markup", "leftover_source", "punctuation", "same_as_source", "length"]
    checks = [f.check for f in first]
    assert checks == sorted(checks, key=order.index)
    assert {"numbers", "glossary", "markup", "leftover_source", "punctuation"} <= set(checks)


def test_glossary_is_optional():
    assert check_entry("大分県の代表団", "A delegation from Oita", "en") == []
    assert [f.check for f in check_entry("大分県の代表団", "A delegation from Oita", "en", GLOSSARY)] == ["glossary"]


def test_core_does_not_import_textual():
    code = "import sys, l10n.checks, l10n.glossary; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[1]).returncode == 0


PIECES = list("大分県奈良一二三十百千万億年月日周年回第分の時０１２３456789.,%％*_`[]()!?¡¿。、「」 \n") + [
    "https://a.jp/1", "**", "May", "mil", "millones", "twenty", "five", "hundred", "한", "만", "억", "두", "令和",
    "午後", "〜", "・", "<b>", "\\*", "Oita Prefecture", "오이타현",
]
ARBITRARY = st.lists(st.sampled_from(PIECES), max_size=25).map("".join) | st.text(max_size=30)


@settings(max_examples=300, deadline=None)
@given(ARBITRARY, ARBITRARY, st.sampled_from(["en", "ko", "es", "fr", "zh", "xx", ""]),
       st.sampled_from(["title", "body", "caption"]))
def test_never_crashes_and_reports_known_checks(source, target, lang, role):
    findings = check_entry(source, target, lang, GLOSSARY, role=role)
    for f in findings:
        assert f.check in PER_ENTRY_CHECKS
        assert f.severity in ("error", "warning")
        assert f.message
    assert findings == check_entry(source, target, lang, GLOSSARY, role=role)


# -------------------------------------------------------------------------- numbers


def numbers(source: str, target: str, lang: str = "en") -> list[str]:
    return [f.message for f in check_entry(source, target, lang) if f.check == "numbers"]


def test_numbers_message_names_the_missing_number():
    assert numbers("参加者は425人でした。", "There were many participants.") == [
        "The number 425 in the source is missing from the translation."
    ]
    [message] = numbers("来場者は1万人を超えました。", "More than 1,000 people came.")
    assert "10,000" in message and "1万" in message
    [message] = numbers("三十周年を迎えました。", "We marked the anniversary.")
    assert "30" in message and "三十" in message


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=13, max_value=10**7), st.booleans(), st.sampled_from(LANGS))
def test_numbers_property(n, fullwidth, lang):
    digits = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")) if fullwidth else str(n)
    source = f"参加者は{digits}人でした。"
    good = {"en": f"There were {n:,} participants.", "ko": f"참가자는 {n}명이었습니다.",
            "es": f"Hubo {n:,} participantes.".replace(",", ".")}[lang]
    assert numbers(source, good, lang) == []
    wrong = good.replace(f"{n:,}", f"{n + 1:,}").replace(f"{n:,}".replace(",", "."), f"{n + 1:,}".replace(",", "."))
    wrong = wrong.replace(str(n), str(n + 1))
    assert numbers(source, wrong, lang) == [f"The number {digits.translate(str.maketrans('０１２３４５６７８９', '0123456789'))}"
                                            f" in the source is missing from the translation."]


@pytest.mark.parametrize(
    "source, target, lang",
    [
        ("１２．５％の増加", "an increase of 12.5%", "en"),
        ("１２．５％の増加", "un aumento del 12,5 %", "es"),
        ("1,000人", "1.000 personas", "es"),
        ("1,000人", "1 000 personas", "es"),
        ("1,000人", "mil personas", "es"),
        ("1万人", "10 000 people", "en"),
        ("1万人", "ten thousand people", "en"),
        ("2億5000万円", "250 million yen", "en"),
        ("2億5000万円", "2억 5000만 엔", "ko"),
        ("三千人", "3천 명", "ko"),
        ("十二月", "December", "en"),
        ("二十五周年", "25주년", "ko"),
        ("2025年11月17日", "17 November 2025", "en"),
        ("2025年11月17日", "Nov. 17, 2025", "en"),
        ("2025年11月17日", "2025. 11. 17.", "ko"),
        ("2025年11月17日", "17 nov. 2025", "es"),
        ("17〜18日", "17-18", "en"),
        ("17～18日", "17 and 18", "en"),
        ("17・18日", "17·18일", "ko"),
        ("17日・18日", "los días 17 y 18", "es"),
        ("100周年", "centenario", "es"),
        ("100周年", "centennial", "en"),
        ("60周年", "60th anniversary", "en"),
        ("60周年", "sexagésimo aniversario", "es"),
        ("60周年", "60.º aniversario", "es"),
        ("25周年", "vigésimo quinto aniversario", "es"),
        ("第3回", "third", "en"),
        ("第3回", "3rd", "en"),
        ("第3回", "tercera", "es"),
        ("第3回", "3.ª", "es"),
        ("第3回", "제3회", "ko"),
        ("25パーセント", "25 por ciento", "es"),
        ("25%", "25퍼센트", "ko"),
        ("3人", "three people", "en"),
        ("12人", "doce personas", "es"),
        ("2人", "두 명", "ko"),
        ("午後2時", "14:00", "es"),
        ("14時", "2 p.m.", "en"),
        ("10:00〜12:00", "10 a.m. to noon", "en"),
        ("令和7年度", "fiscal 2025", "en"),
        ("令和元年", "2019", "en"),
        ("3割", "30%", "en"),
        ("3分の1", "one third", "en"),
        ("2025〜26年度", "2025–2026", "en"),
        ("17〜19日の3日間", "from the 17th to the 19th", "en"),
        ("17日・18日の2日間", "on the 17th and 18th", "en"),
        ("一緒に九州の万博へ", "to the Expo in Kyushu together", "en"),
        ("統一された三重県の十分な一部", "a sufficient part of unified Mie", "en"),
        ("数百人が参加", "hundreds took part", "en"),
        ("四日市市と八代市と千歳市", "Yokkaichi, Yatsushiro and Chitose", "en"),
        ("一人ひとりが一日も早い再開を願い、一時休止した", "everyone hopes for an early restart after the pause", "en"),
        ("十人十色の三日坊主", "to each their own", "en"),
        ("担当者は一つ一つの質問に答えました。", "The staff answered each question.", "en"),
        ("https://www.pref.oita.jp/2025/11/ を参照", "see https://www.pref.oita.jp/2025/11/", "en"),
        ("[案内](https://a.jp/2025/)", "[guide](https://a.jp/2025/)", "en"),
        ("コード`ABC123`", "code `ABC123`", "en"),
    ],
)
def test_numbers_accepted_forms(source, target, lang):
    assert numbers(source, target, lang) == []


@pytest.mark.parametrize(
    "source, target, lang, missing",
    [
        ("2025年11月17日", "17 October 2025", "en", "11"),
        ("2025年11月17日", "November 17", "en", "2025"),
        ("17〜18日", "the 17th", "en", "18"),
        ("100周年", "cincuentenario", "es", "100"),
        ("60周年", "50th anniversary", "en", "60"),
        ("第3回", "second", "en", "3"),
        ("２５％", "20%", "ko", "25"),
        ("1万人", "1,000 people", "en", "10,000"),
        ("12.5%", "12%", "en", "12.5"),
        ("十二人", "eleven people", "en", "12"),
        ("午後2時", "at 3 p.m.", "en", "2"),
        ("17日・18日の3日間", "on the 17th and 18th", "en", "3"),  # 3 days is not what the dates say
        ("17〜19日の3日間", "on the 17th and 18th", "en", "19"),
    ],
)
def test_numbers_missing(source, target, lang, missing):
    messages = numbers(source, target, lang)
    assert len(messages) == 1
    assert f"The number {missing}" in messages[0]


def test_numbers_in_other_languages_use_digits_and_babel_months():
    assert numbers("2025年11月17日に", "le 17 novembre 2025", "fr") == []
    assert numbers("2025年11月17日に", "le 17 octobre 2025", "fr") == [
        "The number 11 in the source is missing from the translation."
    ]


# --------------------------------------------------------------------------- glossary


def glossary_messages(source: str, target: str, lang: str) -> list[str]:
    return [f.message for f in check_entry(source, target, lang, GLOSSARY) if f.check == "glossary"]


@pytest.mark.parametrize(
    "source, target, lang",
    [
        ("大分県の職員", "staff of Oita Prefecture", "en"),
        ("大分県の職員", "Staff of OITA PREFECTURE", "en"),
        ("大分県の職員", "Prefectura de Oita: personal", "es"),
        ("大分県の職員", "오이타현의 직원", "ko"),
        ("奈良県知事", "나라현지사", "ko"),
        ("奈良県庁", "the Nara Prefectural Government", "en"),
        ("国際交流員", "two Coordinators for International Relations", "en"),
        ("大分県の職員", "**Oita** Prefecture staff", "en"),
    ],
)
def test_glossary_accepted(source, target, lang):
    assert glossary_messages(source, target, lang) == []


def test_glossary_message_names_term_and_translation():
    assert glossary_messages("外務省の補助", "a grant from the Foreign Ministry", "en") == [
        'The glossary term "外務省" should be translated as "Ministry of Foreign Affairs".'
    ]


def test_glossary_longest_term_is_checked():
    # 奈良県知事 is a term of its own: "Nara Prefecture" alone is not enough
    assert glossary_messages("奈良県知事が訪問", "the Nara Prefecture official visited", "en") == [
        'The glossary term "奈良県知事" should be translated as "Governor of Nara Prefecture".'
    ]


def test_glossary_term_without_translation_for_lang_is_skipped():
    g = Glossary([Term("甘楽町", {"en": "Kanra Town"})])
    assert check_entry("甘楽町の人口", "la población de Kanra", "es", g) == []
    assert [f.check for f in check_entry("甘楽町の人口", "the population of Kanra", "en", g)] == ["glossary"]


def test_glossary_terms_in_code_are_ignored():
    assert glossary_messages("`大分県`と入力", "type `大分県`", "en") == []


# ----------------------------------------------------------------------------- markup


def markup(source: str, target: str) -> list[str]:
    return [f.message for f in check_entry(source, target, "en") if f.check == "markup"]


def test_markup_link_urls_are_a_multiset():
    source = "[A](https://a.jp/)と[B](https://a.jp/)を見る"
    assert markup(source, "see [A](https://a.jp/) and [B](https://a.jp/)") == []
    [message] = markup(source, "see [A](https://a.jp/) and B")
    assert "https://a.jp/" in message and "missing" in message
    assert markup(source, "see [B](https://a.jp/) and [A](https://a.jp/)") == []


def test_markup_autolinks_and_images():
    assert markup("<https://a.jp/>を参照", "see <https://a.jp/>") == []
    assert markup("![写真](p.jpg)", "![photo](p.jpg)") == []
    assert len(markup("![写真](p.jpg)", "photo")) == 1


def test_markup_emphasis_counts():
    assert markup("**大事**で*注意*", "**important** and *careful*") == []
    assert markup("**大事**で*注意*", "**important** and _careful_") == []
    assert len(markup("**大事**です", "*important*")) == 2  # bold lost, italics gained
    assert len(markup("大事です", "**important**")) == 1


def test_markup_code_must_be_identical():
    assert markup("`npm run build`を実行", "run `npm run build`") == []
    [missing, extra] = markup("`npm run build`を実行", "run `npm run compile`")
    assert "`npm run build`" in missing and "`npm run compile`" in extra


def test_markup_cjk_emphasis_is_tolerated():
    # CommonMark leaves **「…」**は unparsed; the translation's bold is still the same markup
    assert markup("**「大分県」**は", "**Oita Prefecture**") == []
    assert len(markup("**「大分県」**は", "Oita Prefecture")) == 1


# -------------------------------------------------------------------- leftover source


def test_leftover_quotes_the_text_and_ignores_code_and_urls():
    [f] = [f for f in check_entry("こんにゃくを作る", "make こんにゃく and 蒟蒻", "en") if f.check == "leftover_source"]
    assert '"こんにゃく"' in f.message and '"蒟蒻"' in f.message
    assert check_entry("`設定`を開く", "open `設定`", "en") == []
    assert check_entry("[サイト](https://ja.wikipedia.org/wiki/大分県)", "[site](https://ja.wikipedia.org/wiki/大分県)",
                       "en") == []


def test_leftover_hangul_is_fine_kanji_is_not_in_korean():
    assert [f.check for f in check_entry("交流", "교류 交流", "ko")] == ["leftover_source"]
    assert check_entry("交流を続けます。", "교류를 계속합니다.", "ko") == []


def test_leftover_in_chinese_only_kana():
    assert check_entry("交流を続けます", "继续交流", "zh") == []
    assert [f.check for f in check_entry("交流を続けます", "继续交流を", "zh")] == ["leftover_source"]


# ------------------------------------------------------------------------ punctuation


def punct(source: str, target: str, lang: str = "en", role: str = "body") -> list[tuple[str, str]]:
    out = []
    for f in check_entry(source, target, lang, role=role):
        if f.check == "punctuation":
            out.append((re.match(r"\[([a-z-]+)\]", f.message).group(1), f.severity))
    return out


def test_end_punctuation_by_role():
    assert punct("交流会を開きました。", "We held a meeting") == [("end-punctuation", "warning")]
    assert punct("交流会を開きました。", "We held a meeting", role="summary") == [("end-punctuation", "warning")]
    for role in ("title", "heading", "caption"):
        assert punct("交流会を開きました。", "We held a meeting", role=role) == []
    assert punct("交流会", "Exchange meeting") == []  # source has no final 。


def test_end_punctuation_allows_closers():
    assert punct("「ありがとう。」", '"Thank you."') == []
    assert punct("**ありがとう！**", "**Thank you!**") == []
    assert punct("詳しくは[こちら](https://a.jp/)。", "Details [here](https://a.jp/).") == []
    assert punct("次のとおりです。", "As follows:") == []
    assert punct("どうですか？", "어떻습니까?", "ko") == []


def test_japanese_punctuation_and_spaces():
    assert punct("a", "Oita、Nara", "en") == [("japanese-punctuation", "error")]
    assert punct("a", "Oita\u3000Nara", "en") == [("japanese-punctuation", "error")]
    assert punct("a", "`「code」`", "en") == []  # code is copied as is
    assert punct("a", "Oita  Nara", "en") == [("double-space", "warning")]
    assert punct("a", "Oita `x  y`", "en") == []  # spaces inside code are the code's
    assert punct("a", "line one  \nline two", "en") == []  # a Markdown hard break
    assert punct("a", "Oita ", "en") == [("whitespace", "error")]
    assert punct("a", "\nOita", "en") == [("whitespace", "error")]
    assert punct("a ", "Oita ", "en") == []  # the source has it too


def test_spanish_inverted_marks():
    assert punct("a", "¿Viene usted? ¡Claro!", "es") == []
    assert punct("a", "Si viene, ¿trae el mapa?", "es") == []
    assert punct("a", "¡¿Qué?!", "es") == []
    assert punct("a", "Nació en 1850 (?).", "es") == []
    assert punct("a", "Viene usted?", "es") == [("spanish-inverted", "error")]
    assert punct("a", "¿Viene usted.", "es") == [("spanish-inverted", "error")]
    assert punct("a", "Claro!", "es") == [("spanish-inverted", "error")]
    assert punct("a", "[enlace](https://a.jp/?q=1)", "es") == []  # URLs do not count
    assert punct("a", "Viene usted?", "en") == []  # Spanish rule only


# ------------------------------------------------------------- same as source, length


def test_same_as_source():
    assert [f.check for f in check_entry("オランダ", "オランダ", "ko", role="title")] == [
        "leftover_source", "same_as_source"]
    assert check_entry("https://www.pref.oita.jp/", "https://www.pref.oita.jp/", "en") == []
    assert check_entry("JICA", "JICA", "es", role="title") == []
    # a Chinese target may legitimately share kanji, but not be the whole source
    assert [f.check for f in check_entry("国際交流", "国際交流", "zh", role="title")] == ["same_as_source"]


def test_length_bounds_are_documented_constants():
    assert LENGTH_TYPICAL == {"en": (2.0, 3.5), "es": (2.3, 4.0), "ko": (0.8, 1.5)}
    assert LENGTH_LOW_FACTOR == 0.35 and LENGTH_HIGH_FACTOR == 3.0


def test_length_thresholds():
    source = "交流会を開催しました。あ"  # 12 Japanese characters
    assert len(source) == 12
    low, high = LENGTH_TYPICAL["en"]
    just_ok_short = "x" * int(12 * low * LENGTH_LOW_FACTOR + 1)
    too_short = "x" * int(12 * low * LENGTH_LOW_FACTOR - 1)
    too_long = "x" * int(12 * high * LENGTH_HIGH_FACTOR + 2)
    length = lambda t: [f.check for f in check_entry(source, t + ".", "en") if f.check == "length"]  # noqa: E731
    assert length(just_ok_short) == []
    assert length(too_short) == ["length"]
    assert length(too_long) == ["length"]
    # short sources are not checked
    assert check_entry("交流会。", "We met to exchange ideas and experiences with many friends for hours and hours "
                                  "and hours, and then we went home.", "ko") == []


def test_length_counts_latin_in_source_at_par():
    # mostly Latin source: target of similar length is fine
    assert check_entry("Oita Trinita対FC Seoul", "Oita Trinita vs. FC Seoul", "en", role="title") == []


# ------------------------------------------------------------------------ consistency


def test_consistency_flags_every_variant_and_names_the_others():
    items = [
        ("2025-11-a", "en", "交流会", "Exchange meeting"),
        ("2025-12-b", "en", "交流会", "Exchange meeting"),
        ("2026-01-c", "en", "交流会", "Friendship gathering"),
        ("2026-01-c", "en", "大分県", "Oita Prefecture"),
    ]
    result = check_consistency(items)
    assert set(result) == set(items[:3])
    [f] = result[items[2]]
    assert f == Finding("consistency", "warning", f.message)
    assert '"Exchange meeting"' in f.message and "2025-11-a" in f.message and "2025-12-b" in f.message
    assert "Friendship gathering" not in f.message
    [f] = result[items[0]]
    assert '"Friendship gathering"' in f.message and "2026-01-c" in f.message
    assert "Exchange meeting" not in f.message


def test_consistency_is_per_language():
    items = [
        ("a1", "en", "交流会", "Exchange meeting"),
        ("a1", "es", "交流会", "Reunión de intercambio"),
        ("a2", "es", "交流会", "Reunión de intercambio"),
        ("a2", "ko", "交流会", "교류회"),
    ]
    assert check_consistency(items) == {}


def test_consistency_ignores_whitespace_and_empty_targets():
    items = [
        ("a1", "en", "交流会", "Exchange meeting"),
        ("a2", "en", " 交流会", "Exchange  meeting "),
        ("a3", "en", "交流会", ""),
        ("a4", "en", "交流会", "   "),
    ]
    assert check_consistency(items) == {}


def test_consistency_within_one_article_and_many_variants():
    items = [("a1", "ko", "交流会", "교류회"), ("a1", "ko", "交流会", "교류 모임")]
    result = check_consistency(items)
    assert '"교류 모임" (article a1)' in result[items[0]][0].message
    assert '"교류회" (article a1)' in result[items[1]][0].message
    many = [(f"a{i}", "en", "交流会", f"Variant {i}") for i in range(6)]
    result = check_consistency(many)
    assert len(result) == 6
    assert "other version(s)" in result[many[0]][0].message


def test_consistency_is_deterministic_and_accepts_iterators():
    items = [("b", "en", "交流会", "Exchange meeting"), ("a", "en", "交流会", "Gathering"),
             ("c", "en", "交流会", "Gathering")]
    first = check_consistency(iter(items))
    assert first == check_consistency(list(reversed(items)))
    assert '"Gathering" (articles a, c)' in first[items[0]][0].message
