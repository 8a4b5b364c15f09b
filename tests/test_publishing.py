"""`l10n build`: complete, approved articles become Markdown, HTML and .mo files."""
from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
import yaml
from markdown_it import MarkdownIt

from l10n import catalog as po
from l10n import review
from l10n.article import parse_article, split_front_matter
from l10n.init import init_project

MD = MarkdownIt("commonmark")

KANRA = """\
---
title: 甘楽町とニカラグアの交流
date: 2026-02-01
summary: 東京2020大会をきっかけに交流が始まりました。
images:
  - file: images/2026-02/kanra-shoes.jpg
    caption: 町民による靴の寄贈式
tags: [群馬県, ニカラグア]
---

甘楽町はホストタウンに登録しました。交流は[外務省のページ](https://www.mofa.go.jp/a?x=1&y=2)で紹介されています。

## スポーツを通じた交流

- 空手大会が開かれました。
- 消防車が**寄贈**されました。

詳しくは`kanra`と[町のサイト](https://www.town.kanra.lg.jp/)をご覧ください。
"""

KO = {
    "甘楽町とニカラグアの交流": "간라마치와 니카라과의 교류",
    "東京2020大会をきっかけに交流が始まりました。": "도쿄 2020 대회를 계기로 교류가 시작되었습니다.",
    "町民による靴の寄贈式": "주민들의 신발 기증식",
    "群馬県": "군마현",
    "ニカラグア": "니카라과",
    "甘楽町はホストタウンに登録しました。": "간라마치는 호스트타운으로 등록했습니다.",
    "交流は[外務省のページ](https://www.mofa.go.jp/a?x=1&y=2)で紹介されています。":
        "교류는 [외무성 페이지](https://www.mofa.go.jp/a?x=1&y=2)에서 소개되고 있습니다.",
    "スポーツを通じた交流": "스포츠를 통한 교류",
    "空手大会が開かれました。": "가라테 대회가 열렸습니다.",
    "消防車が**寄贈**されました。": "소방차가 **기증**되었습니다.",
    "詳しくは`kanra`と[町のサイト](https://www.town.kanra.lg.jp/)をご覧ください。":
        "자세한 내용은 `kanra`와 [마을 사이트](https://www.town.kanra.lg.jp/)를 참조하십시오.",
}

EN = {
    "甘楽町とニカラグアの交流": "Kanra Town and Nicaragua",
    "東京2020大会をきっかけに交流が始まりました。": "The exchange began with the Tokyo 2020 Games.",
    "町民による靴の寄贈式": "A shoe donation ceremony by residents",
    "群馬県": "Gunma Prefecture",
    "ニカラグア": "Nicaragua",
    "甘楽町はホストタウンに登録しました。": "Kanra registered as a host town.",
    "交流は[外務省のページ](https://www.mofa.go.jp/a?x=1&y=2)で紹介されています。":
        "The exchange is described on [the Ministry's page](https://www.mofa.go.jp/a?x=1&y=2).",
    "スポーツを通じた交流": "Exchange through sports",
    "空手大会が開かれました。": "A karate cup was held.",
    "消防車が**寄贈**されました。": "A fire engine was **donated**.",
    "詳しくは`kanra`と[町のサイト](https://www.town.kanra.lg.jp/)をご覧ください。":
        "See `kanra` and [the town's site](https://www.town.kanra.lg.jp/) for details.",
}

NARA = """\
---
title: 奈良県での外交団視察
date: 2025-11-18
---

19か国の大使が奈良県を訪れました。
"""

