"""What a reviewer and a translator met in a day's trial of the TUI (tmux, 80x24 to
160x50, on the sample), each driven through Pilot on the demo project (tests/demo.py):
Oita's English catalog has entries 2 and 6 translated, 1 and 16 approved, 4 a draft
under a rejection, 10 a draft whose source changed."""
from __future__ import annotations

import contextlib

import pytest

from l10n import review
from l10n.tui.app import L10nApp
from l10n.tui.modals import ConfirmScreen, NoteScreen
from tests.demo import OITA
from tests.test_tui import USER, entry, goto, open_oita, plain, settle
from tests.test_tui_cosmetic import shown_lines


@contextlib.asynccontextmanager
async def oita(demo, *, size=(100, 30), user: str | None = USER):
    """The app on the demo project with Oita's English catalog open, for one test:
    (app, pilot, screen); no poll (a test that needs one calls screen.poll_disk())."""
    app = L10nApp(demo, user=user, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        yield app, pilot, await open_oita(pilot)


async def _save_anyway(pilot) -> None:
    """ctrl+s, and yes if a dialog asks first (error findings, a changed source)."""
    await pilot.press("ctrl+s")
    await settle(pilot)
    if isinstance(pilot.app.screen, ConfirmScreen):
        await pilot.press("y")
        await settle(pilot)


async def _answer_checks(pilot, reason: str = "checked by hand") -> None:
    """If the checks stop the approval, give a reason."""
    if isinstance(pilot.app.screen, NoteScreen):
        await pilot.press(*reason, "enter")
        await settle(pilot)


@pytest.mark.asyncio
async def test_approving_under_to_review_goes_on_to_the_next_to_review_and_keeps_the_filter(demo):
    async with oita(demo) as (app, pilot, screen):
        await pilot.press("f", "f")
        await settle(pilot)
        assert screen.state_filter == "to review"
        assert [screen.view.index_of(e.key) + 1 for e in screen.shown] == [2, 6]
        assert screen.current().key == entry(demo, "en", 2).key
        await pilot.press("a")
        await settle(pilot)
        await _answer_checks(pilot)
        assert review.state(entry(demo, "en", 2)) == review.APPROVED
        assert screen.state_filter == "to review"  # not cleared for entry 3, a draft
        assert screen.current().key == entry(demo, "en", 6).key
        await pilot.press("a")
        await settle(pilot)
        await _answer_checks(pilot)
        assert screen.state_filter == "to review" and screen.shown == []
        assert "nothing left under to review" in screen.query_one("#status").message


@pytest.mark.asyncio
@pytest.mark.parametrize("n", [2, 16])  # translated, approved
async def test_ctrl_s_on_a_confirmed_entry_that_did_not_change_writes_nothing(demo, n):
    """Saving again only put the saver's name on someone else's translation."""
    path = demo.catalog_path("en", OITA)
    before = path.read_bytes()
    async with oita(demo, user="Someone Else") as (app, pilot, screen):
        await goto(pilot, screen, n)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert path.read_bytes() == before
        said = screen.query_one("#status").message
        assert said.startswith("nothing to save") and "u undoes" not in said
        # and with the editor opened and left as it was
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert path.read_bytes() == before
        assert not screen.session.edit(OITA, "en", entry(demo, "en", n).key)


@pytest.mark.asyncio
async def test_approving_a_draft_still_under_a_rejection_shows_the_note_first(demo):
    path = demo.catalog_path("en", OITA)
    before = path.read_bytes()
    when, who, note = review.rejection(entry(demo, "en", 4))
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 4)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        shown = plain(app.screen.details)
        assert f"Rejected by {who}" in shown and note in shown
        await pilot.press("escape")
        await settle(pilot)
        assert path.read_bytes() == before
        assert screen.query_one("#status").message == "not approved"


@pytest.mark.asyncio
async def test_ctrl_s_on_an_unedited_draft_whose_source_changed_shows_the_change_first(demo):
    path = demo.catalog_path("en", OITA)
    before = path.read_bytes()
    e10 = entry(demo, "en", 10)
    assert e10.previous_msgid and e10.previous_msgid != e10.msgid
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 10)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text.startswith("Source changed")
        assert "The Japanese source changed" in plain(app.screen.details)
        await pilot.press("escape")
        await settle(pilot)
        assert path.read_bytes() == before
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert review.state(entry(demo, "en", 10)) == review.TRANSLATED


@pytest.mark.asyncio
async def test_a_rejection_note_is_read_whole_in_the_side_panel_at_80x24(demo):
    _when, _who, note = review.rejection(entry(demo, "en", 4))
    async with oita(demo, size=(80, 24)) as (app, pilot, screen):
        await goto(pilot, screen, 4)
        await settle(pilot)
        side = " ".join(shown_lines(screen.query_one("#side-text")))
        assert " ".join(note.split()) in " ".join(side.split())


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_dialog_with_many_findings_keeps_its_keys_and_scrolls_to_the_last_one(demo, size):
    """The approve-anyway dialog cut its findings after eight lines, and at 80x24 the
    save-anyway dialog's keys were below the screen."""
    from rich.text import Text

    findings = Text("\n".join(f"error check_{i}: finding number {i}" for i in range(1, 31)))
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for dialog in (ConfirmScreen("30 error findings", findings, "save anyway"),
                       NoteScreen("The checks found errors", "Approve anyway? Give the reason:",
                                  details=findings)):
            app.push_screen(dialog)
            await settle(pilot)
            await pilot.pause()
            shown = screen_text(app)
            keys = "y  save anyway" if isinstance(dialog, ConfirmScreen) else "enter confirms"
            assert keys in shown and "finding number 1 " in shown
            assert "finding number 30" not in shown
            for _ in range(40):
                await pilot.press("down")
            await pilot.pause()
            shown = screen_text(app)
            assert "finding number 30" in shown and keys in shown
            await pilot.press("escape")
            await settle(pilot)


