"""The translator's desk (issue 15): every bug found by a professional translator, and the
daily-work features, each driven through Pilot on the demo project (tests/demo.py)."""
from __future__ import annotations

import asyncio
import time

import pytest
from textual.widgets import TextArea

from l10n import actions, review
from l10n.preferences import remembered_name
from l10n.tui.app import L10nApp
from l10n.tui.article import ArticleScreen
from l10n.tui.dashboard import DashboardScreen
from l10n.tui.modals import ConfirmScreen, HelpScreen, NoteScreen
from l10n.tui.render import marker
from tests.demo import OITA
from tests.test_tui import USER, entry, goto, open_oita, plain, settle

SIZE = (100, 30)


@pytest.mark.asyncio
async def test_enter_in_the_editor_never_breaks_a_one_line_sentence(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)  # untranslated, one line of Japanese
        await pilot.press("enter", "T", "o", "enter", "k", "y", "o")
        await pilot.pause()
        assert screen.query_one(TextArea).text == "Tokyo"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert entry(demo, "en", 8).msgstr == "Tokyo"


@pytest.mark.asyncio
async def test_a_paste_goes_in_once_and_a_pasted_line_break_becomes_a_space(demo):
    """Textual calls the paste handler of every class of the editor: TranslationArea's
    used to call TextArea's as well, and a pasted phrase went in twice. Line breaks
    inside become one space each (blank lines too), one at an end goes, and the
    space the paste starts with stays."""
    from textual import events

    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)  # untranslated, one line of Japanese
        await pilot.press("enter")
        app.post_message(events.Paste("Oita"))
        await pilot.pause()
        assert screen.query_one(TextArea).text == "Oita"
        app.post_message(events.Paste(" Prefecture\nand\r\n\r\n  Beppu\n"))  # a line copied with its break
        await pilot.pause()
        assert screen.query_one(TextArea).text == "Oita Prefecture and Beppu"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert entry(demo, "en", 8).msgstr == "Oita Prefecture and Beppu"


@pytest.mark.asyncio
async def test_after_ctrl_s_the_next_key_is_a_command_not_text(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"A tech hub.", "ctrl+s")
        await pilot.pause()
        nxt = screen.current()
        before = nxt.msgstr
        assert not screen.editing()
        assert "list" in str(screen.query_one("#editor-area").border_title)
        await pilot.press("n")  # a command: moves on, types nothing
        await pilot.pause()
        assert not screen.session.edits
        assert screen.view.get(nxt.key).msgstr == before


