"""Front matter fields (issue 16): tags are translation units published in every edition;
dates are read in the forms a Japanese editor types and published in each language's
format; anything else is bad input naming the file and the line."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from l10n import catalog as po
from tests.test_publishing import EN, KANRA, KO, front_matter, make_project, parse_html, translate

ES = {k: f"ES {v}" for k, v in EN.items()}


def _kanra_with(date: str) -> str:
    return KANRA.replace("date: 2026-02-01", f"date: {date}")


# ---------------------------------------------------------------- tags
def test_tags_are_units_translated_and_published_in_every_edition(tmp_path, cli):
    root = make_project(tmp_path, cli, {"2026-02/kanra": KANRA})
    for lang in ("en", "ko", "es"):
        cat = po.read(root / f"locales/{lang}/2026-02/kanra.po")
        tags = [e.msgid for e in cat.active() if e.msgctxt == "tag"]
        assert tags == ["群馬県", "ニカラグア"], lang
    template = (root / "locales/templates/2026-02/kanra.pot").read_text("utf-8")
    assert 'msgctxt "tag"\nmsgid "群馬県"' in template

    translate(root, "2026-02/kanra", "ko", KO)
    translate(root, "2026-02/kanra", "en", EN)
    out = tmp_path / "out"
    assert cli("-C", str(root), "build", "--out", str(out), "--partial").code == 0
    for lang, table in (("en", EN), ("ko", KO)):
        meta, _ = front_matter((out / f"{lang}/2026-02/kanra.md").read_text("utf-8"))
        assert meta["tags"] == [table["群馬県"], table["ニカラグア"]]
        page = parse_html(out / f"{lang}/2026-02/kanra.html")
        assert table["群馬県"] in "".join(page.text)
        assert "群馬県" not in (out / f"{lang}/2026-02/kanra.html").read_text("utf-8")


def test_an_untranslated_tag_keeps_the_edition_from_being_published(tmp_path, cli):
    root = make_project(tmp_path, cli, {"2026-02/kanra": KANRA})
    translate(root, "2026-02/kanra", "en", lambda m: "" if m == "群馬県" else EN[m])
    out = tmp_path / "out"
    r = cli("-C", str(root), "build", "--out", str(out), "--lang", "en")
    assert r.code == 1 and "1 of 11 entries not approved (1 untranslated" in r.err
    assert not (out / "en/2026-02/kanra.md").exists()


def test_identical_tags_share_one_entry_and_a_tag_is_never_split(tmp_path, cli):
    text = KANRA.replace("tags: [群馬県, ニカラグア]", "tags: [群馬県, 群馬県, 'はい。いいえ。']")
    root = make_project(tmp_path, cli, {"2026-02/kanra": text})
    cat = po.read(root / "locales/en/2026-02/kanra.po")
    assert [e.msgid for e in cat.active() if e.msgctxt == "tag"] == ["群馬県", "はい。いいえ。"]


@pytest.mark.parametrize(("tags", "line"), [("[群馬県, 2025]", 8), ("\n  - 群馬県\n  -\n", 10),
                                            ("\n  - 群馬県\n  - {a: b}\n", 10)])
def test_a_tag_that_is_not_text_is_bad_input_naming_its_line(tmp_path, cli, tags, line):
    root = make_project(tmp_path, cli, {})
    art = root / "content/2026-02/kanra.md"
    art.parent.mkdir(parents=True)
    art.write_text(KANRA.replace("tags: [群馬県, ニカラグア]", f"tags: {tags}".rstrip()), "utf-8")
    r = cli("-C", str(root), "sync", "--no-mt")
    assert r.code == 2, r.err
    assert f"kanra.md:{line}:" in r.err and "tags[1]" in r.err


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("typed", ["2026年4月1日", "令和8年4月1日", "２０２６年４月１日（水）", "2026-04-01",
                                   "'2026-04-01'"])
def test_japanese_and_iso_dates_are_published_in_each_language(tmp_path, cli, typed):
    root = make_project(tmp_path, cli, {"2026-02/kanra": _kanra_with(typed)})
    for lang, table in (("en", EN), ("ko", KO), ("es", ES)):
        translate(root, "2026-02/kanra", lang, table)
    out = tmp_path / "out"
    assert cli("-C", str(root), "build", "--out", str(out)).code == 0
    for lang, shown in (("en", "April 1, 2026"), ("ko", "2026년 4월 1일"), ("es", "1 de abril de 2026")):
        md = (out / f"{lang}/2026-02/kanra.md").read_text("utf-8")
        meta, _ = front_matter(md)
        assert meta["date"] == dt.date(2026, 4, 1)  # ISO, a YAML date: what generators sort by
        assert meta["date_display"] == shown
        assert "年" not in md.split("---")[1]
        page = (out / f"{lang}/2026-02/kanra.html").read_text("utf-8")
        assert f'<time datetime="2026-04-01">{shown}</time>' in page
        assert f'<time datetime="2026-04-01">{shown}</time>' in (out / f"{lang}/index.html").read_text("utf-8")


@pytest.mark.parametrize("typed", ["2026-13-45", "2026年13月45日", "2026年2月30日", "令和1年4月1日",
                                   "平成32年1月1日", "2026年4月1日（木）", "tomorrow", "2026/04/01",
                                   "[2026, 4, 1]", "2026-02-01T25:00:00", "9" * 5000])
def test_a_date_that_is_not_a_date_is_bad_input_naming_the_file_and_line(tmp_path, cli, typed):
    root = make_project(tmp_path, cli, {})
    art = root / "content/2026-02/kanra.md"
    art.parent.mkdir(parents=True)
    art.write_text(_kanra_with(typed), "utf-8")
    for command in (["sync", "--no-mt"], ["build", "--out", str(tmp_path / "out")]):
        r = cli("-C", str(root), *command)
        assert r.code == 2, (command, r.err)
        assert "kanra.md:3:" in r.err and "date" in r.err, r.err
    assert not (tmp_path / "out").exists()
    assert not (root / "locales/en/2026-02").exists()


def test_an_impossible_date_elsewhere_in_the_front_matter_is_bad_input(tmp_path, cli):
    root = make_project(tmp_path, cli, {})
    art = root / "content/2026-02/kanra.md"
    art.parent.mkdir(parents=True)
    art.write_text(KANRA.replace("tags:", "updated: 2026-02-31\ntags:"), "utf-8")
    r = cli("-C", str(root), "sync", "--no-mt")
    assert r.code == 2 and "kanra.md:8:" in r.err and "2026-02-31" in r.err


def test_the_reiwa_era_and_its_first_year(tmp_path):
    from l10n.dates import parse_date

    assert parse_date("令和元年5月1日") == dt.date(2019, 5, 1)
    assert parse_date("平成31年4月30日") == dt.date(2019, 4, 30)
    assert parse_date(" 2026年 4月 1日 ") == dt.date(2026, 4, 1)
    assert parse_date(dt.date(2026, 4, 1)) == dt.date(2026, 4, 1)


def test_articles_from_the_sample_keep_their_dates(tmp_path, cli):
    from tests.conftest import copy_sample

    root = copy_sample(tmp_path / "s")
    from l10n.article import parse_article

    for p in sorted((root / "content").rglob("*.md")):
        a = parse_article(p, p.stem)
        assert isinstance(a.date, dt.date), p
    assert Path(root / "l10n.yaml").is_file()