def screen_text(app) -> str:
    """The screen on top (a dialog's own widgets) as text, line by line."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


@pytest.mark.asyncio
@pytest.mark.parametrize("typed, what", [(False, "the confirmed translation"), (True, "your unsaved edit")])
async def test_a_memory_key_asks_before_replacing_typed_text_or_a_translation(demo, typed, what):
    """Entry 6 is translated, and entry 2's translation is a suggestion for it."""
    n = 6
    path = demo.catalog_path("en", OITA)
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, n)
        if typed:
            await pilot.press("enter", *"my own words", "escape")
        await settle(pilot)
        before = path.read_bytes()
        e = entry(demo, "en", n)
        screen.session._suggested.clear()
        sugg = screen.session.suggestions("en", e)
        if not sugg:
            pytest.fail("the demo's memory has no suggestion for this entry")
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and what in app.screen.title_text
        await pilot.press("escape")
        await settle(pilot)
        assert path.read_bytes() == before
        if typed:
            assert screen.session.edit(OITA, "en", e.key).text.endswith("my own words")
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert entry(demo, "en", n).msgstr == sugg[0].target and entry(demo, "en", n).fuzzy


@pytest.mark.asyncio
async def test_the_editors_footer_offers_no_key_that_would_be_typed_as_text(demo):
    async with oita(demo) as (app, pilot, screen):
        bar = screen.query_one("#keys")
        assert "? help" in bar.line_text().plain
        await pilot.press("enter")
        await settle(pilot)
        footer = bar.line_text().plain
        assert "? help" not in footer and "esc" in footer
        await pilot.press("escape")
        await settle(pilot)
        assert "? help" in bar.line_text().plain


@pytest.mark.asyncio
async def test_u_takes_back_the_unsaved_typing_first_never_another_entrys_save(demo):
    """Typing on entry 8, then u: it undid the save of entry 6, out of sight."""
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 6)
        await pilot.press("enter", "end", *" Saved.", "ctrl+s")
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await settle(pilot)
        saved = entry(demo, "en", 6).msgstr
        assert saved.endswith(" Saved.")
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"TYPO", "escape")
        await settle(pilot)
        key8 = entry(demo, "en", 8).key
        assert screen.session.edit(OITA, "en", key8).text == "TYPO"
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "Discard" in app.screen.title_text
        await pilot.press("escape")
        await settle(pilot)
        assert screen.session.edit(OITA, "en", key8).text == "TYPO"
        await pilot.press("u", "y")
        await settle(pilot)
        assert screen.session.edit(OITA, "en", key8) is None
        assert entry(demo, "en", 6).msgstr == saved  # the save stands
        assert screen.current().key == key8
        await pilot.press("u")  # and now u undoes that save
        await settle(pilot)
        assert entry(demo, "en", 6).msgstr != saved


@pytest.mark.asyncio
async def test_no_status_message_outlives_what_it_was_about(demo):
    """The last article's "approved (u undoes it)" showed on the next article, where u
    had nothing to undo; the dashboard kept "articles open in Korean" after the article
    switched to Spanish, and "showing with errors" after escape cleared the filter."""
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 16)
        await pilot.press("a")  # already approved: a message, nothing written
        await settle(pilot)
        assert screen.query_one("#status").message
        await pilot.press("escape")
        await settle(pilot)
        dash = app.screen
        await pilot.press("l")
        await settle(pilot)
        assert dash.query_one("#status").message.startswith("articles open in")
        screen = await open_oita(pilot, "2026-02/kanra-nicaragua")
        assert screen.query_one("#status").message == ""
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dash and dash.query_one("#status").message == ""
        await pilot.press("f")
        await settle(pilot)
        assert dash.query_one("#status").message.startswith("showing")
        await pilot.press("escape")
        await settle(pilot)
        assert dash.query_one("#status").message == ""


@pytest.mark.parametrize("text, whole", [
    ("在日オランダ大使館は、日本との425年にわたる交流を記念して", "425"),
    ("大分県の魅力を紹介するレセプション「Experience Oita」を通じて", "Experience"),
    ("予算は3.5億円、前年比12%増です。詳しくは１２３ページ", "3.5"),
    ("予算は3.5億円、前年比12%増です。詳しくは１２３ページ", "12%"),
    ("予算は3.5億円、前年比12%増です。詳しくは１２３ページ", "１２３"),
], ids=["number", "latin-word", "decimal", "percent", "full-width-digits"])
def test_the_source_never_wraps_inside_a_number_or_a_latin_word(text, whole):
    """At 60x18 a source read "…日本との42" then "5年にわたる…"; at 160x50,
    "「Experien" then "ce Oita」". At every width the run is whole on one line."""
    from rich.console import Console
    from rich.text import Text

    from l10n.tui.render import wrap_japanese

    for width in range(len(whole) * 2 + 2, 60):
        lines = [line.plain for line in wrap_japanese(Text(text), width, Console())]
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert any(whole in line for line in lines), (width, lines)