@pytest.mark.asyncio
async def test_edit_mode_is_visibly_different_from_list_mode(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        area = screen.query_one("#editor-area")
        assert not area.has_class("editing")
        await pilot.press("enter")
        await pilot.pause()
        assert area.has_class("editing") and "EDITING" in str(area.border_title)
        await pilot.press("escape")
        await pilot.pause()
        assert not area.has_class("editing")


@pytest.mark.asyncio
async def test_ctrl_s_on_a_draft_with_errors_asks_first(demo):
    e = entry(demo, "en", 3)
    actions.set_draft(demo, OITA, "en", e.key, "知事 meets the mayor", "deepl")
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "leftover_source" in plain(app.screen.details)
        await pilot.press("escape")
        await pilot.pause()
        assert review.state(entry(demo, "en", 3)) == review.DRAFT  # nothing confirmed
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert review.state(entry(demo, "en", 3)) == review.TRANSLATED


@pytest.mark.asyncio
async def test_approving_a_draft_whose_source_changed_shows_the_change(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 10)  # seeded: a draft whose source changed
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        shown = plain(app.screen.details)
        assert "source changed" in shown and "ルーリー" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert review.state(entry(demo, "en", 10)) == review.DRAFT
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        # confirmed: the review gate comes next (the old translation has findings against
        # the new source), and an override approves it
        if isinstance(app.screen, NoteScreen):
            await pilot.press(*"checked against the new source", "enter")
            await settle(pilot)
        assert review.state(entry(demo, "en", 10)) == review.APPROVED


@pytest.mark.asyncio
async def test_n_stops_only_at_untranslated_or_draft_entries(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 1)
        seen = []
        for _ in range(6):
            await pilot.press("n")
            await pilot.pause()
            seen.append(review.state(screen.current()))
        assert set(seen) <= {review.UNTRANSLATED, review.DRAFT}
        # entry 2 and 6 are translated (seeded "done"): n passed over them
        assert entry(demo, "en", 2).key not in [screen.current().key]


@pytest.mark.asyncio
async def test_filter_the_entries_by_state(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        total = len(screen.shown)
        states = []
        for _ in range(4):
            await pilot.press("f")
            await pilot.pause()
            states.append((screen.state_filter, {review.state(e) for e in screen.shown},
                           len(screen.shown)))
        assert states[0][0] == "to translate" and states[0][1] <= {review.UNTRANSLATED, review.DRAFT}
        assert states[1] == ("to review", {review.TRANSLATED}, 2)
        assert states[2][0] == "approved" and states[2][1] == {review.APPROVED}
        assert states[3][0] == "all" and states[3][2] == total
        await pilot.press("f", "f")
        await pilot.pause()
        assert "[to review]" in plain(screen.query_one("#art-header").content)


@pytest.mark.asyncio
async def test_copy_the_source_into_the_translation(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("ctrl+b")
        await pilot.pause()
        src = screen.current().msgid
        assert screen.query_one(TextArea).text == src
        assert screen.editing()
        assert screen.session.edit(OITA, "en", screen.current().key).text == src
        assert entry(demo, "en", 8).msgstr == ""  # unsaved until ctrl+s


@pytest.mark.asyncio
async def test_undo_never_changes_another_article_out_of_sight(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("a")
        await settle(pilot)
        assert review.state(entry(demo, "en", 3)) == review.APPROVED
        await pilot.press("escape")  # back to the dashboard
        await settle(pilot)
        app.open_article("2026-02/kanra-nicaragua")
        await settle(pilot)
        other = app.screen
        assert isinstance(other, ArticleScreen) and other.article_id != OITA
        await pilot.press("u")
        await pilot.pause()
        assert review.state(entry(demo, "en", 3)) == review.APPROVED
        assert "nothing to undo in this article" in other.query_one("#status").message


@pytest.mark.asyncio
async def test_the_translators_name_is_asked_once_and_remembered(demo):
    app = L10nApp(demo, user=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Rita Reviewer", "enter")
        await settle(pilot)
        assert review.approval(entry(demo, "en", 3)).reviewer == "Rita Reviewer"
    assert remembered_name() == "Rita Reviewer"
    app2 = L10nApp(demo, user=None)
    async with app2.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 7)
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app2.screen, NoteScreen)
        assert review.approval(entry(demo, "en", 7)).reviewer == "Rita Reviewer"


@pytest.mark.asyncio
async def test_the_error_column_shows_zero_when_nothing_is_wrong(tmp_path):
    from l10n.project import Project
    from l10n.sync import sync
    from tests.conftest import copy_sample

    project = Project(copy_sample(tmp_path / "p"))
    sync(project)  # no translations: no findings anywhere
    app = L10nApp(project, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        shown = "\n".join(screen_lines(dash.query_one("#articles")))
        totals = "".join(screen_lines(dash.query_one("#dash-totals")))
        assert "err 0" in totals, totals
        assert "…" not in shown + totals, shown + totals


def screen_lines(widget) -> list[str]:
    """What a widget shows on the screen, line by line."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def test_state_and_mark_do_not_run_together():
    assert marker(review.DRAFT, error=True).plain == "draft !"
    assert marker(review.DRAFT, rejected=True).plain == "draft r"
    assert marker(review.UNTRANSLATED).plain == "new    "


@pytest.mark.asyncio
async def test_help_lists_each_key_once(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from l10n.tui import keys

        article_keys = [k for title, rows in keys.help_rows() if title.startswith("Article: entry")
                        for k, _ in rows]
        assert article_keys.count("p") == 0 and "n/p" in article_keys
        assert len(article_keys) == len(set(article_keys))


@pytest.mark.asyncio
async def test_escape_in_the_side_panel_does_not_leave_the_article(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        side = screen.query_one("#side")
        await pilot.click("#side")
        await pilot.pause()
        assert app.focused is not side
        for _ in range(4):
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is not side
        assert isinstance(app.screen, ArticleScreen)


@pytest.mark.asyncio
async def test_the_reject_dialog_shows_the_source_too(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        shown = plain(app.screen.details)
        assert entry(demo, "en", 3).msgid in shown and entry(demo, "en", 3).msgstr in shown


@pytest.mark.asyncio
async def test_quitting_during_a_sync_warns_then_stops_it_quickly(demo, monkeypatch):
    import l10n.engines as engines
    import l10n.tui.app as tui_app
    from l10n.sync import SyncReport

    seen = {}

    def slow_sync(project, progress=None, detail=None, **kw):  # the one driver, stalled
        try:
            for n in range(10_000):
                progress("2026-02/oita-bay-area", n, 10_000)
                time.sleep(0.01)
        except tui_app.SyncCancelled:
            seen["cancelled"] = True
            raise
        return SyncReport()

    monkeypatch.setattr(engines, "run_sync", slow_sync)
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await asyncio.sleep(0.2)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "sync" in app.screen.title_text.lower()
        await pilot.press("escape")  # keep working: the sync goes on
        await pilot.pause()
        assert app.sync_state is not None
        await pilot.press("ctrl+q")
        await pilot.pause()
        started = time.monotonic()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        assert time.monotonic() - started < 2
    assert seen.get("cancelled")


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_article_title_is_shortened_never_dropped(demo, size):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"Bay", "escape")  # an unsaved edit adds to the header
        await pilot.pause()
        header = screen_lines(screen.query_one("#art-header"))[0]
        assert "unsaved" in header or "*1" in header
        assert screen.title_text[:4] in header, header
        assert len(header.rstrip()) <= size[0]


@pytest.mark.asyncio
async def test_a_suggestion_shows_its_japanese_source_as_a_diff_and_its_article(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_oita(pilot)
        await settle(pilot)
        await goto(pilot, screen, 6)  # close to entry 2, whose translation is in the memory
        await settle(pilot)
        e6 = entry(demo, "en", 6)
        sugg = screen.session.suggestions("en", e6)
        assert sugg and sugg[0].source != e6.msgid
        side = plain(screen.query_one("#side-text").content).replace("\n", "")
        assert sugg[0].target[:20] in side
        assert f" · {OITA.split('/')[1]}" in side
        # the diff between the matched source and this one is shown, changes included
        from l10n.catalog_view import diff_ops

        changed = [text for op, text in diff_ops(sugg[0].source, e6.msgid) if op != "="]
        assert changed and changed[0].strip() in side  # one line, cropped: the first change shows


@pytest.mark.asyncio
@pytest.mark.parametrize("broken", ["locales/en/2026-02/kanra-nicaragua.po", "locales/memory.tmx"])
async def test_a_broken_file_leaves_the_other_suggestions_and_is_named(demo, broken):
    """Attack: another article's catalog, or the imported TMX, does not parse. The status
    line names the file and its line (the dashboard's error for a catalog, which the
    statistics meet first; the memory's warning for the TMX, which only it reads), and
    Oita's suggestions, from the other files, are still there."""
    path = demo.root / broken
    if broken.endswith(".tmx"):
        path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<body>\n<tu>\n',
                        "utf-8")
        where, said = f"{broken}:5", "the translation memory left out "
    else:
        text = path.read_text("utf-8")
        path.write_text(text + '\nmsgid "x"\nmsgstr garbage\n', "utf-8")
        where, said = f"{broken}:{len(text.splitlines()) + 3}", "loading the statistics failed: "
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#status")
        assert bar.message.startswith(f"{said}{where}: "), bar.message
        assert str(demo.root) not in bar.message
        screen = await open_oita(pilot)
        await settle(pilot)
        await goto(pilot, screen, 6)
        await settle(pilot)
        sugg = screen.session.suggestions("en", entry(demo, "en", 6))
        assert sugg and sugg[0].target[:20] in plain(screen.query_one("#side-text").content).replace("\n", "")


@pytest.mark.asyncio
async def test_undoing_a_save_takes_the_text_out_of_the_memory(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await settle(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"Silicon Valley text", "ctrl+s")
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
        await settle(pilot)
        e8 = entry(demo, "en", 8)
        assert e8.msgstr == "Silicon Valley text"
        hit = screen.session.memory.exact("en", e8.msgid)
        assert hit is not None and hit.target == "Silicon Valley text"
        await pilot.press("u")
        await settle(pilot)
        e8 = entry(demo, "en", 8)
        assert e8.msgstr == ""
        hit = screen.session.memory.exact("en", e8.msgid)
        assert hit is None or hit.target != "Silicon Valley text"
        assert not any(s.target == "Silicon Valley text"
                       for s in screen.session.suggestions("en", e8))


def test_progress_shows_as_a_bar_and_a_percentage():
    from l10n.tui.render import DONE_BAR, OK_BAR, counts_cell, percent

    c = {"entries": 10, "untranslated": 2, "draft": 2, "translated": 2, "approved": 4}
    cell = counts_cell(c, digits=2)
    width = len(cell.plain)
    shaded = [(s.start, s.end, str(s.style)) for s in cell.spans if "on #" in str(s.style)]
    assert (0, round(width * 0.4), OK_BAR) in shaded
    assert (round(width * 0.4), round(width * 0.6), DONE_BAR) in shaded
    assert percent(c) == 40
    assert percent({"entries": 1000, "approved": 999}) == 99  # never rounds up to done
    assert percent({"entries": 3, "approved": 3}) == 100


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_the_totals_line_keeps_every_total_at_80_columns(demo, size):
    """At 80 columns the line ended "es 82 1 32…": the last language's percentage
    was cut off. Where the line is narrow it drops the word "total" and narrows its
    gaps; where there is room it keeps them."""
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await settle(pilot)
        totals = "".join(screen_lines(app.screen.query_one("#dash-totals"))).strip()
        assert "err " in totals and "…" not in totals
        assert totals.count("%") == len(demo.languages)
        for lang in demo.languages:
            assert f"│ {lang} " in totals
        assert totals.startswith("total ") == (size[0] == 100), totals


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_the_dashboard_header_keeps_the_search_and_filter_in_sight(demo, size):
    """At 80 columns the header ended "sort: issue · searc…": where it is narrow the
    words "opens in" go, then the project's name, before the sort, filter and search."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        header = "".join(screen_lines(app.screen.query_one("#dash-header"))).strip()
        assert header.endswith("opens in  en  ko  es   sort: issue"), header  # room for all
        await pilot.press("f", "slash", *"oita", "enter")
        await settle(pilot)
        header = "".join(screen_lines(app.screen.query_one("#dash-header"))).strip()
        assert "…" not in header, header
        assert header.endswith("sort: issue · filter: needs work · search: oita"), header
        assert "en  ko  es" in header  # the language articles open in, shown either way


@pytest.mark.asyncio
async def test_add_edit_and_remove_a_translators_note(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 1)  # approved: a note does not withdraw the approval
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"The ministry writes Governor", "enter")
        await settle(pilot)
        e = entry(demo, "en", 1)
        assert review.notes(e) == ["The ministry writes Governor"]
        assert review.state(e) == review.APPROVED
        assert "The ministry writes Governor" in plain(screen.query_one("#side-text").content)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#note-input").value == "The ministry writes Governor"
        app.screen.query_one("#note-input").value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert review.notes(entry(demo, "en", 1)) == []


def test_a_note_cannot_forge_our_own_records(demo):
    from l10n.errors import UsageError

    e = entry(demo, "en", 3)
    with pytest.raises(UsageError):
        actions.set_note(demo, OITA, "en", e.key, "l10n: approved 2026-01-01T00:00:00Z "
                         + "0" * 64 + " by Mallory")
    with pytest.raises(UsageError):
        actions.set_note(demo, OITA, "en", e.key, "bell \x07")
    assert review.state(entry(demo, "en", 3)) == review.DRAFT


@pytest.mark.asyncio
async def test_an_idle_dashboard_recounts_nothing_and_still_sees_an_edit_in_place(demo, monkeypatch):
    """Every tenth poll looks deeper (every file's stat) instead of recounting every
    catalog; a file rewritten in place, which leaves its directory's time alone, is
    still seen."""
    import os

    import l10n.dashboard as core

    calls = []
    real = core.Tally.refresh
    monkeypatch.setattr(core.Tally, "refresh", lambda self, **kw: calls.append(1) or real(self, **kw))
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dash = app.screen
        first = len(calls)
        assert first > 0
        for _ in range(3):
            dash.load_stats(force=True)  # what every tenth poll does
            await settle(pilot)
        assert len(calls) == first  # nothing changed: nothing recounted
        path = demo.catalog_path("en", OITA)
        d = os.stat(path.parent).st_mtime_ns
        e = entry(demo, "en", 3)
        data = path.read_bytes().replace(e.msgstr.encode(), b"Governor Sato meets Mayor Lurie")
        with open(path, "r+b") as fh:  # in place: the folder's time does not move
            fh.write(data)
            fh.truncate()
        os.utime(path.parent, ns=(d, d))
        dash.load_stats(force=False)  # an ordinary poll: the folders look the same
        await settle(pilot)
        assert len(calls) == first
        dash.load_stats(force=True)
        await settle(pilot)
        assert len(calls) > first


@pytest.mark.asyncio
async def test_a_deepl_suggestion_on_demand_is_paid_once_and_taken_as_a_draft(
        demo, deepl_server, deepl_fast_retries, monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", deepl_server.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)  # untranslated
        await pilot.press("d")
        await settle(pilot)
        billed = dict(deepl_server.billed)
        assert billed.get("EN-US", 0) > 0
        got = screen.mt_suggestions[("en", screen.current().key)]
        assert got.startswith("[EN-US]")
        # shown whole, wrapped to the panel (its lines indented under the first)
        assert "".join(got.split()) in "".join(plain(screen.query_one("#side-text").content).split())
        assert entry(demo, "en", 8).msgstr == ""  # a suggestion, not written
        await pilot.press("d")  # takes it
        await settle(pilot)
        e = entry(demo, "en", 8)
        assert e.msgstr == got and review.state(e) == review.DRAFT
        assert review.origin(e).engine == "deepl"
        assert deepl_server.auth_key not in screen.query_one("#status").message
    # asked again (another session): from the record, nothing billed
    app2 = L10nApp(demo, user=USER)
    async with app2.run_test(size=(120, 40)) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("d")
        await settle(pilot)
        assert dict(deepl_server.billed) == billed
        assert "nothing billed" in screen.query_one("#status").message


@pytest.mark.asyncio
async def test_a_deepl_suggestion_without_a_key_says_what_is_needed(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("d")
        await settle(pilot)
        assert "DEEPL_AUTH_KEY" in screen.query_one("#status").message
        assert ("en", screen.current().key) not in screen.mt_suggestions


@pytest.mark.asyncio
async def test_findings_cut_in_the_side_panel_are_read_in_full_with_i(demo):
    """At 80x24 the side panel gives each finding one line, cut with an ellipsis: its
    header says so, and `i` shows every finding whole (errors first), with what its check
    looks for; closing it changes nothing."""
    from l10n.checks import CHECKS
    from l10n.tui.modals import ReadScreen

    e = entry(demo, "en", 3)
    bad = e.msgstr + " 大分県 <script>x</script> on 3 occasions."
    actions.set_draft(demo, OITA, "en", e.key, bad, "deepl")
    before = demo.catalog_path("en", OITA).read_bytes()
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await settle(pilot)
        side = [ln.strip() for ln in screen_lines(screen.query_one("#side-text"))]
        head = next(ln for ln in side if ln.startswith("Checks"))
        assert "i in full" in head
        findings = [ln for ln in side if ln.startswith(("error", "warning"))]
        assert findings[0].startswith("error") and findings[-1].startswith("warning")  # errors first
        assert any(ln.endswith("…") for ln in findings)  # cut: what `i` is for
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ReadScreen)
        got = app.screen.body.plain
        found = screen.session.findings("en", entry(demo, "en", 3), bad)
        assert {f.check for f in found} >= {"leftover_source", "unsafe_markup", "extra_numbers"}
        for f in found:
            assert f"{f.check}: {f.message}" in got
            assert CHECKS[f.check][1] in got
        assert got.index("error leftover_source") < got.index("warning extra_numbers")
        assert e.msgid in got and bad in got
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    assert demo.catalog_path("en", OITA).read_bytes() == before


@pytest.mark.asyncio
async def test_the_side_panel_says_nothing_of_i_when_no_line_is_cut(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)  # approved, no findings
        await settle(pilot)
        side = [ln.strip() for ln in screen_lines(screen.query_one("#side-text"))]
        assert side[side.index("Checks") + 1] == "✓ no findings"
        await pilot.press("i")  # still answers: nothing to read but that
        await pilot.pause()
        assert "✓ no findings" in app.screen.body.plain


def _outside(screen) -> list[str]:
    """The widgets of a dialog that stick out of its box sideways (and are cut there)."""
    box = screen.query_one(".modal-box")
    inner = box.content_region
    return [f"{w!r} {w.region}" for w in box.query("*")
            if w.display and w.region.width and (w.region.x < inner.x or w.region.right > inner.right)]


@pytest.mark.asyncio
async def test_every_dialog_fits_its_box_at_80_columns(demo):
    """Every dialog a translator can open, opened by its keys at 80x24: no line of it is
    cut at the dialog's border (a label as wide as its text was: the note's prompt, which
    says how to remove a note and start a new line, and the conflict's hint)."""
    from l10n.tui.modals import ConflictScreen, QuitScreen, ReadScreen

    e = entry(demo, "en", 3)
    actions.set_draft(demo, OITA, "en", e.key, "知事 meets the mayor", "deepl")
    app = L10nApp(demo, user=USER, poll_interval=0.1)
    seen = []
    async with app.run_test(size=(80, 24)) as pilot:
        async def check(keys, kind, says=""):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, kind), (keys, app.screen)
            assert _outside(app.screen) == [], kind.__name__
            if says:  # and all of it is drawn, over as many lines as it takes
                shown = [" ".join(ln.strip() for ln in screen_lines(w)) for w in app.screen.query("Static")]
                assert any(says in text for text in shown), shown
            seen.append(kind)
            await pilot.press("escape")
            await pilot.pause()

        await settle(pilot)
        await check(["question_mark"], HelpScreen)
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await settle(pilot)
        await check(["ctrl+s"], ConfirmScreen)  # a draft with errors
        await check(["i"], ReadScreen)
        await check(["c"], NoteScreen, "(empty removes it; ' / ' starts a new line):")  # the note
        await check(["r"], NoteScreen)  # the reject note
        await pilot.press("enter", *"mine")  # an unsaved edit ...
        await pilot.pause()
        await check(["ctrl+q"], QuitScreen)
        # ... that someone else's save on disk runs into
        actions.save_translation(demo, OITA, "en", e.key, "Theirs.", "Other Person")
        for _ in range(50):  # the next poll (every 0.1 s) finds it: on a loaded machine, later
            await pilot.pause(0.1)
            if "on disk" in screen.query_one("#status").message:
                break
        await pilot.press("escape")  # the dialog waits until one stops typing
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        await pilot.pause()
        assert _outside(app.screen) == []
        seen.append(ConflictScreen)
    assert len(seen) == 7


def test_the_tui_starts_in_the_language_it_was_left_in(demo, monkeypatch):
    """A Korean translator pressed `l` twice at every start. `l10n tui` (the real app,
    headless, driven by its auto-pilot) now starts where the last session ended; an
    explicit --lang wins; the remembered name stays beside it."""
    from l10n.preferences import remember_name, remembered_lang
    from l10n.tui import app as tui_app

    remember_name("Kim Translator")
    started: list[str] = []
    presses: list[tuple[str, ...]] = [("l",), (), (), ("l", "l", "l")]
    real_run = tui_app.L10nApp.run

    def headless_run(self):
        keys = presses.pop(0)

        async def auto(pilot):
            await settle(pilot)
            started.append(pilot.app.lang)
            await pilot.press(*keys)
            await settle(pilot)
            pilot.app.exit()

        return real_run(self, headless=True, size=SIZE, auto_pilot=auto)

    monkeypatch.setattr(tui_app.L10nApp, "run", headless_run)
    assert demo.languages[:2] == ["en", "ko"]
    assert tui_app.run(demo.root, user=USER) == 0
    assert remembered_lang(demo.root, demo.languages) == "ko"
    assert tui_app.run(demo.root, user=USER) == 0
    assert tui_app.run(demo.root, user=USER, lang="es") == 0
    assert tui_app.run(demo.root, user=USER) == 0
    assert started == ["en", "ko", "es", "es"]
    assert remembered_lang(demo.root, demo.languages) == "es"  # three l's: round to es
    assert remembered_name() == "Kim Translator"
    assert remembered_lang(demo.root, ["en"]) is None  # a language the project dropped


def test_a_broken_or_foreign_settings_file_is_no_setting_and_is_replaced_whole(demo):
    from l10n.preferences import _path, remember_lang, remembered_lang, remembered_name

    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    for junk in ("name: [\n", "- a list\n", "languages: [en]\nname: 7\n",
                 f"languages: {{{str(demo.root)!r}: xx}}\n"):
        path.write_text(junk, "utf-8")
        assert remembered_lang(demo.root, demo.languages) is None
        assert remembered_name() is None
        assert remember_lang(demo.root, "ko")
        assert remembered_lang(demo.root, demo.languages) == "ko"
