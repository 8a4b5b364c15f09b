"""`l10n build` attacked: it removes only what it wrote, never writes through links, keeps
the last good edition, and never publishes raw HTML or script links in Markdown (issues 13
and 16)."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from l10n import catalog as po
from l10n import review
from tests.test_publishing import EN, KANRA, KO, NARA, make_project, translate

MANIFEST = ".l10n-build.json"


@pytest.fixture
def kanra(tmp_path, cli) -> Path:
    root = make_project(tmp_path, cli, {"2026-02/kanra": KANRA, "2025-11/nara": NARA})
    translate(root, "2026-02/kanra", "ko", KO)
    return root


def build(cli, root: Path, out: Path, *extra: str):
    return cli("-C", str(root), "build", "--out", str(out), "--partial", *extra)


def void_one_approval(root: Path, lang: str = "ko") -> None:
    """Edit one approved translation in the file, as any text editor would."""
    path = root / f"locales/{lang}/2026-02/kanra.po"
    old = KO["空手大会が開かれました。"] if lang == "ko" else EN["空手大会が開かれました。"]
    data = path.read_text("utf-8")
    assert data.count(old) == 1
    path.write_text(data.replace(old, old.replace(".", "!")), "utf-8")


# ---------------------------------------------------------------- removes only what it wrote
def test_a_file_merely_named_like_an_article_page_is_never_removed(kanra, tmp_path, cli):
    out = tmp_path / "out"
    mine = {"ko/2025-11/nara.html": b"<p>my own page</p>", "ko/2025-11/nara.md": b"# mine",
            "en/2026-02/kanra.html": b"hand-written"}
    for rel, data in mine.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    r = build(cli, kanra, out)
    assert r.code == 0
    assert (out / "ko/2026-02/kanra.html").is_file()
    for rel, data in mine.items():  # nara and kanra[en] are incomplete: still never removed
        assert (out / rel).read_bytes() == data, rel
    assert "removed" not in r.out.replace("0 removed", "")


def test_a_planted_manifest_cannot_remove_anything_outside_out_or_not_written(kanra, tmp_path, cli):
    out = tmp_path / "site" / "out"
    out.mkdir(parents=True)
    victims = {tmp_path / "site" / "precious.md": b"precious", tmp_path / "ko.html": b"x",
               out / "ko" / "2026-02" / "notes.md": b"notes"}
    for p, data in victims.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    link_target = tmp_path / "elsewhere"
    (link_target / "2026-02").mkdir(parents=True)
    (link_target / "2026-02" / "x.md").write_bytes(b"outside")
    (out / "es").symlink_to(link_target, target_is_directory=True)
    digest = hashlib.sha256(b"precious").hexdigest()
    planted = {
        "version": 2, "generator": "l10n build",
        "files": {"ko/../../precious.md": digest, "../precious.md": digest,
                  str(tmp_path / "ko.html"): hashlib.sha256(b"x").hexdigest(),
                  "ko/2026-02/notes.md": "0" * 64,  # listed, but not what the build wrote
                  "es/2026-02/x.md": hashlib.sha256(b"outside").hexdigest()},
    }
    (out / MANIFEST).write_text(json.dumps(planted))
    r = cli("-C", str(kanra), "build", "--out", str(out), "--partial", "--lang", "ko")
    assert r.code == 0, r.err
    for p, data in victims.items():
        assert p.read_bytes() == data, p
    assert (link_target / "2026-02" / "x.md").read_bytes() == b"outside"
    manifest = json.loads((out / MANIFEST).read_text())
    assert all(not k.startswith(("/", "..")) and "/../" not in k for k in manifest["files"])
    # v1-style list manifests (no hashes) are no door either
    (out / MANIFEST).write_text(json.dumps({"version": 1, "files": {
        "ko": ["ko/../../precious.md", "../precious.md", str(tmp_path / "ko.html"),
               "ko/2026-02/notes.md"]}}))
    assert cli("-C", str(kanra), "build", "--out", str(out), "--partial", "--lang", "ko").code == 0
    for p, data in victims.items():
        assert p.read_bytes() == data, p


def test_a_page_changed_since_the_build_wrote_it_is_not_removed(kanra, tmp_path, cli):
    out = tmp_path / "out"
    assert build(cli, kanra, out).code == 0
    page = out / "ko/2026-02/kanra.html"
    page.write_text(page.read_text("utf-8") + "<!-- my analytics -->", "utf-8")
    void_one_approval(kanra)
    r = build(cli, kanra, out, "--prune")
    assert r.code == 0
    assert page.read_text("utf-8").endswith("<!-- my analytics -->")
    assert not (out / "ko/2026-02/kanra.md").exists()  # unchanged: the build's to remove
    assert "left ko/2026-02/kanra.html (changed since the build wrote it" in r.out
    assert "ko/2026-02/kanra.html" not in json.loads((out / MANIFEST).read_text())["files"]


def test_a_symlinked_folder_in_the_output_never_makes_build_write_outside(kanra, tmp_path, cli):
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    (out / "ko").symlink_to(outside, target_is_directory=True)
    r = build(cli, kanra, out)
    assert r.code == 2
    assert "symbolic link" in r.err and str(out / "ko") in r.err
    assert list(outside.iterdir()) == []
    assert not (out / MANIFEST).exists() and not (out / "en").exists()  # nothing written at all

    # deeper: a link for the issue folder
    (out / "ko").unlink()
    (out / "ko").mkdir()
    (out / "ko" / "2026-02").symlink_to(outside, target_is_directory=True)
    assert build(cli, kanra, out).code == 2
    assert list(outside.iterdir()) == []
    # a link in place of a page
    (out / "ko" / "2026-02").unlink()
    (out / "ko" / "2026-02").mkdir()
    target = outside / "victim.html"
    target.write_text("victim")
    (out / "ko" / "2026-02" / "kanra.html").symlink_to(target)
    assert build(cli, kanra, out).code == 2
    assert target.read_text() == "victim"


def test_a_symlinked_manifest_is_refused(kanra, tmp_path, cli):
    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path / "secret.json"
    secret.write_text("{}")
    (out / MANIFEST).symlink_to(secret)
    r = build(cli, kanra, out)
    assert r.code == 2 and "symbolic link" in r.err
    assert secret.read_text() == "{}"


# ---------------------------------------------------------------- the last good edition
def test_editing_one_approved_entry_keeps_the_published_page(kanra, tmp_path, cli):
    """Issue 16: after one approved English entry is edited, `build --partial` kept removing
    the published page until the whole article was approved again."""
    translate(kanra, "2026-02/kanra", "en", EN)
    out = tmp_path / "out"
    assert build(cli, kanra, out).code == 0
    en = {p: (out / p).read_bytes() for p in ("en/2026-02/kanra.html", "en/2026-02/kanra.md")}
    void_one_approval(kanra, "en")
    r = build(cli, kanra, out)
    assert r.code == 0
    assert {p: (out / p).read_bytes() for p in en} == en
    assert "stale: 2026-02/kanra [en]" in r.out
    # still listed in its index, and still an alternate of the other editions
    assert "2026-02/kanra.html" in (out / "en/index.html").read_text("utf-8")
    assert "../../en/2026-02/kanra.html" in (out / "ko/2026-02/kanra.html").read_text("utf-8")
    data = json.loads(cli("-C", str(kanra), "build", "--out", str(out), "--partial", "--json").out)
    assert [(s["article"], s["lang"]) for s in data["stale"]] == [("2026-02/kanra", "en")]
    assert data["stale"][0]["entries"][0]["msgid"] == "空手大会が開かれました。"
    assert data["removed"] == []

    r = build(cli, kanra, out, "--prune")
    assert r.code == 0 and not (out / "en/2026-02/kanra.html").exists()
    assert "../../en/" not in (out / "ko/2026-02/kanra.html").read_text("utf-8")


# ---------------------------------------------------------------- inert Markdown
PERMISSIVE = MarkdownIt("commonmark", {"html": True})
PERMISSIVE.validateLink = lambda url: True


def _inline(markdown: str):
    def walk(tokens):
        for t in tokens:
            yield t
            yield from walk(t.children or [])
    yield from walk(PERMISSIVE.parse(markdown))


EVIL = {
    "空手大会が開かれました。": 'A karate <script>alert(1)</script> cup<img src=x onerror=alert(2)>.',
    "甘楽町はホストタウンに登録しました。": "Kanra [registered](javascript:alert(3)) as a host town.",
    "消防車が**寄贈**されました。": "A **fire** engine [x](JaVa&#83;cript:alert(4)) <!-- c --> "
                                     "![img](data:text/html;base64,PHNjcmlwdD4=).",
    "町民による靴の寄贈式": "<b onmouseover=alert(5)>shoes</b> <javascript:alert(6)>",
    "スポーツを通じた交流": "Sports [ok](https://example.com/) [tab](java\tscript:alert(7))",
}


def test_raw_html_and_script_links_approved_with_an_override_never_reach_the_markdown(kanra, tmp_path, cli):
    table = dict(EN, **EVIL)
    translate(kanra, "2026-02/kanra", "en", table)
    out = tmp_path / "out"
    r = build(cli, kanra, out, "--lang", "en")
    assert "built 2026-02/kanra [en]" in r.out, r.out + r.err
    md = (out / "en/2026-02/kanra.md").read_text("utf-8")
    tokens = list(_inline(md))
    assert [t.content for t in tokens if t.type in ("html_inline", "html_block")] == []
    hrefs = [str(t.attrGet("href") or t.attrGet("src")) for t in tokens
             if t.type in ("link_open", "image")]
    assert hrefs == ["https://www.mofa.go.jp/a?x=1&y=2", "https://example.com/",
                     "https://www.town.kanra.lg.jp/"]
    # the words stay, as text
    assert "<script>" in "".join(t.content for t in tokens if t.type == "text")
    assert "registered" in md and "shoes" in md
    front = md.split("---\n")[1]
    assert "<b onmouseover" not in front.replace("\\<b onmouseover", "")
    # the page too
    page = (out / "en/2026-02/kanra.html").read_text("utf-8")
    assert "<script" not in page and "<b " not in page and "onerror=" not in page.replace("&lt;img src=x onerror=", "")
    assert not re.search(r"""(?:href|src)=["']?\s*(?:javascript|data|vbscript)""", page, re.I)