@pytest.mark.asyncio
async def test_save_and_next_stops_at_an_entry_left_with_unsaved_text(demo):
    """ctrl+s went on past a translated entry that had an unsaved edit."""
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 6)  # translated
        await pilot.press("enter", "end", *" (more)", "escape")
        await goto(pilot, screen, 5)  # a draft
        await _save_anyway(pilot)
        assert review.state(entry(demo, "en", 5)) == review.TRANSLATED
        assert screen.current().key == entry(demo, "en", 6).key  # not 7, the next draft


@pytest.mark.asyncio
async def test_restored_edits_say_which_language_they_are_in(demo):
    async with oita(demo) as (app, pilot, screen):
        await pilot.press("l", "l")  # Spanish
        await settle(pilot)
        assert screen.lang == "es"
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"texto", "escape")
        await settle(pilot)
        app.save_journal()
    again = L10nApp(demo, user=USER, poll_interval=None)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        said = again.screen.query_one("#status").message
        assert said.startswith("1 unsaved edit from last time restored")
        assert said.endswith(f"in {again.lang_name('es')}") and again.lang != "es"


@pytest.mark.asyncio
async def test_the_side_panel_scrolls_from_the_keyboard(demo):
    """At 80x24 a long suggestion pushed the glossary below the side panel's edge, and
    the panel could not be reached from the keyboard."""
    async with oita(demo, size=(80, 24)) as (app, pilot, screen):
        await goto(pilot, screen, 4)
        await settle(pilot)
        side = screen.query_one("#side")
        assert side.max_scroll_y > 0 and side.scroll_y == 0
        await pilot.press("shift+down")
        await pilot.pause()
        assert side.scroll_y > 0
        shown = " ".join(shown_lines(screen.query_one("#side-text"))[int(side.scroll_y):])
        assert "Glossary" in shown
        await pilot.press("shift+up")
        await pilot.pause()
        assert side.scroll_y == 0
        assert screen.current().key == entry(demo, "en", 4).key  # the list did not move


# =========================================================================== a broken file

@pytest.mark.asyncio
async def test_a_catalog_that_breaks_on_disk_never_crashes_the_app(demo):
    """Attack: a bad merge leaves the open catalog unreadable, then the next language's.
    It crashed the app with a traceback (the poll's reload, opening the article, `l`).
    Now the status line names the file and line, the screen keeps what it showed, nothing
    is written, and the article reads again once the file is fixed."""
    en, ko = demo.catalog_path("en", OITA), demo.catalog_path("ko", OITA)
    good_en, good_ko = en.read_text("utf-8"), ko.read_text("utf-8")
    async with oita(demo) as (app, pilot, screen):
        shown = [e.msgid for e in screen.view.entries]
        en.write_text(good_en + "msgstr garbage\n", "utf-8")
        where = f"locales/en/{OITA}.po:{len(good_en.splitlines()) + 1}"
        screen.poll_disk()
        await settle(pilot)
        said = screen.query_one("#status").message
        assert said.startswith(where) and app.screen is screen
        assert [e.msgid for e in screen.view.entries] == shown
        screen.poll_disk()  # the same broken file is not read again every second
        await pilot.press("ctrl+s")  # on a draft: refused with the error, nothing written
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await settle(pilot)
        assert en.read_text("utf-8") == good_en + "msgstr garbage\n"

        ko.write_text(good_ko + "msgstr garbage\n", "utf-8")
        await pilot.press("l")
        await settle(pilot)
        assert screen.lang == "en" and app.lang == "en"
        assert screen.query_one("#status").message.startswith(f"cannot open {OITA} [ko]: locales/ko/")

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the dashboard's cursor is on Oita
        await settle(pilot)
        assert app.screen is not screen
        assert app.screen.query_one("#status").message.startswith(f"cannot open {OITA} [en]: {where}")

        en.write_text(good_en, "utf-8")  # fixed: it opens, as it is on disk
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and [e.msgid for e in screen.view.entries] == shown


# =========================================================================== journals

_DIE_WITH_AN_EDIT = """
import os, sys
from pathlib import Path
from l10n.project import Project
from l10n.session import Session
s = Session(Project(Path(sys.argv[1])), user=sys.argv[2])
s.set_edit("2026-02/oita-bay-area", "en", ("body", "x"), sys.argv[3], "")
s.save_journal()
os._exit(0)  # killed: no close, the system frees its lock
"""


def _die_with_an_edit(demo, user: str, text: str) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", _DIE_WITH_AN_EDIT, str(demo.root), user, text],
                   check=True, timeout=60)


def _texts(session) -> list[str]:
    return sorted(ed.text for ed in session.edits.values())


