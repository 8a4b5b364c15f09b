"""Attacks on the quality checks and on `l10n check` (issues 12, 13, 15 and 16).

Each test here fails on the code before these issues: a check registry that check_entry
loops over, unsafe markup and invisible characters as errors that the review gate
enforces, a line break in a one-line sentence, linear-time checks on pathological
entries, counters recognised in general, extra numbers, and `check` at scale (a cache
per catalog, streaming, --changed REF, source and translation shown, msgstr and totals
in JSON). No test here times anything: the pathological inputs simply run.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from l10n import catalog as po
from l10n import review
from l10n.actions import save_translation
from l10n.project import Project

ART = "2026-02/nara-diplomats-tour"
OTHER = "2026-02/oita-bay-area"
SRC = "今回は14か国から、大使とその配偶者・パートナーの計19名が参加しました。"
GOOD = "This time, 19 people from 14 countries, ambassadors and their spouses or partners, took part."
REPO = Path(__file__).resolve().parent.parent


def checks_of(source: str, target: str, lang: str = "en") -> dict[str, list]:
    from l10n.checks import check_entry

    out: dict[str, list] = {}
    for f in check_entry(source, target, lang):
        out.setdefault(f.check, []).append(f)
    return out


# ------------------------------------------------------------------ issue 12: the registry


def test_check_entry_runs_whatever_the_registry_holds():
    from l10n.checks import check_entry
    from l10n.checks.registry import REGISTRY, Check, Finding

    def shouting(entry):
        return [Finding("shouting", "warning", "All capitals.")] if entry.target.isupper() else []

    saved = dict(REGISTRY)
    try:
        REGISTRY["shouting"] = Check("shouting", "warning", "No shouting.", shouting)
        assert [f.check for f in check_entry("交流会", "EXCHANGE", "en", role="title")] == ["shouting"]
        del REGISTRY["numbers"]  # a check removed from the registry no longer runs
        assert "numbers" not in {f.check for f in check_entry("参加者は425人でした。", "Many came.", "en")}
    finally:
        REGISTRY.clear()
        REGISTRY.update(saved)


def test_every_registered_check_is_described_and_documented():
    from l10n.checks import CHECKS, REGISTRY

    assert list(CHECKS) == list(REGISTRY)
    per_entry = [c for c in REGISTRY.values() if c.fn is not None]
    assert {c.id for c in per_entry} >= {"numbers", "extra_numbers", "unsafe_markup", "invisible_characters",
                                         "line_break"}
    assert REGISTRY["consistency"].fn is None
    assert REGISTRY["unsafe_markup"].severity == REGISTRY["invisible_characters"].severity == "error"
    assert REGISTRY["line_break"].severity == "error"
    assert REGISTRY["extra_numbers"].severity == "warning"
    readme = (REPO / "README.md").read_text("utf-8")
    for check_id in REGISTRY:
        assert f"`{check_id}`" in readme, check_id


def test_checks_are_a_package_of_small_modules_with_numbers_apart():
    package = REPO / "l10n" / "checks"
    assert package.is_dir() and not (REPO / "l10n" / "checks.py").exists()
    for module in package.glob("*.py"):
        assert len(module.read_text("utf-8").splitlines()) <= 500, module.name
    numbers = (package / "numbers.py").read_text("utf-8")
    assert "COUNTER_AFTER" in numbers and "def source_numbers" in numbers


# ------------------------------------------------------------------ issue 13: unsafe markup

UNSAFE = [
    "See [the site](javascript:alert(1)).",
    "See [the site](JaVaScRiPt:alert(1)).",
    "See [the site](java&#x73;cript:alert(1)).",
    "See [the site](&#106;avascript:alert(1)).",
    "See [the site](javascript&colon;alert(1)).",
    "See [the site](   javascript:alert(1)).",
    "See [the site](<java\tscript:alert(1)>).",
    "See [the site](<java script:alert(1)>).",
    "See [the site](jav%61script:alert(1)).",
    "See <javascript:alert(document.cookie)>.",
    "See <JAVASCRIPT:alert(1)>.",
    "See [the site](vbscript:msgbox(1)).",
    "See [the site](VBScript:msgbox(1)).",
    "See [the site](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).",
    "See ![a photo](data:image/svg+xml,<svg onload=alert(1)>).",
    "See ![a photo](data:image/png;base64,iVBORw0KGgo=).",
    "[site]: javascript:alert(1)",
    "Hello.<script>alert(1)</script>",
    "Hello. <SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    'Hello. <img src="x" onerror="alert(1)">',
    'Hello. <a href="javascript:alert(1)">here</a>',
    "Hello. <iframe src=https://evil.example/></iframe>",
    "Hello. <!-- hidden from the reviewer -->",
    "<div>Hello.</div>",
    "<style>body{display:none}</style>",
    "Hello.\n<script>alert(1)</script>",
]


@pytest.mark.parametrize("target", UNSAFE)
@pytest.mark.parametrize("lang", ["en", "ko", "es"])
def test_unsafe_markup_in_a_translation_is_an_error(target, lang):
    found = checks_of("詳しくはサイトをご覧ください。", target, lang)
    assert "unsafe_markup" in found, target
    assert all(f.severity == "error" for f in found["unsafe_markup"])


def test_unsafe_markup_is_caught_in_an_entry_too_costly_for_markdown_it():
    # a wall of brackets sends the entry to the linear scanner; the link is still seen
    for target in ("[" * 150_000 + " [x](javascript:alert(1))", "`" * 100_000 + " <script>x</script>",
                   "[" * 150_000 + " [x](java&#x73;cript:alert(1))"):
        assert "unsafe_markup" in checks_of("詳しくはサイトをご覧ください。", target)


@pytest.mark.parametrize("source,safe,unsafe", [
    ("講座ではJavaScriptの基礎を学びました。", "The course covered the basics of JavaScript: variables and loops.",
     "The course covered the basics of [JavaScript](javascript:void(0)): variables and loops."),
    ("詳細は<abbr>JKF</abbr>のサイトへ。", "Details are on the <abbr>JKF</abbr> site.",
     "Details are on the <abbr onmouseover=alert(1)>JKF</abbr> site."),
    ("詳しくは[こちら](https://www.pref.oita.jp/)。", "Details [here](https://www.pref.oita.jp/).",
     "Details [here](https://www.pref.oita.jp/) and [there](data:text/html,x)."),
    ("問い合わせは<info@example.jp>まで。", "Write to <info@example.jp>.", "Write to <info@example.jp>.<b>"),
])
def test_safe_markup_passes_where_its_unsafe_twin_does_not(source, safe, unsafe):
    assert "unsafe_markup" not in checks_of(source, safe)
    assert "unsafe_markup" in checks_of(source, unsafe)


# ------------------------------------------------------------------ invisible characters

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u061c",
             "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
             "\U000e0041", "\x1b", "\x07", "\x00", "\u3164", "\ufe0f"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_not_in_the_source_are_errors(char):
    found = checks_of("知事は市長と会談しました。", f"The governor met{char} the mayor.")
    assert [f.severity for f in found["invisible_characters"]] == ["error"]
    assert f"U+{ord(char):04X}" in found["invisible_characters"][0].message
    # the same character in the source: the translation may keep it
    assert "invisible_characters" not in checks_of(f"知事は{char}市長と会談しました。",
                                                   f"The governor met{char} the mayor.")


# ------------------------------------------------------------------ issue 15: line breaks


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\u2028", "\u2029", "\n\n", "\n# "])
def test_a_line_break_in_a_one_line_sentence_is_an_error(brk):
    found = checks_of("知事は市長と会談しました。", f"The governor met{brk}the mayor.")
    assert [f.severity for f in found["line_break"]] == ["error"]


def test_a_line_break_that_the_source_has_is_fine_and_a_trailing_one_is_reported_once():
    assert "line_break" not in checks_of("一行目です。\n二行目です。", "The first line.\nThe second line.")
    assert "line_break" in checks_of("一行目です。二行目です。", "The first line.\nThe second line.")
    found = checks_of("知事は市長と会談しました。", "The governor met the mayor.\n")
    assert "line_break" not in found and "punctuation" in found
    assert "line_break" in checks_of("知事は市長と会談しました。", "The governor met\nthe mayor.\n")


# ------------------------------------------------------------------ the gate: l10n approve


@pytest.mark.parametrize("bad,check", [
    ("This time, 19 people from [14 countries](javascript:alert(1)) took part.", "unsafe_markup"),
    ("This time, 19 people from 14 countries took part.<img src=x onerror=alert(1)>", "unsafe_markup"),
    ("This time, 19 people from 14 countries took\u202e part.", "invisible_characters"),
    ("This time, 19 people from 14\u200b countries took part.", "invisible_characters"),
    ("This time, 19 people from 14 countries\ntook part.", "line_break"),
])
def test_the_review_gate_refuses_dangerous_translations_unless_overridden(sample, cli, bad, check):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    p = Project(sample)
    save_translation(p, ART, "en", ("body", SRC), bad, "Tr")
    r = cli("-C", str(sample), "approve", ART, "--lang", "en", "--msgid", SRC, "--as", "Rev")
    assert r.code == 1
    assert check in r.err and "--override" in r.err
    assert review.state(po.read(p.catalog_path("en", ART)).find(SRC)) == review.TRANSLATED
    r = cli("-C", str(sample), "approve", ART, "--lang", "en", "--msgid", SRC, "--as", "Rev",
            "--override", "checked with the editor")
    assert r.code == 0, r.err
    assert review.state(po.read(p.catalog_path("en", ART)).find(SRC)) == review.APPROVED


# ------------------------------------------------------------------ issue 13: linear time

N = 200_000


def _rep(unit: str, n: int = N) -> str:
    return (unit * (n // len(unit) + 1))[:n]


SHAPES = {
    "no spaces": ("大分県は交流しました。", _rep("a")),
    "backticks in the source": (_rep("`"), "Hello."),
    "backtick pairs": ("交流しました。", _rep("`a")),
    "brackets": ("交流しました。", _rep("[")),
    "link openers": ("交流しました。", _rep("[a](" + "x" * 200)),
    "image openers": ("交流しました。", _rep("![")),
    "digits": ("2025年に交流しました。", _rep("1")),
    "a 200,000-digit number in the source": (_rep("1"), "One."),
    "digit list in the source": (_rep("1,"), "One."),
    "kanji ranges in the source": (_rep("一・"), "One."),
    "counters in the source": (_rep("三十基"), "Thirty."),
    "spaced underscores": ("交流しました。", _rep(" _a")),
    "double spaces": ("交流しました。", _rep("a  ")),
    "entities": ("交流しました。", _rep("&#x73;")),
    "korean units": ("交流しました。", _rep("1만 ")),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_pathological_entries_are_checked(name):
    """These took minutes to hours (quadratic and cubic regexes) or crashed (a recursion
    over kanji ranges, int() of a 5,000-digit number). No timing here: the suite's time
    shows a regression, benchmarks/bench_checks.py measures it."""
    from l10n.checks import check_entry

    source, target = SHAPES[name]
    for lang in ("en", "ko", "es"):
        findings = check_entry(source, target, lang)
        assert findings and all(f.message for f in findings)
        assert len(findings) < 50  # reported in summary, not one finding per character


def test_a_huge_number_is_named_not_crashed_on():
    found = checks_of("参加者は" + "9" * 5000 + "人でした。", "Many came.")
    assert found["numbers"][0].message.startswith("The number 9999")


# ------------------------------------------------------------------ issue 16: numbers


@pytest.mark.parametrize("source,wrong,right", [
    ("境内には三十基以上の灯籠が並んでいます。", "More than forty lanterns line the grounds.",
     "More than thirty lanterns line the grounds."),
    ("五メートルの横断幕を掲げました。", "A banner four meters long was raised.", "A 5-meter banner was raised."),
    ("二十羽の鶴を折りました。", "We folded 12 cranes.", "We folded 20 cranes."),
    ("五艘の船が入港しました。", "Four boats entered the port.", "Five boats entered the port."),
    ("八両編成の列車です。", "It is a six-car train.", "It is an eight-car train."),
    ("十着の法被を贈りました。", "They gave eleven happi coats.", "They gave ten happi coats."),
])
def test_any_counter_after_a_kanji_numeral_makes_it_a_number(source, wrong, right):
    assert "numbers" in checks_of(source, wrong)
    assert "numbers" not in checks_of(source, right)


@pytest.mark.parametrize("word", ["一緒に", "九州で", "十分に", "一昨年から", "一大イベントとして", "十数人と"])
def test_words_that_contain_numerals_are_not_numbers_but_the_counter_next_to_them_is(word):
    found = checks_of(f"{word}三十基の灯籠を見ました。", "We saw forty lanterns.")
    assert [f.message for f in found["numbers"]] == [
        "The number 30 (三十) in the source is missing from the translation."]


@pytest.mark.parametrize("lang,target", [
    ("en", "This time, 19 ambassadors from 14 countries took part."),
    ("ko", "이번에는 14개국에서 대사 19명이 참가했습니다."),
    ("es", "Esta vez participaron 19 embajadores de 14 países."),
])
def test_a_number_left_in_a_translation_is_flagged(lang, target):
    found = checks_of("今回は14か国から大使が参加しました。", target, lang)
    assert [f.check for fs in found.values() for f in fs] == ["extra_numbers"]
    assert "19" in found["extra_numbers"][0].message and found["extra_numbers"][0].severity == "warning"


@pytest.mark.parametrize("source,target,lang", [
    ("G7の会合に参加しました。", "They attended the G7 meeting", "en"),
    ("新型コロナの影響で延期されました。", "It was postponed because of COVID-19", "en"),
    ("令和7年度の事業です。", "It is a project for fiscal 2025", "en"),
    ("午後2時に始まりました。", "It began at 14:00", "en"),
    ("1万人が訪れました。", "10,000 people visited", "en"),
    ("1万人が訪れました。", "10 thousand people visited", "en"),
    ("事業費は2億5000万円です。", "사업비는 2억 5000만 엔입니다", "ko"),
    ("3割が初めての訪日でした。", "For 30% it was their first visit to Japan", "en"),
    ("2025〜26年に実施します。", "It will run in 2025–2026", "en"),
    ("第1回の会合です。", "It is the 1st meeting", "en"),
    ("17日・18日の2日間開催しました。", "It was held over two days, the 17th and 18th", "en"),
])
def test_only_the_number_the_source_cannot_explain_is_extra(source, target, lang):
    assert "extra_numbers" not in checks_of(source, target + ".", lang)
    found = checks_of(source, target + ", with 37 guests.", lang)
    assert [f.message for f in found["extra_numbers"]] == [
        "The translation has a number that the source does not: 37."]


# ------------------------------------------------------------------ issue 16: `l10n check`


def _bad_translation(sample, cli, text="This time, 18 people from 14 countries took\u202e part.") -> Project:
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    p = Project(sample)
    save_translation(p, ART, "en", ("body", SRC), text, "Tr")
    return p


def test_check_json_carries_msgstr_file_line_and_totals(sample, cli):
    _bad_translation(sample, cli)
    r = cli("-C", str(sample), "check", "--json")
    assert r.code == 1
    data = json.loads(r.out)
    findings = data["findings"]
    assert {f["check"] for f in findings} == {"numbers", "invisible_characters"}
    for f in findings:
        assert f["msgstr"] == "This time, 18 people from 14 countries took\u202e part."
        assert f["msgid"] == SRC and f["file"] == f"locales/en/{ART}.po" and f["line"] > 0
    totals = data["totals"]
    assert totals["findings"] == len(findings)
    assert totals["by_severity"] == {"error": len(findings), "warning": 0}
    assert totals["by_check"] == {"numbers": 1, "invisible_characters": 1}
    assert totals["articles"] == 5
    assert "\u202e" not in r.out  # escaped in the JSON text, the same string once parsed


def test_check_text_shows_source_and_translation_with_control_characters_escaped(sample, cli):
    _bad_translation(sample, cli)
    r = cli("-C", str(sample), "check", "--lang", "en")
    assert r.code == 1
    assert f"source:      {SRC}" in r.out
    assert "translation: This time, 18 people from 14 countries took\\u202e part." in r.out
    assert "\u202e" not in r.out
    assert "2 findings: 2 errors, 0 warnings in 5 articles" in r.out


def _count_reads(monkeypatch) -> list:
    reads: list = []
    real = po.read

    def counting(path, *a, **k):
        reads.append(Path(path).as_posix())
        return real(path, *a, **k)

    monkeypatch.setattr(po, "read", counting)
    return reads


def test_findings_are_cached_per_catalog(sample, cli, monkeypatch):
    p = _bad_translation(sample, cli)
    reads = _count_reads(monkeypatch)
    first = cli("-C", str(sample), "check", "--json")
    assert len(reads) == 15
    reads.clear()
    second = cli("-C", str(sample), "check", "--json")
    assert second.out == first.out and second.code == first.code == 1
    assert reads == []  # nothing parsed: every catalog's findings came from the cache
    # one catalog changes: only it is read again
    save_translation(p, ART, "en", ("body", SRC), GOOD, "Tr")
    reads.clear()
    third = cli("-C", str(sample), "check", "--json")
    assert len(reads) == 1 and reads[0].endswith(f"locales/en/{ART}.po")
    assert third.code == 0 and json.loads(third.out)["findings"] == []
    # the glossary changes: every catalog is checked again
    gl = sample / "locales" / "glossary.yaml"
    gl.write_text(gl.read_text("utf-8") + "\n- ja: 大使\n  en: ambassador\n  ko: 대사\n  es: embajador\n", "utf-8")
    reads.clear()
    cli("-C", str(sample), "check", "--json")
    assert len(reads) == 15


def test_a_damaged_cache_is_rebuilt(sample, cli):
    _bad_translation(sample, cli)
    first = cli("-C", str(sample), "check", "--json")
    cache = sample / ".l10n" / "check-cache.sqlite"
    assert cache.exists()
    for suffix in ("-wal", "-shm"):
        Path(str(cache) + suffix).unlink(missing_ok=True)
    cache.write_bytes(b"this is not a database" * 100)
    again = cli("-C", str(sample), "check", "--json")
    assert again.out == first.out and again.code == 1


def test_check_streams_catalog_by_catalog(sample, cli, monkeypatch):
    from l10n.quality import Checker

    _bad_translation(sample, cli)
    reads = _count_reads(monkeypatch)
    blocks = Checker(Project(sample)).blocks()
    next(blocks)  # the first catalog's findings come before the others are read
    assert 0 < len(reads) < 15
    rest = list(blocks)
    assert len(reads) == 15 and any(rest)


def test_consistency_is_still_found_through_the_cache(sample, cli, monkeypatch):
    twin = "2026-02/nara-diplomats-tour-copy"
    (sample / "content" / f"{twin}.md").write_text(
        (sample / "content" / f"{ART}.md").read_text("utf-8"), "utf-8")
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    p = Project(sample)
    save_translation(p, ART, "en", ("body", SRC), GOOD, "Tr")
    save_translation(p, twin, "en", ("body", SRC), GOOD.replace("took part", "participated"), "Tr")
    first = cli("-C", str(sample), "check", "--json").out
    found = [f for f in json.loads(first)["findings"] if f["check"] == "consistency"]
    assert {f["article"] for f in found} == {ART, twin}
    assert all(f["msgid"] == SRC and f["severity"] == "warning" for f in found)
    reads = _count_reads(monkeypatch)
    assert cli("-C", str(sample), "check", "--json").out == first and reads == []  # from the cache
    # only one article asked for: its finding still compares with every other article
    r = cli("-C", str(sample), "check", twin, "--json")
    assert {f["article"] for f in json.loads(r.out)["findings"] if f["check"] == "consistency"} == {twin}
    save_translation(p, twin, "en", ("body", SRC), GOOD, "Tr")
    reads.clear()
    found = json.loads(cli("-C", str(sample), "check", "--json").out)["findings"]
    assert not [f for f in found if f["check"] == "consistency"] and len(reads) == 1


# ------------------------------------------------------------------ check --changed REF


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def test_check_changed_reports_only_articles_changed_since_a_ref(sample, cli):
    p = _bad_translation(sample, cli)  # ART has an error, committed below: not changed since HEAD
    _git(sample, "init", "-q")
    _git(sample, "add", "-A")
    _git(sample, "commit", "-q", "-m", "base")
    r = cli("-C", str(sample), "check", "--changed", "HEAD", "--json")
    assert r.code == 0 and json.loads(r.out)["findings"] == []
    assert json.loads(r.out)["totals"]["articles"] == 0
    # a bad translation in another article, not committed
    e = next(e for e in po.read(p.catalog_path("en", OTHER)).active() if e.msgctxt == "body")
    save_translation(p, OTHER, "en", e.key, "Governor Sato met 市長 Lurie.", "Tr")
    r = cli("-C", str(sample), "check", "--changed", "HEAD", "--json")
    assert r.code == 1
    assert {f["article"] for f in json.loads(r.out)["findings"]} == {OTHER}
    # a changed glossary changes every article's findings
    gl = sample / "locales" / "glossary.yaml"
    gl.write_text(gl.read_text("utf-8") + "\n", "utf-8")
    r = cli("-C", str(sample), "check", "--changed", "HEAD", "--json")
    assert {f["article"] for f in json.loads(r.out)["findings"]} == {ART, OTHER}


def test_check_changed_with_a_bad_ref_or_outside_git_is_a_usage_error(sample, cli):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    r = cli("-C", str(sample), "check", "--changed", "HEAD")
    assert r.code == 2 and "--changed" in r.err
    _git(sample, "init", "-q")
    _git(sample, "add", "-A")
    _git(sample, "commit", "-q", "-m", "base")
    r = cli("-C", str(sample), "check", "--changed", "no-such-ref")
    assert r.code == 2 and "no-such-ref" in r.err
    r = cli("-C", str(sample), "check", "--changed", "--upload-pack=touch /tmp/x")
    assert r.code == 2


def test_an_unusable_cache_file_is_replaced_by_a_memory_cache(sample, cli, monkeypatch):
    import sqlite3

    from l10n import check_cache

    _bad_translation(sample, cli)
    expected = cli("-C", str(sample), "check", "--json").out
    real = check_cache.CheckCache._connect

    def refuse_files(self, where):
        if where != ":memory:":
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(self, where)

    monkeypatch.setattr(check_cache.CheckCache, "_connect", refuse_files)
    monkeypatch.setattr(check_cache.Path, "unlink", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "no")))
    r = cli("-C", str(sample), "check", "--json")
    assert r.code == 1 and r.out == expected
