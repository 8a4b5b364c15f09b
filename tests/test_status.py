"""`l10n status --json`: the brief's shape, and counts that match the catalogs."""
from __future__ import annotations

import json

from l10n import catalog as po
from l10n import review
from l10n.catalog import Catalog, Entry, make_headers
from l10n.init import init_project


def build_project(tmp_path):
    root = tmp_path / "p"
    init_project(root)
    (root / "content/2026-03").mkdir(parents=True)
    (root / "content/2026-03/a.md").write_text(
        "---\ntitle: 題名\ndate: 2026-03-01\n---\n\n一つ目。二つ目。三つ目。四つ目。\n", "utf-8")
    return root


def test_status_json_shape_and_counts(tmp_path, cli):
    root = build_project(tmp_path)
    assert cli("-C", str(root), "sync", "--no-mt").code == 0
    # build the ko catalog by hand: one of each state, plus a void approval
    path = root / "locales/ko/2026-03/a.po"
    cat = Catalog(headers=make_headers("ko"))
    title = Entry("題名", "", "title")  # untranslated
    e1 = Entry("一つ目。", "첫째.", "body", flags=["fuzzy"])  # draft
    e2 = Entry("二つ目。", "둘째.", "body")  # translated
    e3 = Entry("三つ目。", "셋째.", "body")
    review.approve(e3, "Rev")  # approved
    e4 = Entry("四つ目。", "넷째.", "body")
    review.approve(e4, "Rev")
    e4.msgstr = "넷째!"  # approval void -> translated
    cat.entries = [title, e1, e2, e3, e4, Entry("古い。", "옛.", "body", obsolete=True)]
    path.write_bytes(po.serialize(cat))

    r = cli("-C", str(root), "status", "--json")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["languages"] == ["en", "ko", "es"]
    [art] = data["articles"]
    assert art["id"] == "2026-03/a"
    assert art["path"] == "content/2026-03/a.md"
    ko = art["languages"]["ko"]
    assert {k: ko[k] for k in ("entries", "untranslated", "draft", "translated", "approved")} == \
        {"entries": 5, "untranslated": 1, "draft": 1, "translated": 2, "approved": 1}
    assert ko["source_chars"] == len("題名一つ目。二つ目。三つ目。四つ目。")
    en = art["languages"]["en"]
    assert en["entries"] == en["untranslated"] == 5
    for lang in ("en", "ko", "es"):
        assert set(data["total"][lang]) >= {"entries", "untranslated", "draft", "translated",
                                            "approved", "source_chars"}
    assert data["total"]["ko"]["approved"] == 1

    # the cache never hides a change: edit the file and ask again
    cat.entries[2].msgstr = ""
    path.write_bytes(po.serialize(cat))
    ko = json.loads(cli("-C", str(root), "status", "--json").out)["articles"][0]["languages"]["ko"]
    assert ko["untranslated"] == 2 and ko["translated"] == 1


def test_status_text_and_lang_filter(tmp_path, cli):
    root = build_project(tmp_path)
    cli("-C", str(root), "sync", "--no-mt")
    r = cli("-C", str(root), "status", "--lang", "es")
    assert r.code == 0
    assert "2026-03/a" in r.out and "es" in r.out and "ko" not in r.out.split("\n")[0]
    data = json.loads(cli("-C", str(root), "status", "--json", "--lang", "es").out)
    assert data["languages"] == ["es"] and list(data["total"]) == ["es"]


def test_status_from_a_subdirectory_walks_up(tmp_path, cli, monkeypatch):
    root = build_project(tmp_path)
    cli("-C", str(root), "sync", "--no-mt")
    monkeypatch.chdir(root / "content/2026-03")
    r = cli("status", "--json")
    assert r.code == 0 and json.loads(r.out)["articles"][0]["id"] == "2026-03/a"