def test_two_peoples_journals_never_overwrite_each_other(demo):
    """Attack: two people's TUIs on one project. Each wrote the one journal whole, so a
    killed session came back with the other person's unsaved text, and saved it under
    its own name."""
    from l10n.session import Session

    rey = Session(demo, user="Rey Reviewer")
    rey.set_edit(OITA, "en", ("body", "r"), "REY-UNSAVED", "")
    rey.save_journal()
    _die_with_an_edit(demo, "Tina Translator", "TINA-UNSAVED")  # after Rey's write
    tina = Session(demo, user="Tina Translator")
    assert _texts(tina) == ["TINA-UNSAVED"]  # hers, not Rey's
    assert _texts(rey) == ["REY-UNSAVED"]
    tina.close()
    rey.close()  # quits with an unsaved edit: it waits for Rey, not for Tina
    tina2 = Session(demo, user="Tina Translator")
    assert _texts(tina2) == ["TINA-UNSAVED"]
    rey2 = Session(demo, user="Rey Reviewer")
    assert _texts(rey2) == ["REY-UNSAVED"]
    for s in (tina2, rey2):
        s.close()


def test_a_running_sessions_journal_is_never_taken(demo):
    from l10n.session import Session

    tina = Session(demo, user="Tina Translator")
    tina.set_edit(OITA, "en", ("body", "t"), "TINA-TYPING", "")
    tina.save_journal()
    again = Session(demo, user="Tina Translator")  # a second terminal, same person
    assert _texts(again) == []
    assert tina.journal_path.exists()
    again.close()
    tina.close()


def test_the_shared_journal_of_an_earlier_version_is_taken_over_once(demo):
    import json

    from l10n.session import Session

    legacy = demo.cache_dir / "tui-edits.json"
    legacy.write_text(json.dumps({"version": 1, "edits": [
        {"article": OITA, "lang": "en", "msgctxt": "body", "msgid": "x", "text": "OLD", "base": ""}]}),
        "utf-8")
    s = Session(demo, user="Anyone")
    assert _texts(s) == ["OLD"] and not legacy.exists()
    assert "OLD" in s.journal_path.read_text("utf-8")
    s.close()


def test_a_planted_link_in_the_journals_folder_is_left_alone(demo, tmp_path):
    """Attack: a link planted as an ended session's lock (filelock truncates what it
    opens) or as its journal: nothing outside is touched, and the session starts."""
    from l10n.session import Session
    from l10n.workspace import EditJournals

    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", "utf-8")
    d = demo.cache_dir / EditJournals.DIR
    d.mkdir(parents=True, exist_ok=True)
    (d / "1-1.json").write_text('{"version": 2, "user": null, "edits": []}', "utf-8")
    (d / "1-1.lock").symlink_to(outside)
    (d / "2-2.json").symlink_to(outside)
    s = Session(demo, user="Anyone")
    s.close()
    assert outside.read_text("utf-8") == "keep me"
    assert (d / "1-1.json").exists()  # not taken: its lock is not a plain file


def test_titles_sort_with_their_numbers_read_as_numbers():
    from l10n.tui.dashboard import natural

    titles = ["第179号の記事", "第17号の記事", "第1号の記事", "第199号の記事", "第２号の記事", "大分"]
    assert sorted(titles, key=natural) == ["大分", "第1号の記事", "第２号の記事", "第17号の記事",
                                           "第179号の記事", "第199号の記事"]


