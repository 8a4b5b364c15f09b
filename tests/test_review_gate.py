"""The review gate: error findings block approval unless overridden; four eyes; reject;
and the machine-draft statistics of `l10n status`."""
from __future__ import annotations

import json

from l10n import catalog as po
from l10n import review
from l10n.actions import save_translation, set_draft
from l10n.project import Project

ART = "2026-02/nara-diplomats-tour"
SRC = "今回は14か国から、大使とその配偶者・パートナーの計19名が参加しました。"


def setup(sample, cli):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    return Project(sample)


def test_an_error_finding_refuses_approval_and_shows_it(sample, cli):
    p = setup(sample, cli)
    save_translation(p, ART, "en", ("body", SRC),
                     "This time, 18 ambassadors and partners from 14 countries took part.", "Tr")
    r = cli("-C", str(sample), "approve", ART, "--lang", "en", "--msgid", SRC, "--as", "Rev")
    assert r.code == 1
    assert "numbers" in r.err and "19" in r.err and "--override" in r.err
    e = po.read(p.catalog_path("en", ART)).find(SRC)
    assert review.state(e) == review.TRANSLATED


def test_override_with_a_reason_approves_and_records_it(sample, cli):
    p = setup(sample, cli)
    save_translation(p, ART, "en", ("body", SRC),
                     "This time, 18 ambassadors and partners from 14 countries took part.", "Tr")
    r = cli("-C", str(sample), "approve", ART, "--lang", "en", "--msgid", SRC, "--as", "Rev",
            "--override", "one ambassador cancelled; the editor confirmed 18")
    assert r.code == 0, r.err
    e = po.read(p.catalog_path("en", ART)).find(SRC)
    assert review.state(e) == review.APPROVED
    assert review.override(e) == "one ambassador cancelled; the editor confirmed 18"
    text = p.catalog_path("en", ART).read_text("utf-8")
    assert "# l10n: override" in text and "the editor confirmed 18" in text


def test_clean_entry_is_approved_without_override(sample, cli):
    p = setup(sample, cli)
    save_translation(p, ART, "en", ("body", SRC),
                     "This time, 19 people from 14 countries, ambassadors and their spouses or partners, took part.", "Tr")
    r = cli("-C", str(sample), "approve", ART, "--lang", "en", "--msgid", SRC, "--as", "Rev")
    assert r.code == 0, r.err
    e = po.read(p.catalog_path("en", ART)).find(SRC)
    assert review.state(e) == review.APPROVED and review.approval(e).reviewer == "Rev"
    assert review.override(e) is None


def test_four_eyes_rule(sample, cli):
    cfg = sample / "l10n.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("four_eyes: false", "four_eyes: true"), "utf-8")
    p = setup(sample, cli)
    text = "This time, 19 people from 14 countries, ambassadors and their spouses or partners, took part."
    save_translation(p, ART, "en", ("body", SRC), text, "Aiko")
    r = cli("-C", str(sample), "approve", ART, "--lang", "en", "--msgid", SRC, "--as", "Aiko")
    assert r.code == 1 and "four-eyes" in r.err
    assert review.state(po.read(p.catalog_path("en", ART)).find(SRC)) == review.TRANSLATED
    r = cli("-C", str(sample), "approve", ART, "--lang", "en", "--msgid", SRC, "--as", "Ken")
    assert r.code == 0, r.err
    assert review.state(po.read(p.catalog_path("en", ART)).find(SRC)) == review.APPROVED


def test_reject_sends_back_to_draft_with_the_note(sample, cli, monkeypatch):
    p = setup(sample, cli)
    text = "This time, 19 people from 14 countries, ambassadors and their spouses or partners, took part."
    save_translation(p, ART, "es", ("body", SRC), "En esta ocasión participaron 19 personas de 14 países.", "Tr")
    monkeypatch.setenv("L10N_USER", "Revisora")
    r = cli("-C", str(sample), "reject", ART, "--lang", "es", "--msgid", SRC,
            "--note", "Falta mencionar a los embajadores")
    assert r.code == 0, r.err
    e = po.read(p.catalog_path("es", ART)).find(SRC)
    assert review.state(e) == review.DRAFT
    when, who, note = review.rejection(e)
    assert (who, note) == ("Revisora", "Falta mencionar a los embajadores")
    assert e.msgstr.startswith("En esta ocasión")
    r = cli("-C", str(sample), "reject", ART, "--lang", "es", "--msgid", "存在しない文。", "--note", "x")
    assert r.code == 2
    del text


def test_status_counts_machine_drafts_approved_unedited_and_post_edited(sample, cli):
    p = setup(sample, cli)
    cat = po.read(p.catalog_path("ko", ART))
    a, b, c = cat.active()[1:4]
    # two DeepL drafts: one approved as is, one corrected first; one memory match approved
    set_draft(p, ART, "ko", a.key, "외교단 시찰 투어가 열렸습니다.", "deepl")
    set_draft(p, ART, "ko", b.key, "초안.", "deepl")
    save_translation(p, ART, "ko", b.key, "고친 번역입니다.", "Tr")
    set_draft(p, ART, "ko", c.key, "메모리 번역.", "memory", 100)
    for e in (a, b, c):
        r = cli("-C", str(sample), "approve", ART, "--lang", "ko", "--msgid", e.msgid, "--as", "Rev",
                "--override", "test data")
        assert r.code == 0, r.err
    data = json.loads(cli("-C", str(sample), "status", "--json", "--lang", "ko").out)
    ko = data["total"]["ko"]
    assert ko["approved"] == 3
    assert ko["approved_unedited"] == 2 and ko["approved_post_edited"] == 1
    out = cli("-C", str(sample), "status", "--lang", "ko").out
    assert "2 unedited, 1 post-edited" in out