# everything the round trip must survive
RICH = """\
---
title: 往復の**試験**記事
date: 2026-02-01
summary: 構造を確かめる記事です。リンクは[外務省](https://www.mofa.go.jp/)です。
images:
  - file: images/2026-02/photo.jpg
    caption: 会場の様子。来場者の「笑顔」
tags: [試験, 往復]
---

最初の段落です。*強調*と**太字**があります。詳細は
[大分県公式サイト](https://www.pref.oita.jp/ "大分県")をご覧ください。

## 見出し二

コードは`l10n build`で実行します。数値は３．１４と3.12.1です。

### 見出し三

- 一つ目の項目です。
- 二つ目の項目です。
  - 入れ子の項目です。
  - もう一つの入れ子です。
- 三つ目の項目です。

1. 手順一です。
2. 手順二です。[リンク](https://example.com/a?b=c&d=e)を開きます。
3. 手順三です。

3) 三から始まる番号です。
4) 次の番号です。

- ゆるい項目の一段落目です。

  ゆるい項目の二段落目です。
- ゆるい項目の二つ目です。

> 引用の一段落目です。二文目です。
>
> 引用の二段落目です。
>
> 1. 引用内の番号付き項目です。
> 2. 引用内の二つ目です。

> 別の引用です。参照リンクは[外務省][mofa]です。

![地図の画像](images/2026-02/map.png)の説明です。

```python
print("こんにちは")  # 翻訳しない
```

最後の段落です！本当ですか？

[mofa]: https://www.mofa.go.jp/mofaj/ "外務省"
"""


# --------------------------------------------------------------------------- helpers
def make_project(tmp_path, cli, articles: dict[str, str], config_edit=None) -> Path:
    root = tmp_path / "news"
    init_project(root)
    for aid, text in articles.items():
        p = root / "content" / f"{aid}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    if config_edit:
        cfg = root / "l10n.yaml"
        cfg.write_text(config_edit(cfg.read_text("utf-8")), "utf-8")
    r = cli("-C", str(root), "sync", "--no-mt")
    assert r.code == 0, r.err
    return root


def translate(root: Path, aid: str, lang: str, table, approve: bool = True) -> po.Catalog:
    """Fill every msgstr (table: dict or function of msgid) and approve, at a fixed time."""
    path = root / "locales" / lang / f"{aid}.po"
    cat = po.read(path)
    for e in cat.active():
        e.msgstr = table(e.msgid) if callable(table) else table[e.msgid]
        if approve:
            review.approve(e, "Rev", when="2026-02-03T09:00:00Z")
        else:
            review.set_translation(e, e.msgstr, "Tr", when="2026-02-03T08:00:00Z")
    path.write_bytes(po.serialize(cat))
    return cat


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def front_matter(text: str) -> tuple[dict, str]:
    fm, body, _ = split_front_matter(text, Path("built.md"))
    return yaml.safe_load(fm), body


def hrefs(markdown: str) -> list[str]:
    out = []
    for t in MD.parse(markdown):
        for c in t.children or []:
            if c.type == "link_open":
                out.append(c.attrGet("href"))
    return out