@pytest.mark.asyncio
async def test_help_asked_in_an_article_shows_the_articles_keys_first(demo):
    from l10n.tui.modals import HelpScreen

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_oita(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "Article: entry list" in shown and "approve the highlighted entry" in shown
        assert "Dashboard" not in shown.split("Article: entry list")[0]


@pytest.mark.asyncio
async def test_the_totals_keep_every_languages_percentage_on_a_large_archive(demo):
    """With a thousand articles the counts read 7.7k 4.6k…, and even the compact totals
    cut Spanish's percentage at 100 columns."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = app.screen
        for lang in dash.dash.total:
            dash.dash.total[lang] = {"untranslated": 7700, "draft": 4600, "translated": 6100,
                                     "approved": 12000}
        dash.dash.errors = 156207
        dash._totals_line()
        await pilot.pause()
        bar = dash.query_one("#dash-totals")
        line = bar.line_text().plain
        assert len(line) <= bar.content_size.width, line  # whole: nothing cropped
        assert line.rstrip().endswith("%") and line.count("%") == len(demo.languages), line


@pytest.mark.asyncio
async def test_the_palette_offers_l10ns_commands_only_each_article_title_once(demo):
    """Textual's own commands came first (its Screenshot failed), and each article's
    title showed twice."""
    from textual.command import CommandPalette

    from l10n.dashboard import article_titles

    title = article_titles(demo, ["2026-02/nara-diplomats-tour"])["2026-02/nara-diplomats-tour"][1]
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        shown = screen_text(app)
        assert "show every key" in shown or "open the highlighted article" in shown
        for word in ("Screenshot", "Theme", "Maximize"):
            assert word not in shown
        await pilot.press(*"nara")
        await pilot.pause(0.5)
        shown = screen_text(app)
        assert shown.count(title[:8]) == 1, shown


@pytest.mark.asyncio
async def test_broken_catalogs_leave_the_dashboard_whole_and_their_error_goes_once_fixed(demo):
    """One broken catalog left every row unshown ("…" and raw ids) at the start; two
    were named as one; once fixed, the error stayed on the status line."""
    ko, kanra = demo.catalog_path("ko", OITA), demo.catalog_path("en", "2026-02/kanra-nicaragua")
    good = {p: p.read_text("utf-8") for p in (ko, kanra)}
    for p in good:
        p.write_text(good[p] + "msgstr garbage\n", "utf-8")
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dash = app.screen
        said = dash.query_one("#status").message
        assert said.startswith("loading the statistics failed: locales/") and "(and 1 more file)" in said
        rows = {r.id: r for r in dash.rows}
        assert all(r.title for r in rows.values())  # titles, not raw ids
        nara = rows["2026-02/nara-diplomats-tour"]
        assert "loading" not in nara.langs["en"] and nara.errors is not None
        for p, text in good.items():
            p.write_text(text, "utf-8")
        dash.load_stats(force=True)
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert dash.query_one("#status").message == ""
        assert all("loading" not in r.langs[lang] for r in dash.rows for lang in r.langs)


@pytest.mark.asyncio
async def test_a_change_on_disk_never_takes_the_letters_being_typed(demo):
    """Someone saves the entry being edited; the translator types on. The conflict
    dialog opened at the next poll and took "t" (in "at") as "take theirs": the edit was
    dropped and the rest of the letters went into their text."""
    from l10n import actions
    from l10n.tui.modals import ConflictScreen

    app = L10nApp(demo, user=USER, poll_interval=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"Oita")
        key8 = entry(demo, "en", 8).key
        actions.save_translation(demo, OITA, "en", key8, "Oita Prefecture", "Other Person")
        await pilot.pause(0.3)
        await pilot.press(*" Pref at home")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ConflictScreen)
        assert screen.query_one("#target").text == "Oita Pref at home"
        assert screen.session.edit(OITA, "en", key8).text == "Oita Pref at home"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen) and app.screen.mine == "Oita Pref at home"
        # it changes again while the dialog is open: "take theirs" never takes unseen text
        actions.save_translation(demo, OITA, "en", key8, "Oita Prefecture, again", "Other Person",
                                 expect="Oita Prefecture")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen) and app.screen.theirs == "Oita Prefecture, again"
        await pilot.press("t")
        await settle(pilot)
        assert screen.session.edit(OITA, "en", key8) is None
        assert screen.query_one("#target").text == "Oita Prefecture, again"


@pytest.mark.asyncio
async def test_the_next_entrys_panel_starts_at_its_top_and_the_last_outcome_goes_with_a_move(demo):
    """From the re-trial: after shift+down and an approval, the next entry's panel opened
    scrolled (its rejection note out of sight); "approved (u undoes it)" stayed after
    moving on, into the editor where u is text."""
    async with oita(demo, size=(80, 24)) as (app, pilot, screen):
        await goto(pilot, screen, 2)
        await settle(pilot)
        side = screen.query_one("#side")
        await pilot.press("shift+down", "shift+down")
        await pilot.pause()
        scrolled = side.scroll_y
        await pilot.press("a")
        await settle(pilot)
        await _answer_checks(pilot)
        assert screen.current().key != entry(demo, "en", 2).key
        assert scrolled > 0 and side.scroll_y == 0
        assert "u undoes it" in screen.query_one("#status").message
        await pilot.press("down")
        await settle(pilot)
        assert screen.query_one("#status").message == ""


@pytest.mark.asyncio
async def test_the_search_boxs_footer_offers_no_key_the_box_takes(demo):
    async with oita(demo) as (app, pilot, screen):
        await pilot.press("slash")
        await settle(pilot)
        footer = screen.query_one("#keys").line_text().plain
        assert "? help" not in footer and "enter" not in footer and "esc" in footer


@pytest.mark.asyncio
async def test_a_catalog_fixed_back_to_what_was_shown_says_it_reads_again(demo):
    en = demo.catalog_path("en", OITA)
    good = en.read_text("utf-8")
    async with oita(demo) as (app, pilot, screen):
        en.write_text(good + "msgstr garbage\n", "utf-8")
        screen.poll_disk()
        await settle(pilot)
        assert "does not read" in screen.query_one("#status").message
        en.write_text(good, "utf-8")  # git checkout: the very text the screen shows
        screen.poll_disk()
        await settle(pilot)
        assert screen.query_one("#status").message == f"locales/en/{OITA}.po reads again"


@pytest.mark.asyncio
async def test_saving_over_an_approval_given_while_typing_asks_first(demo):
    """A reviewer approves the entry a translator is editing. ctrl+s withdrew that
    approval without a word (the rule: a changed text is no longer what was approved);
    it now shows who approved it and asks. No poll ran: ctrl+s itself looks at disk."""
    from l10n import actions

    key2 = entry(demo, "en", 2).key
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 2)
        await pilot.press("enter", "end", *" today")
        await settle(pilot)
        typed = screen.query_one("#target").text
        res = actions.approve(demo, OITA, "en", "Ana Reviewer", keys=[key2], override="read it")
        assert res.approved and review.state(entry(demo, "en", 2)) == review.APPROVED
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Approved meanwhile" in app.screen.title_text
        shown = plain(app.screen.details)
        assert "Ana Reviewer approved this entry" in shown
        assert f"Approved text: {entry(demo, 'en', 2).msgstr}" in shown and f"Your text: {typed}" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one("#status").message == "not saved"
        assert review.state(entry(demo, "en", 2)) == review.APPROVED
        assert screen.session.edit(OITA, "en", key2).text == typed  # the typing is kept
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        e2 = entry(demo, "en", 2)
        assert e2.msgstr == typed and review.state(e2) == review.TRANSLATED


@pytest.mark.asyncio
async def test_editing_an_entry_approved_before_the_edit_began_does_not_cry_reviewed_meanwhile(demo):
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 16)
        await pilot.press("enter", "end", *" today")
        await pilot.press("ctrl+s")
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):  # error findings may still ask
            assert "Approved meanwhile" not in app.screen.title_text
            await pilot.press("y")
            await settle(pilot)
        assert review.state(entry(demo, "en", 16)) == review.TRANSLATED


def test_an_edit_remembers_the_approval_it_began_under_across_a_restart(demo):
    """The journal keeps which approval an edit began under: a restored edit whose entry
    was approved since asks before withdrawing it; once the translator has seen the other
    version ("keep mine") it no longer does."""
    from l10n import actions
    from l10n.session import Session

    key2 = entry(demo, "en", 2).key
    first = Session(demo, user=USER)
    view = first.view(OITA, "en")
    first.set_edit(OITA, "en", key2, "A new text", view.get(key2).msgstr, "")
    assert first.reviewed_meanwhile(view, key2) is None
    first.save_journal()
    first.close()
    actions.approve(demo, OITA, "en", "Ana Reviewer", keys=[key2], override="read it")
    second = Session(demo, user=USER)
    view = second.view(OITA, "en")
    assert second.edit(OITA, "en", key2).text == "A new text"
    got = second.reviewed_meanwhile(view, key2)
    assert got is not None and (got.kind, got.reviewer) == ("approved", "Ana Reviewer")
    second.keep_mine(view, key2)
    assert second.reviewed_meanwhile(view, key2) is None
    second.close()


@pytest.mark.asyncio
async def test_the_footer_under_a_dialog_offers_none_of_the_screens_keys(demo):
    """Under a dialog the footer listed the article's keys (a approve, r reject...),
    which the dialog does not take; the dialog shows its own. Back on the screen, the
    footer is the screen's again."""
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 4)
        footer = screen.query_one("#keys")
        assert "approve" in footer.line_text().plain
        await pilot.press("a")  # a draft under a rejection: the dialog shows its note
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert footer.line_text().plain == ""
        assert "r reject" not in _screen_text(app)  # as drawn, under the dialog's shade
        await pilot.press("escape")
        await settle(pilot)
        assert "approve" in footer.line_text().plain
        assert "r reject" in _screen_text(app)
        await pilot.press("escape", "question_mark")  # the dashboard, and its help
        await settle(pilot)
        dash_footer = app.screen_stack[-2].query_one("#keys")
        assert dash_footer.line_text().plain == ""