def test_the_sources_own_inline_html_is_kept(tmp_path, cli):
    text = KANRA.replace("甘楽町はホストタウンに登録しました。", "甘楽町は<small>ホストタウン</small>に登録しました。")
    root = make_project(tmp_path, cli, {"2026-02/kanra": text})
    table = dict(EN)
    table["甘楽町は<small>ホストタウン</small>に登録しました。"] = "Kanra is a <small>host town</small> <em>now</em>."
    path = root / "locales/en/2026-02/kanra.po"
    cat = po.read(path)
    for e in cat.active():
        e.msgstr = table[e.msgid]
        review.approve(e, "Rev", when="2026-02-03T09:00:00Z")
    path.write_bytes(po.serialize(cat))
    out = tmp_path / "out"
    assert build(cli, root, out).code == 0
    md = (out / "en/2026-02/kanra.md").read_text("utf-8")
    assert "Kanra is a <small>host town</small> \\<em>now\\</em>." in md



PIECES = ["<", ">", "</", "<b>", "</b>", "<script>", "<!--", "-->", "<?", "<!X", "<![CDATA[",
          "[", "]", "(", ")", "](", "![", "javascript:", "JaVaScRiPt:", "&#106;", "&#x6A;",
          "data:", "vbscript:", "java\tscript:", "\\", "`", "``", " ", "a", "x", "=", '"', "'",
          "&amp;", "&", ":", "/", "https://e.com/", "<https://e.com>", "<javascript:x>", "*", "_"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_inert_leaves_no_raw_html_and_no_dangerous_target(text):
    from l10n.publish_markdown import UnsafeText, dangerous, inert

    try:
        result = inert(text, "出典。")
    except UnsafeText:
        return  # refused: the edition is not published
    for t in _inline(result):
        assert t.type not in ("html_inline", "html_block"), (text, result)
        if t.type in ("link_open", "image"):
            assert not dangerous(str(t.attrGet("href") or t.attrGet("src"))), (text, result)