class BalancedHTML(HTMLParser):
    """Checks that every element is closed in order; collects links, images and text."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.starts: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def attrs(self, tag: str, name: str) -> list[str]:
        return [a[name] for t, a in self.starts if t == tag and name in a]


def parse_html(path: Path) -> BalancedHTML:
    p = BalancedHTML()
    p.feed(path.read_text("utf-8"))
    p.close()
    assert p.errors == [], p.errors
    assert p.stack == [], f"unclosed: {p.stack}"
    assert p.doctype and p.doctype.lower() == "doctype html"
    return p


@pytest.fixture
def kanra(tmp_path, cli) -> Path:
    """Two articles; kanra fully approved in ko, nara untranslated everywhere."""
    root = make_project(tmp_path, cli, {"2026-02/kanra": KANRA, "2025-11/nara": NARA})
    translate(root, "2026-02/kanra", "ko", KO)
    return root


# --------------------------------------------------------------------------- 1. complete
def test_complete_article_is_published_and_incomplete_ones_are_reported(kanra, tmp_path, cli):
    out = tmp_path / "out"
    r = cli("-C", str(kanra), "build", "--out", str(out))
    assert r.code == 1  # nara and the en/es editions are incomplete
    assert "built 2026-02/kanra [ko]" in r.out
    report = r.out + r.err
    assert "2025-11/nara [ko]: 2 of 2 entries not approved (2 untranslated)" in report
    assert "2026-02/kanra [en]: 11 of 11 entries not approved (11 untranslated)" in report

    md_path = out / "ko/2026-02/kanra.md"
    assert md_path.is_file() and (out / "ko/2026-02/kanra.html").is_file()
    assert not (out / "ko/2025-11").exists()
    assert not (out / "en/2026-02").exists() and not (out / "es/2026-02").exists()

    md = md_path.read_text("utf-8")
    meta, body = front_matter(md)
    src = kanra / "content/2026-02/kanra.md"
    assert meta == {
        "title": KO["甘楽町とニカラグアの交流"],
        "date": dt.date(2026, 2, 1),
        "date_display": "2026년 2월 1일",
        "summary": KO["東京2020大会をきっかけに交流が始まりました。"],
        "images": [{"file": "images/2026-02/kanra-shoes.jpg", "caption": KO["町民による靴の寄贈式"]}],
        "tags": ["군마현", "니카라과"],
        "lang": "ko",
        "source": {"path": "content/2026-02/kanra.md",
                   "sha256": hashlib.sha256(src.read_bytes()).hexdigest()},
    }
    # every approved msgstr, in document order, and no Japanese left in the body
    pos = -1
    for ja, ko in KO.items():
        found = md.find(ko, pos + 1)
        assert found > pos, f"{ko!r} missing or out of order"
        pos = found
    assert not re.search(r"[\u3040-\u30ff]", body)
    # sentences of one block join with one space; the block structure is the source's
    assert (f"{KO['甘楽町はホストタウンに登録しました。']} "
            f"{KO['交流は[外務省のページ](https://www.mofa.go.jp/a?x=1&y=2)で紹介されています。']}\n") in body
    assert "\n## 스포츠를 통한 교류\n\n- 가라테 대회가 열렸습니다.\n- 소방차가 **기증**되었습니다.\n" in body
    # the same links
    assert hrefs(body) == hrefs(split_front_matter(KANRA, src)[1]) == [
        "https://www.mofa.go.jp/a?x=1&y=2", "https://www.town.kanra.lg.jp/"]

    page = (out / "ko/2026-02/kanra.html").read_text("utf-8")
    assert '<html lang="ko">' in page
    assert "2026년 2월 1일" in page
    assert "<h1>간라마치와 니카라과의 교류</h1>" in page
    assert "<strong>기증</strong>" in page and "<code>kanra</code>" in page
    assert ('<figure><img src="../../images/2026-02/kanra-shoes.jpg" alt="주민들의 신발 기증식">'
            "<figcaption>주민들의 신발 기증식</figcaption></figure>") in page


def test_dates_and_language_names_follow_each_language(kanra, tmp_path, cli):
    translate(kanra, "2026-02/kanra", "en", EN)
    translate(kanra, "2026-02/kanra", "es", lambda m: EN[m])  # any approved text will do
    out = tmp_path / "out"
    assert cli("-C", str(kanra), "build", "--out", str(out), "--partial").code == 0
    assert "February 1, 2026" in (out / "en/2026-02/kanra.html").read_text("utf-8")
    assert "1 de febrero de 2026" in (out / "es/2026-02/kanra.html").read_text("utf-8")
    for lang, name in (("ko", "한국어"), ("en", "English"), ("es", "español")):
        index = (out / lang / "index.html").read_text("utf-8")
        assert f'<html lang="{lang}">' in index and name in index


# --------------------------------------------------------------------------- 2. reproducible
def test_rebuild_gives_identical_bytes_and_rewrites_nothing(kanra, tmp_path, cli):
    translate(kanra, "2026-02/kanra", "en", EN)
    out = tmp_path / "out"
    assert cli("-C", str(kanra), "build", "--out", str(out), "--partial").code == 0
    first = tree(out)
    stats = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}

    r = cli("-C", str(kanra), "build", "--out", str(out), "--partial")
    assert r.code == 0 and "0 files written" in r.out
    assert tree(out) == first
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()} == stats

    # elsewhere, from another working directory: the same bytes, no paths of this machine
    other = tmp_path / "elsewhere" / "site"
    other.parent.mkdir()  # --out may be created, its parent must exist
    assert cli("-C", str(kanra), "build", "--out", str(other), "--partial").code == 0
    assert tree(other) == first
    for name, data in first.items():
        assert str(tmp_path).encode() not in data, name
        assert b"2026-02-03T" not in data, name  # no review times either


# --------------------------------------------------------------------------- 3. HTML
def test_html_is_well_formed_with_links_alternates_and_an_index_per_language(kanra, tmp_path, cli):
    translate(kanra, "2026-02/kanra", "en", EN)
    out = tmp_path / "out"
    assert cli("-C", str(kanra), "build", "--out", str(out), "--partial").code == 0

    ko = parse_html(out / "ko/2026-02/kanra.html")
    source_links = hrefs(split_front_matter(KANRA, Path("x"))[1])
    assert [h for h in ko.attrs("a", "href") if h.startswith("http")] == source_links
    # hreflang: the other edition that was built, and not the one that was not
    assert ko.attrs("link", "hreflang") == ["en", "ko"]
    assert "../../en/2026-02/kanra.html" in ko.attrs("a", "href")
    assert not any("/es/" in h for h in ko.attrs("a", "href") + ko.attrs("link", "href"))
    assert "../index.html" in ko.attrs("a", "href")
    en = parse_html(out / "en/2026-02/kanra.html")
    assert "../../ko/2026-02/kanra.html" in en.attrs("a", "href")

    for lang in ("en", "ko", "es"):
        index = parse_html(out / lang / "index.html")
        links = index.attrs("a", "href")
        assert ("2026-02/kanra.html" in links) == (lang in ("en", "ko"))
        assert "2025-11/nara.html" not in links
    ko_index = parse_html(out / "ko/index.html")
    text = "".join(ko_index.text)
    assert "한국어" in text and "2026년 2월" in text and "2026년 2월 1일" in text
    assert "간라마치와 니카라과의 교류" in text


def test_markup_in_translations_is_escaped(kanra, tmp_path, cli):
    evil = dict(KO)
    evil["町民による靴の寄贈式"] = 'A <script>alert("x")</script> & "B"'
    evil["甘楽町とニカラグアの交流"] = "간라 <b onclick=x>&</b>"
    evil["空手大会が開かれました。"] = "<img src=x onerror=alert(1)>"
    translate(kanra, "2026-02/kanra", "ko", evil)
    out = tmp_path / "out"
    cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko", "--partial")
    page = parse_html(out / "ko/2026-02/kanra.html")
    tags = [t for t, _ in page.starts]
    assert "script" not in tags and "b" not in tags
    assert page.attrs("img", "src") == ["../../images/2026-02/kanra-shoes.jpg"]
    text = "".join(page.text)
    assert 'A <script>alert("x")</script> & "B"' in text
    assert "<img src=x onerror=alert(1)>" in text
    index = parse_html(out / "ko/index.html")
    assert "b" not in [t for t, _ in index.starts]


def test_a_translation_that_looks_like_block_markup_keeps_the_structure(kanra, tmp_path, cli):
    tricky = dict(KO)
    tricky["甘楽町はホストタウンに登録しました。"] = "- 목록이 아닙니다."
    tricky["空手大会が開かれました。"] = "# 제목이 아닙니다"
    tricky["スポーツを通じた交流"] = "스포츠 #"
    tricky["消防車が**寄贈**されました。"] = "2. 번호가 아닙니다"
    translate(kanra, "2026-02/kanra", "ko", tricky)
    out = tmp_path / "out"
    r = cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko", "--partial")
    assert "built 2026-02/kanra [ko]" in r.out
    page = parse_html(out / "ko/2026-02/kanra.html")
    assert [t for t, a in page.starts if a.get("class") != "tags"].count("ul") == 1
    assert "h1" in [t for t, _ in page.starts] and [t for t, _ in page.starts].count("h1") == 1
    assert "ol" not in [t for t, _ in page.starts]
    text = "".join(page.text)
    for s in ("- 목록이 아닙니다.", "# 제목이 아닙니다", "스포츠 #", "2. 번호가 아닙니다"):
        assert s in text


# --------------------------------------------------------------------------- 4. void approval
def test_void_approval_blocks_publishing_and_keeps_the_last_good_edition(kanra, tmp_path, cli):
    out = tmp_path / "out"
    assert cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko", "--partial").code == 0
    page = out / "ko/2026-02/kanra.html"
    published = {p: (out / p).read_bytes() for p in ("ko/2026-02/kanra.html", "ko/2026-02/kanra.md")}
    (out / "ko/style.css").write_text("body{}")  # not the build's: must survive

    # edit a translation in the file, as any editor would: its approval is now void
    po_path = kanra / "locales/ko/2026-02/kanra.po"
    data = po_path.read_text("utf-8")
    assert data.count("가라테 대회가 열렸습니다.") == 1
    po_path.write_text(data.replace("가라테 대회가 열렸습니다.", "가라테 컵이 열렸습니다."), "utf-8")

    for partial in ((), ("--partial",)):
        r = cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko", *partial)
        assert r.code == (0 if partial else 1)
        report = r.out + r.err
        assert ("stale: 2026-02/kanra [ko]: 1 of 11 entries not approved (1 translated, "
                "1 with a void approval (changed after review))") in report
        assert "body: '空手大会が開かれました。' (translated, approval void" in report
        # the last good edition stays published, byte for byte, and listed in the index
        assert {p: (out / p).read_bytes() for p in published} == published
        assert "간라마치와 니카라과의 교류" in (out / "ko/index.html").read_text("utf-8")
        assert "0 removed" in r.out and "1 stale" in r.out
    data = json.loads(cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko",
                          "--json").out)
    assert data["stale"] == [{"article": "2026-02/kanra", "lang": "ko", "problem": data["stale"][0]["problem"],
                              "entries": [{"msgctxt": "body", "msgid": "空手大会が開かれました。",
                                           "state": "translated, approval void (changed after review)"}]}]

    # --prune takes it down, and only it
    r = cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko", "--prune")
    assert r.code == 1
    assert not page.exists() and not (out / "ko/2026-02/kanra.md").exists()
    assert not (out / "ko/2026-02").exists()  # its empty folder too
    assert (out / "ko/style.css").read_text() == "body{}"
    assert "kanra" not in (out / "ko/index.html").read_text("utf-8")
    assert "removed ko/2026-02/kanra.html" in r.out

    # approving again publishes again
    assert cli("-C", str(kanra), "approve", "2026-02/kanra", "--lang", "ko", "--all",
               "--as", "Rev", "--override", "test").code == 0
    assert cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko").code == 1  # nara
    assert "가라테 컵이 열렸습니다." in (out / "ko/2026-02/kanra.md").read_text("utf-8")


def test_a_changed_source_makes_the_edition_stale(kanra, tmp_path, cli):
    out = tmp_path / "out"
    cli("-C", str(kanra), "build", "--out", str(out), "--partial")
    before = (out / "ko/2026-02/kanra.md").read_bytes()
    src = kanra / "content/2026-02/kanra.md"
    src.write_text(src.read_text("utf-8").replace("ご覧ください。", "ご覧ください。新しい文です。"),
                   "utf-8")
    # before sync: the catalog lacks the new sentence; the published edition is kept
    r = cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko")
    assert r.code == 1 and "not in the catalog (run l10n sync)" in r.err
    assert "stale: 2026-02/kanra [ko]" in r.err and "'新しい文です。' (not in the catalog)" in r.err
    assert (out / "ko/2026-02/kanra.md").read_bytes() == before
    assert cli("-C", str(kanra), "sync", "--no-mt").code == 0
    r = cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko")
    assert "2026-02/kanra [ko]: 1 of 12 entries not approved (1 untranslated)" in r.err
    assert (out / "ko/2026-02/kanra.md").read_bytes() == before


def test_an_article_removed_from_content_loses_its_outputs(kanra, tmp_path, cli):
    out = tmp_path / "out"
    cli("-C", str(kanra), "build", "--out", str(out), "--partial")
    (kanra / "content/2026-02/kanra.md").unlink()
    cli("-C", str(kanra), "build", "--out", str(out), "--partial")
    assert not (out / "ko/2026-02").exists()
    assert (out / "ko/index.html").is_file()


# --------------------------------------------------------------------------- 5. round trip
def _blocks(markdown: str) -> list[tuple]:
    return [(t.type, t.tag, t.nesting, t.level, t.hidden, t.markup, t.info, t.attrGet("start"))
            for t in MD.parse(markdown) if t.type != "inline"]


def _inlines(markdown: str) -> list:
    return [t for t in MD.parse(markdown) if t.type == "inline"]


def _markup(inline) -> list[tuple]:
    return [(c.type, c.attrs, c.content if c.type == "code_inline" else None)
            for c in inline.children if c.type not in ("text", "softbreak")]


def test_round_trip_with_the_source_as_translation_gives_back_its_structure(tmp_path, cli):
    root = make_project(tmp_path, cli, {"2026-02/rich": RICH})
    translate(root, "2026-02/rich", "es", lambda m: m)
    out = tmp_path / "out"
    r = cli("-C", str(root), "build", "--out", str(out), "--lang", "es")
    assert r.code == 0, r.out + r.err
    built = (out / "es/2026-02/rich.md").read_text("utf-8")
    meta, body = front_matter(built)
    src_path = root / "content/2026-02/rich.md"
    src_meta, src_body = front_matter(RICH)
    article = parse_article(src_path, "2026-02/rich")

    # the block structure: types, nesting, heading levels, list types and numbers, tightness
    assert _blocks(body) == _blocks(src_body)
    kinds = {b[0] for b in _blocks(body)}
    assert {"heading_open", "bullet_list_open", "ordered_list_open", "blockquote_open",
            "fence"} <= kinds

    # inline content: the same except that sentences join with one space
    body_blocks = [b for b in article.blocks if b.kind not in ("title", "summary", "caption", "tag")
                   and b.kind != "verbatim"]
    built_inlines, src_inlines = _inlines(body), _inlines(src_body)
    assert len(built_inlines) == len(src_inlines) == len(body_blocks)
    for got, want, block in zip(built_inlines, src_inlines, body_blocks):
        assert got.content == " ".join(block.segments)
        assert got.content.replace(" ", "") == want.content.replace("\n", "").replace(" ", "")
        assert _markup(got) == _markup(want)
    fences = [t.content for t in MD.parse(body) if t.type == "fence"]
    assert fences == ['print("こんにちは")  # 翻訳しない\n']
    # the reference-style link still resolves
    assert "https://www.mofa.go.jp/mofaj/" in hrefs(body)

    # the front matter: the same, plus lang and source
    assert meta.pop("lang") == "es" and meta.pop("source")["path"] == "content/2026-02/rich.md"
    joined = {k: " ".join(b.segments) for k, b in (("title", article.blocks[0]),
                                                   ("summary", article.blocks[1]))}
    assert meta["title"] == joined["title"] and meta["summary"] == joined["summary"]
    assert meta["images"] == [{"file": "images/2026-02/photo.jpg",
                               "caption": "会場の様子。 来場者の「笑顔」"}]
    assert meta["date"] == src_meta["date"] and meta["tags"] == src_meta["tags"]  # es = ja here
    assert meta["date_display"] == "1 de febrero de 2026"

    page = parse_html(out / "es/2026-02/rich.html")
    assert "1 de febrero de 2026" in "".join(page.text)
    assert "../../images/2026-02/map.png" in page.attrs("img", "src")


# --------------------------------------------------------------------------- .mo
def test_mo_files_when_configured_are_readable_by_gnu_gettext(tmp_path, cli):
    root = make_project(tmp_path, cli, {"2026-02/kanra": KANRA},
                        lambda t: t.replace("mo: false", "mo: true"))
    translate(root, "2026-02/kanra", "ko", KO)
    out = tmp_path / "out"
    assert cli("-C", str(root), "build", "--out", str(out), "--lang", "ko").code == 0
    mo = out / "ko/2026-02/kanra.mo"
    with mo.open("rb") as f:
        t = gettext.GNUTranslations(f)
    assert t.info()["language"] == "ko"
    assert "plural-forms" in t.info()
    assert t.pgettext("title", "甘楽町とニカラグアの交流") == KO["甘楽町とニカラグアの交流"]
    assert t.pgettext("body", "空手大会が開かれました。") == KO["空手大会が開かれました。"]
    assert t.pgettext("caption", "町民による靴の寄贈式") == KO["町民による靴の寄贈式"]

    if shutil.which("msgunfmt") and shutil.which("msgfmt"):
        ours = subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True)
        ref_mo = tmp_path / "ref.mo"
        subprocess.run(["msgfmt", "-o", str(ref_mo), str(root / "locales/ko/2026-02/kanra.po")],
                       check=True)
        theirs = subprocess.run(["msgunfmt", str(ref_mo)], capture_output=True, text=True,
                                check=True)
        assert ours.stdout == theirs.stdout
        entries = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(ours.stdout)}
        assert len(entries) == len(KO) and all(entries[k] == KO[k[1]] for k in entries)

    # a rebuild gives the same bytes; without the setting, the .mo is removed
    data = mo.read_bytes()
    cli("-C", str(root), "build", "--out", str(out), "--lang", "ko")
    assert mo.read_bytes() == data
    cfg = root / "l10n.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("mo: true", "mo: false"), "utf-8")
    cli("-C", str(root), "build", "--out", str(out), "--lang", "ko")
    assert not mo.exists() and (out / "ko/2026-02/kanra.html").is_file()


def test_mo_holds_only_publishable_entries(tmp_path, cli):
    root = make_project(tmp_path, cli, {"2026-02/kanra": KANRA},
                        lambda t: t.replace("mo: false", "mo: true").replace(
                            "policy: approved", "policy: translated"))
    cat = translate(root, "2026-02/kanra", "ko", KO, approve=False)  # translated, not approved
    cat.entries.append(po.Entry("古い文。", "옛 문장.", "body", obsolete=True))
    (root / "locales/ko/2026-02/kanra.po").write_bytes(po.serialize(cat))
    out = tmp_path / "out"
    # policy translated: a translated entry is enough
    assert cli("-C", str(root), "build", "--out", str(out), "--lang", "ko").code == 0
    with (out / "ko/2026-02/kanra.mo").open("rb") as f:
        t = gettext.GNUTranslations(f)
    assert t.pgettext("body", "空手大会が開かれました。") == KO["空手大会が開かれました。"]
    assert t.pgettext("body", "古い文。") == "古い文。"  # obsolete: not compiled


# --------------------------------------------------------------------------- options
def test_partial_exits_zero_and_lang_restricts_languages(kanra, tmp_path, cli):
    out = tmp_path / "out"
    r = cli("-C", str(kanra), "build", "--out", str(out), "--lang", "ko", "--partial")
    assert r.code == 0
    assert "2025-11/nara [ko]" in r.out and "[en]" not in r.out + r.err
    assert sorted(p.name for p in out.iterdir()) == [".l10n-build.json", "ko"]
    r = cli("-C", str(kanra), "build", "--out", str(out), "--lang", "fr")
    assert r.code == 2 and "'fr' is not a target language" in r.err


def test_policy_and_output_folder_come_from_the_configuration(kanra, cli):
    cfg = kanra / "l10n.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("out: build", "out: public"), "utf-8")
    translate(kanra, "2026-02/kanra", "en", EN, approve=False)
    r = cli("-C", str(kanra), "build", "--partial")
    assert r.code == 0
    assert (kanra / "public/ko/2026-02/kanra.html").is_file()
    assert not (kanra / "public/en/2026-02/kanra.html").exists()  # translated, not approved
    assert "2026-02/kanra [en]: 11 of 11 entries not approved (11 translated)" in r.out
    cfg.write_text(cfg.read_text("utf-8").replace("policy: approved", "policy: translated"), "utf-8")
    assert cli("-C", str(kanra), "build", "--partial").code == 0
    assert (kanra / "public/en/2026-02/kanra.html").is_file()


def test_build_refuses_to_write_into_the_sources(kanra, cli):
    for target in ("content", "locales", "."):
        r = cli("-C", str(kanra), "build", "--out", str(kanra / target))
        assert r.code == 2, target
    assert not (kanra / "content/ko").exists() and not (kanra / "ko").exists()


def test_build_on_the_sample_newsletter(sample, tmp_path, cli):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    aid = "2026-02/oita-bay-area"
    translate(sample, aid, "ko", lambda m: m)
    out = tmp_path / "out"
    r = cli("-C", str(sample), "build", "--out", str(out), "--json", "--partial")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["built"] == [{"article": aid, "lang": "ko"}]
    assert len(data["skipped"]) == 5 * 3 - 1
    src_body = split_front_matter((sample / f"content/{aid}.md").read_text("utf-8"), Path("x"))[1]
    built = front_matter((out / f"ko/{aid}.md").read_text("utf-8"))[1]
    assert _blocks(built) == _blocks(src_body)
    parse_html(out / f"ko/{aid}.html")