def _screen_text(app) -> str:
    """What the terminal shows, as text (the SVG export's characters)."""
    import html
    import re

    svg = re.sub(r"<style.*?</style>", "", app.export_screenshot(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


@pytest.mark.asyncio
async def test_a_reload_never_moves_the_keys_to_an_entry_the_panel_does_not_show(demo):
    """Under [to review], on entry 6, a reviewer rejects entry 6 from the CLI. The reload
    took 6 out of the list and put the cursor on entry 2 unseen, the panel still showing
    6: `a` approved entry 2. Entry 6 now stays listed (and in hand) until the translator
    moves away; `a` acts on it, and asks (a draft under a rejection)."""
    from l10n import actions

    key2, key6 = entry(demo, "en", 2).key, entry(demo, "en", 6).key
    async with oita(demo, size=(80, 24)) as (app, pilot, screen):
        await pilot.press("f", "f", "down")
        await settle(pilot)
        assert screen.state_filter == "to review" and screen.current().key == key6
        actions.reject(demo, OITA, "en", "Ana Reviewer", "check the date", key=key6)
        screen.poll_disk()
        await settle(pilot)
        assert screen.current().key == key6 == screen.bound
        assert [e.key for e in screen.shown] == [key2, key6]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "Rejected" in app.screen.title_text
        await pilot.press("escape")
        await settle(pilot)
        assert review.state(entry(demo, "en", 2)) == review.TRANSLATED  # never approved unseen
        await pilot.press("f", "f", "f", "f")  # the filter changed by hand: exactly what matches
        await settle(pilot)
        assert [e.key for e in screen.shown] == [key2]
        assert screen.current().key == key2 == screen.bound


@pytest.mark.asyncio
async def test_save_and_next_keeps_the_search_it_works_under(demo):
    """ctrl+s under a search went on to the next untranslated entry of the article and
    cleared the search without a word; it now stays within what the search shows."""
    async with oita(demo) as (app, pilot, screen):
        await pilot.press("slash", *"meeting Mayor", "enter")
        await settle(pilot)
        key3 = entry(demo, "en", 3).key
        assert [e.key for e in screen.shown] == [key3] and screen.current().key == key3
        await _save_anyway(pilot)
        assert review.state(entry(demo, "en", 3)) == review.TRANSLATED
        assert screen.search == "meeting Mayor" and [e.key for e in screen.shown] == [key3]
        assert "nothing else under the search" in screen.query_one("#status").message


@pytest.mark.asyncio
async def test_a_rejection_given_while_typing_is_read_before_the_save(demo):
    """A reviewer sends back the entry a translator is typing in. The status line said
    only "changed on disk: reloaded", and ctrl+s saved at once: the note was never read.
    The status line now names the reviewer, and ctrl+s shows the note first."""
    from l10n import actions

    key6 = entry(demo, "en", 6).key
    async with oita(demo, size=(80, 24)) as (app, pilot, screen):
        await goto(pilot, screen, 6)
        await pilot.press("enter", "end", *" Really.")
        await settle(pilot)
        actions.reject(demo, OITA, "en", "Ana Reviewer", "write the month out", key=key6)
        screen.poll_disk()
        await settle(pilot)
        said = screen.query_one("#status").message
        assert said.startswith("Ana Reviewer sent back this entry while you type")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Rejected meanwhile" in app.screen.title_text
        shown = plain(app.screen.details)
        assert "Ana Reviewer sent this entry back" in shown and "write the month out" in shown
        await pilot.press("y")
        await settle(pilot)
        assert review.state(entry(demo, "en", 6)) == review.TRANSLATED
        assert entry(demo, "en", 6).msgstr.endswith("Really.")


@pytest.mark.asyncio
async def test_the_conflict_dialog_lets_a_person_look_first(demo):
    """Moving onto an entry whose unsaved edit someone else's save overtook opened the
    conflict dialog with m and t only: esc did nothing, so one had to choose before
    looking. esc now leaves both as they are; the dialog comes back on return."""
    from l10n import actions
    from l10n.tui.modals import ConflictScreen

    key8 = entry(demo, "en", 8).key
    async with oita(demo, size=(80, 24)) as (app, pilot, screen):
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"Oita", "escape", "up")
        await settle(pilot)
        actions.save_translation(demo, OITA, "en", key8, "Oita Prefecture", "Other Person")
        screen.poll_disk()
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        drawn = _screen_text(app)
        assert all(k in drawn for k in ("m  keep mine", "t  take theirs", "esc  decide later"))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        assert screen.session.edit(OITA, "en", key8).text == "Oita"
        assert entry(demo, "en", 8).msgstr == "Oita Prefecture"
        assert screen.query_one("#status").message.startswith("both versions kept")
        await pilot.press("up", "down")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("t")
        await settle(pilot)
        assert screen.session.edit(OITA, "en", key8) is None


@pytest.mark.asyncio
async def test_esc_clears_a_kept_search_before_it_leaves_the_article(demo):
    """With a search kept on the list (enter in the search box), one esc left the
    article; the stale "showing all: 23 entries" stayed while the search showed one."""
    async with oita(demo) as (app, pilot, screen):
        await pilot.press("f", "f", "f", "f")
        await settle(pilot)
        assert screen.query_one("#status").message.startswith("showing all")
        await pilot.press("slash", *"meeting Mayor")
        await settle(pilot)
        assert screen.query_one("#status").message == ""
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.shown) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.search == ""
        assert len(screen.shown) == len(screen.view.entries)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen


@pytest.mark.asyncio
async def test_the_quit_dialog_speaks_of_one_edit_in_the_singular(demo):
    from l10n.tui.modals import QuitScreen

    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"Oita", "escape", "ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitScreen)
        drawn = " ".join(_screen_text(app).split())
        assert "1 unsaved edit" in drawn and "It is kept in" in drawn and "They are" not in drawn
        await pilot.press("escape")


@pytest.mark.asyncio
async def test_the_editor_never_offers_u_as_an_undo(demo):
    """"approved (u undoes it)" stayed on entering the editor, where u is a letter
    typed; the outcome stays, the hint goes."""
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 2)
        await pilot.press("a")
        await settle(pilot)
        await _answer_checks(pilot)
        bar = screen.query_one("#status")
        assert bar.message.startswith("approved") and "(u undoes it)" in bar.message
        await pilot.press("enter")
        await settle(pilot)
        assert bar.message.startswith("approved") and "u undoes" not in bar.message


@pytest.mark.asyncio
@pytest.mark.parametrize("n", [4, 2])  # a draft under a rejection (asks y), findings (asks a reason)
async def test_a_dialog_before_an_approval_never_lets_an_unseen_text_be_approved(demo, n):
    """The reviewer presses a; a dialog asks (the rejection's note, or a reason for the
    findings); meanwhile the translator saves another text. y (or the reason) approved
    that other text, never shown. Now nothing is approved and the entry is shown anew."""
    from l10n import actions

    if n == 2:  # a translation that misses the source's year: an error finding
        actions.save_translation(demo, OITA, "en", entry(demo, "en", 2).key,
                                 "In November, the governor visited the Bay Area.", "Ken Mori")
    e = entry(demo, "en", n)
    async with oita(demo, user="Ana Reviewer") as (app, pilot, screen):
        await goto(pilot, screen, n)
        await pilot.press("a")
        await settle(pilot)
        asked = app.screen
        assert isinstance(asked, (ConfirmScreen, NoteScreen))
        if isinstance(asked, NoteScreen):
            assert f"Translation: {e.msgstr}" in plain(asked.details)
        unseen = "Visitors enjoy dishes made with ingredients from Oita Prefecture"  # no finding
        actions.save_translation(demo, OITA, "en", e.key, unseen, "Ken Mori")
        screen.poll_disk()
        await settle(pilot)
        await pilot.press(*(["y"] if isinstance(asked, ConfirmScreen) else [*"checked", "enter"]))
        await settle(pilot)
        now = entry(demo, "en", n)
        assert now.msgstr == unseen and review.state(now) == review.TRANSLATED
        assert screen.query_one("#status").message.startswith("approve: someone changed this entry")


@pytest.mark.asyncio
async def test_n_under_a_filter_stays_in_it(demo):
    """n under [to review] jumped to an untranslated entry and dropped the filter, the
    status line still saying "showing to review". It now stays within the filter."""
    async with oita(demo) as (app, pilot, screen):
        await pilot.press("f", "f")
        await settle(pilot)
        shown = [e.key for e in screen.shown]
        await pilot.press("n")
        await settle(pilot)
        assert screen.state_filter == "to review" and [e.key for e in screen.shown] == shown
        assert screen.query_one("#status").message.startswith("nothing under to review")
        await pilot.press("f", "f", "f")  # to translate: n goes through those
        await settle(pilot)
        first = screen.current().key
        await pilot.press("n")
        await settle(pilot)
        assert screen.state_filter == "to translate" and screen.current().key != first
        assert review.state(screen.current()) in (review.UNTRANSLATED, review.DRAFT)


@pytest.mark.asyncio
async def test_a_four_eyes_rule_turned_on_reaches_a_running_tui(demo):
    """The team set review.four_eyes while TUIs ran: they went on approving their own
    translations (the CLI refused). The rule is read again when l10n.yaml changes; a
    l10n.yaml that no longer reads stops the approval with its file and line."""
    from tests.demo import TRANSLATOR

    config = demo.root / "l10n.yaml"
    text = config.read_text("utf-8")
    assert "four_eyes: false" in text
    async with oita(demo, user=TRANSLATOR) as (app, pilot, screen):
        await goto(pilot, screen, 2)  # translated by Ken Mori
        config.write_text(text.replace("four_eyes: false", "four_eyes: true"), "utf-8")
        await pilot.press("a")
        await settle(pilot)
        await _answer_checks(pilot)
        assert review.state(entry(demo, "en", 2)) == review.TRANSLATED
        assert "four-eyes" in screen.query_one("#status").message
        config.write_text(text.replace("four_eyes: false", "four_eyes: [true"), "utf-8")
        await goto(pilot, screen, 6)
        await pilot.press("a")
        await settle(pilot)
        said = screen.query_one("#status").message
        line = next(i for i, x in enumerate(text.splitlines(), 1) if "four_eyes" in x)
        assert f"l10n.yaml:{line}:" in said and review.state(entry(demo, "en", 6)) == review.TRANSLATED


@pytest.mark.asyncio
async def test_the_conflict_dialog_is_never_stacked_on_another_dialog(demo):
    """ctrl+s asked about error findings; someone saved the entry; the poll stacked the
    conflict dialog on the open one, and after "take theirs" the stale question about the
    dropped text came back. The conflict now waits for that dialog's answer."""
    from l10n import actions
    from l10n.tui.modals import ConflictScreen

    key8 = entry(demo, "en", 8).key
    async with oita(demo) as (app, pilot, screen):
        await goto(pilot, screen, 8)
        await pilot.press("enter", "ctrl+b", "escape")  # the Japanese left as it is
        await pilot.press("ctrl+s")  # from the list: it asks about the findings
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        actions.save_translation(demo, OITA, "en", key8, "Oita Prefecture", "Other Person")
        screen.poll_disk()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and len(app.screen_stack) == 3
        await pilot.press("y")  # the save meets their text: both are shown now
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is screen
        assert entry(demo, "en", 8).msgstr == "Oita Prefecture"
        assert screen.session.edit(OITA, "en", key8) is None


@pytest.mark.asyncio
async def test_keys_on_an_empty_filtered_list_say_why_nothing_happens(demo):
    async with oita(demo) as (app, pilot, screen):
        await pilot.press("slash", *"no such text anywhere", "enter")
        await settle(pilot)
        assert screen.shown == []
        for key in ("a", "r", "enter"):
            screen.say("")
            await pilot.press(key)
            await settle(pilot)
            assert screen.query_one("#status").message.startswith("no entry is listed under the search")


@pytest.mark.asyncio
async def test_a_rejection_refused_because_the_text_changed_keeps_its_note(demo):
    from l10n import actions

    key6 = entry(demo, "en", 6).key
    async with oita(demo, user="Ana Reviewer") as (app, pilot, screen):
        await goto(pilot, screen, 6)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        actions.save_translation(demo, OITA, "en", key6, "In November, the governor went.", "Ken Mori")
        screen.poll_disk()
        await pilot.press(*"write the year out", "enter")
        await settle(pilot)
        assert "not rejected" in screen.query_one("#status").message
        assert review.rejection(entry(demo, "en", 6)) is None
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen) and app.screen.value == "write the year out"
        await pilot.press("enter")
        await settle(pilot)
        assert review.rejection(entry(demo, "en", 6))[2] == "write the year out"
