"""The terminal UI, driven with Textual's Pilot.

Every test works on a copy of the sample newsletter in a known state (tests/demo.py), and
after each action checks the catalog on disk and what `l10n status` says.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from l10n import actions, review
from l10n import catalog as po
from l10n.project import Project
from l10n.status import status
from l10n.tui import keys
from l10n.tui.app import L10nApp
from l10n.tui.article import ArticleScreen
from l10n.tui.dashboard import DashboardScreen
from tests.demo import OITA
from l10n.tui.modals import ConflictScreen, HelpScreen, NoteScreen, QuitScreen

REPO = Path(__file__).resolve().parent.parent
USER = "Tess Tester"
SIZE = (100, 30)


def entry(project: Project, lang: str, n: int, aid: str = OITA) -> po.Entry:
    return po.read(project.catalog_path(lang, aid)).active()[n - 1]


def agrees_with_status(app: L10nApp, project: Project, aid: str, lang: str) -> None:
    """What the TUI shows, the file on disk and `l10n status` say the same."""
    on_disk = {s: 0 for s in review.STATES}
    for e in po.read(project.catalog_path(lang, aid)).active():
        on_disk[review.state(e)] += 1
    counts = [a for a in status(project)["articles"] if a["id"] == aid][0]["languages"][lang]
    assert {s: counts[s] for s in review.STATES} == on_disk
    screen = app.screen
    if isinstance(screen, ArticleScreen) and screen.lang == lang:
        assert screen.view.counts() == on_disk


def plain(renderable) -> str:
    """What a Rich renderable shows, as text."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()


async def settle(pilot) -> None:
    """Until the app is idle: workers done, and the memory search the article screen
    starts once the cursor rests (SUGGEST_DELAY) started and done too."""
    await pilot.pause()
    pending = getattr(pilot.app.screen, "suggestions_pending", None)
    while pending is not None and pending():
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_oita(pilot, aid: str = OITA) -> ArticleScreen:
    """From the dashboard: highlight the article (Oita's unless `aid` says) and open it
    with enter.

    (Moving the cursor is done directly: each Pilot key press costs ~60 ms, and the
    arrow keys are Textual's own; test_open_an_article_by_searching types them.)"""
    await settle(pilot)
    dash = pilot.app.screen
    assert isinstance(dash, DashboardScreen)
    rows = dash.query_one("#articles")
    rows.move_cursor(rows.index_of(aid))
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


async def goto(pilot, screen: ArticleScreen, n: int) -> None:
    """Put the cursor on entry n (1-based)."""
    rows = screen.query_one("#entries")
    rows.focus()
    rows.move_cursor(n - 1)
    await pilot.pause()
    assert screen.current().key == screen.view.entries[n - 1].key


# =========================================================================== dashboard

@pytest.mark.asyncio
async def test_dashboard_shows_every_article_with_progress_and_totals(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        st = status(demo)
        assert [r.id for r in screen.visible_rows()] == demo.article_ids()
        for row in screen.rows:
            want = [a for a in st["articles"] if a["id"] == row.id][0]["languages"]
            for lang in demo.languages:
                for s in review.STATES:
                    assert row.langs[lang][s] == want[lang][s]
        assert screen.dash.total["en"]["approved"] == st["total"]["en"]["approved"]
        oita = [r for r in screen.rows if r.id == OITA][0]
        assert oita.title == "大分県知事がサンフランシスコ・ベイエリアを訪問"
        assert oita.issue == "2026-02"
        assert oita.errors > 0  # the seeded "In November" drops the year: a numbers error
        # sort by errors, then filter to articles with errors
        await pilot.press("o", "o", "o")
        assert screen.sort == "errors"
        assert screen.visible_rows()[0].errors == max(r.errors for r in screen.rows)
        await pilot.press("f", "f")
        assert screen.filter == "with errors"
        assert all(r.errors for r in screen.visible_rows())
        await pilot.press("escape")
        assert screen.filter == "all" and len(screen.visible_rows()) == len(demo.article_ids())


@pytest.mark.asyncio
async def test_dashboard_follows_changes_on_disk(demo):
    app = L10nApp(demo, user=USER, poll_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        before = [r for r in screen.rows if r.id == OITA][0].langs["en"]["approved"]
        e = entry(demo, "en", 3)
        actions.approve(demo, OITA, "en", "Someone Else", keys=[e.key])  # another process
        await pilot.pause(0.4)
        await settle(pilot)
        after = [r for r in screen.rows if r.id == OITA][0].langs["en"]["approved"]
        assert after == before + 1
        assert screen.dash.total["en"]["approved"] == status(demo)["total"]["en"]["approved"]


@pytest.mark.asyncio
async def test_the_mouse_opens_an_article_and_the_editor(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.query_one("#articles")
        y = rows.index_of(OITA) + 1  # below the header line
        await pilot.click("#articles", offset=(20, y))
        await pilot.click("#articles", offset=(20, y))  # a second click on the same row opens it
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == OITA
        await pilot.click("#entries", offset=(20, 3))  # the third entry
        assert screen.current().key == screen.view.entries[2].key
        await pilot.click("#target")
        assert screen.editing()
        await pilot.press(*"!")
        assert "!" in screen.query_one("#target").text


@pytest.mark.asyncio
async def test_open_an_article_by_searching_and_go_back(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"oita", "enter")
        assert [r.id for r in app.screen.visible_rows()] == [OITA]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.article_id == OITA and screen.lang == "en"
        # the cursor starts on the first entry that needs work
        assert review.state(screen.current()) != review.APPROVED
        assert len(screen.shown) == len(screen.view.entries)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


# =========================================================================== actions

@pytest.mark.asyncio
async def test_approve_with_a(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)  # a DeepL draft
        assert review.state(entry(demo, "en", 3)) == review.DRAFT
        await pilot.press("a")
        e = entry(demo, "en", 3)
        assert review.state(e) == review.APPROVED
        assert review.approval(e).reviewer == USER
        assert review.state(screen.view.entries[2]) == review.APPROVED
        agrees_with_status(app, demo, OITA, "en")
        # u undoes it, on disk too
        await pilot.press("u")
        assert review.state(entry(demo, "en", 3)) == review.DRAFT
        agrees_with_status(app, demo, OITA, "en")


@pytest.mark.asyncio
async def test_approve_refused_by_the_checks_asks_for_a_reason(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 6)  # translated, but the year is missing: an error finding
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert review.state(entry(demo, "en", 6)) == review.TRANSLATED
        await pilot.press(*"on purpose", "enter")
        await pilot.pause()
        e = entry(demo, "en", 6)
        assert review.state(e) == review.APPROVED
        assert review.override(e) == "on purpose"
        agrees_with_status(app, demo, OITA, "en")


@pytest.mark.asyncio
async def test_edit_and_save_with_ctrl_s(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)  # untranslated
        await pilot.press("enter")
        assert screen.editing()
        text = "A tech hub."
        await pilot.press(*text)
        await pilot.pause()
        assert screen.session.edit(OITA, "en", screen.view.entries[7].key).text == text
        assert entry(demo, "en", 8).msgstr == ""  # nothing written before ctrl+s
        await pilot.press("ctrl+s")
        await pilot.pause()
        e = entry(demo, "en", 8)
        assert e.msgstr == text
        assert review.state(e) == review.TRANSLATED
        assert review.last_translator(e) == USER
        assert not screen.session.edits
        # it moved on to the next entry to translate, back in the list: the next key is a
        # command, not text typed into that entry
        assert screen.current().key == screen.view.entries[8].key
        assert not screen.editing()
        agrees_with_status(app, demo, OITA, "en")


@pytest.mark.asyncio
async def test_ctrl_s_on_a_draft_confirms_it_as_translated(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 7)
        before = entry(demo, "en", 7)
        await pilot.press("ctrl+s")
        e = entry(demo, "en", 7)
        assert e.msgstr == before.msgstr and review.state(e) == review.TRANSLATED
        agrees_with_status(app, demo, OITA, "en")


@pytest.mark.asyncio
async def test_reject_with_a_note(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 2)  # translated
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"full title", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        e = entry(demo, "en", 2)
        assert review.state(e) == review.DRAFT
        when, who, note = review.rejection(e)
        assert (who, note) == (USER, "full title")
        agrees_with_status(app, demo, OITA, "en")
        # escape in the modal cancels: nothing written
        await goto(pilot, screen, 3)
        before = entry(demo, "en", 3)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert entry(demo, "en", 3) == before


@pytest.mark.asyncio
async def test_take_a_memory_suggestion_with_1(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await settle(pilot)  # the memory loads in a worker
        await goto(pilot, screen, 4)
        sugg = screen.session.suggestions("en", screen.current())
        assert sugg and sugg[0].target.startswith("Dishes made with ingredients")
        await pilot.press("1")
        e = entry(demo, "en", 4)
        assert e.msgstr == sugg[0].target
        assert review.state(e) == review.DRAFT
        o = review.origin(e)
        assert o.engine == "memory" and o.score == round(sugg[0].score)
        assert screen.query_one("#target").text == sugg[0].target
        agrees_with_status(app, demo, OITA, "en")


@pytest.mark.asyncio
async def test_next_and_previous_skip_approved_entries(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 15)
        await pilot.press("n")  # 16 is approved: skipped
        assert screen.view.index_of(screen.current().key) == 16
        await pilot.press("p", "p")
        assert screen.view.index_of(screen.current().key) == 13


@pytest.mark.asyncio
async def test_switch_language_with_l(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 4)
        await pilot.press("l")
        assert screen.lang == "ko" and app.lang == "ko"
        assert screen.current().key == screen.view.entries[3].key  # same entry, other language
        assert screen.query_one("#target").text == entry(demo, "ko", 4).msgstr
        await pilot.press("a")
        assert review.state(entry(demo, "ko", 4)) == review.APPROVED
        assert review.state(entry(demo, "en", 4)) == review.DRAFT
        agrees_with_status(app, demo, OITA, "ko")
        await pilot.press("l")
        assert screen.lang == "es"
        await pilot.press("l")
        assert screen.lang == "en"


@pytest.mark.asyncio
async def test_search_filters_the_entries(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await pilot.press("slash", *"ブース")
        await pilot.pause()
        want = [e for e in screen.view.entries if "ブース" in e.msgid or "ブース" in e.msgstr]
        assert 1 < len(want) < len(screen.view.entries)
        assert screen.shown == want
        await pilot.press("escape")
        assert len(screen.shown) == len(screen.view.entries)


@pytest.mark.asyncio
async def test_sync_from_the_tui_brings_deepl_drafts(demo, deepl_server, deepl_fast_retries,
                                                     monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", deepl_server.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        assert entry(demo, "en", 8).msgstr == ""
        await pilot.press("s")
        await settle(pilot)
        await settle(pilot)
        assert app.sync_state is None
        e = entry(demo, "en", 8)
        assert review.state(e) == review.DRAFT and review.origin(e).engine == "deepl"
        assert e.msgstr.startswith("[EN-US]")
        # the open screen reloaded: the draft is in the list and in the editor
        assert screen.view.entries[7].msgstr == e.msgstr
        assert screen.query_one("#target").text == e.msgstr
        assert deepl_server.auth_key not in screen.query_one("#status").message
        for lang in demo.languages:
            agrees_with_status(app, demo, OITA, lang)
        assert status(demo)["total"]["en"]["untranslated"] == 0


@pytest.mark.asyncio
async def test_sync_failure_is_reported_and_keeps_working(demo, deepl_server, deepl_fast_retries,
                                                          monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", "wrong-key")
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await settle(pilot)
        bar = app.screen.query_one("#status").message
        assert "sync stopped" in bar and "wrong-key" not in bar
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.asyncio
async def test_keys_typed_fast_land_where_the_first_key_sent_them(demo):
    """A burst of keys (a fast typist, a paste, a slow SSH link): "enter" then "abc" is
    text in the editor, not "approve"; "/" then "oita" is a search, not "sort"."""
    from textual import events

    def burst(app, keys_):
        for k in keys_:
            app.post_message(events.Key(k, {"slash": "/", "enter": "\r"}.get(k, k)))

    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, ["slash", "o", "i", "t", "a"])
        await pilot.pause(0.2)
        assert app.screen.search == "oita" and app.screen.sort == "issue"
        await pilot.press("enter", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await goto(pilot, screen, 3)
        burst(app, ["enter", "a", "b", "c"])
        await pilot.pause(0.2)
        assert screen.query_one("#target").text == "Governor Sato meeting Mayor Lurieabc"
        assert review.state(entry(demo, "en", 3)) == review.DRAFT  # "a" did not approve


# =========================================================================== never lose an edit

@pytest.mark.asyncio
async def test_catalog_changed_on_disk_while_editing(demo):
    """Another translator saves two entries while an edit is open: the other entry shows
    up, the open edit stays, the user sees both versions and chooses; nothing is lost."""
    app = L10nApp(demo, user=USER, poll_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("enter", "ctrl+e", *" (me)")
        await pilot.pause()
        mine = "Governor Sato meeting Mayor Lurie (me)"
        assert screen.query_one("#target").text == mine
        key3 = screen.view.entries[2].key
        key7 = screen.view.entries[6].key
        seen3 = screen.view.entries[2].msgstr
        # someone else, through the core, as another process would
        actions.save_translation(demo, OITA, "en", key7, "Their version of seven.", "Other Person")
        actions.save_translation(demo, OITA, "en", key3, "Their version of three.", "Other Person",
                                 expect=seen3)
        await pilot.pause(0.3)
        await pilot.pause()
        # reloaded: their change to entry 7 is in the list
        assert screen.view.entries[6].msgstr == "Their version of seven."
        # the open edit is still there; the conflict on entry 3 waits while one types,
        # and is shown on leaving the editor
        assert not isinstance(app.screen, ConflictScreen)
        assert "changed this entry on disk while you type" in screen.query_one("#status").message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert app.screen.theirs == "Their version of three." and app.screen.mine == mine
        assert screen.session.edit(OITA, "en", key3).text == mine
        await pilot.press("m")  # keep mine
        await pilot.pause()
        assert screen.query_one("#target").text == mine
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert entry(demo, "en", 3).msgstr == mine
        assert entry(demo, "en", 7).msgstr == "Their version of seven."  # not overwritten
        agrees_with_status(app, demo, OITA, "en")


@pytest.mark.asyncio
async def test_take_theirs_drops_the_edit(demo):
    app = L10nApp(demo, user=USER, poll_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("enter", *"xyz")
        key3 = screen.view.entries[2].key
        actions.save_translation(demo, OITA, "en", key3, "Theirs.", "Other Person")
        await pilot.pause(0.3)
        await pilot.pause()
        await pilot.press("escape")  # (not while typing: see test_tui_trial)
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("t")
        await pilot.pause()
        assert screen.query_one("#target").text == "Theirs."
        assert screen.session.edit(OITA, "en", key3) is None
        assert entry(demo, "en", 3).msgstr == "Theirs."


@pytest.mark.asyncio
async def test_save_never_overwrites_a_change_it_has_not_seen(demo):
    """No poll in between: the save itself is refused (expect=) and the conflict shown."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("enter", "ctrl+e", *" (mine)")
        key3 = screen.view.entries[2].key
        actions.save_translation(demo, OITA, "en", key3, "Theirs, saved first.", "Other Person")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert entry(demo, "en", 3).msgstr == "Theirs, saved first."
        assert isinstance(app.screen, ConflictScreen)
        assert screen.session.edit(OITA, "en", key3).text.endswith("(mine)")


@pytest.mark.asyncio
async def test_approve_refuses_what_the_reviewer_has_not_seen(demo):
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        key3 = screen.view.entries[2].key
        actions.save_translation(demo, OITA, "en", key3, "Changed behind your back.", "Other Person")
        await pilot.press("a")
        e = entry(demo, "en", 3)
        assert review.state(e) == review.TRANSLATED  # not approved: the reviewer saw other text
        assert "changed" in screen.query_one("#status").message
        assert screen.view.entries[2].msgstr == "Changed behind your back."  # reloaded


@pytest.mark.asyncio
async def test_unsaved_edits_survive_quitting_and_come_back(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await pilot.press("enter", *"half-done")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("q")
        await pilot.pause()
    assert entry(demo, "en", 8).msgstr == ""
    journal = json.loads(app.session.journal_path.read_text("utf-8"))
    assert journal["edits"][0]["text"] == "half-done" and journal["user"] == USER

    app2 = L10nApp(Project(demo.root), user=USER)
    async with app2.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        assert screen.query_one("#target").text == "half-done"
        await pilot.press("ctrl+s")
        assert entry(demo, "en", 8).msgstr == "half-done"


@pytest.mark.asyncio
async def test_moving_away_keeps_the_edit(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 9)
        await pilot.press("enter", *"Meeting", "escape")
        await pilot.press("down", "l", "l", "l")  # move, switch languages and back
        await goto(pilot, screen, 9)
        assert screen.query_one("#target").text == "Meeting"
        await pilot.press("escape")  # back to the dashboard and in again
        screen = await open_oita(pilot)
        await goto(pilot, screen, 9)
        assert screen.query_one("#target").text == "Meeting"


@pytest.mark.asyncio
async def test_undo_a_save_puts_the_text_back_in_the_editor(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 9)
        await pilot.press("enter", *"Talks", "ctrl+s")  # saved, back in the list
        await pilot.pause()
        from l10n.tui.modals import ConfirmScreen

        assert isinstance(app.screen, ConfirmScreen)  # its error findings are confirmed first
        await pilot.press("y")
        await settle(pilot)
        assert entry(demo, "en", 9).msgstr == "Talks"
        await pilot.press("u")
        assert entry(demo, "en", 9).msgstr == ""
        await goto(pilot, screen, 9)
        assert screen.query_one("#target").text == "Talks"
        agrees_with_status(app, demo, OITA, "en")


# =========================================================================== identity, keys, palette

@pytest.mark.asyncio
async def test_asks_for_a_name_once_when_none_is_configured(demo):
    app = L10nApp(demo)  # no --as, no L10N_USER, no git user (conftest)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Mika", "enter")
        await pilot.pause()
        assert review.approval(entry(demo, "en", 3)).reviewer == "Mika"
        await goto(pilot, screen, 5)
        await pilot.press("a")  # no second question
        assert review.approval(entry(demo, "en", 5)).reviewer == "Mika"


def test_one_key_registry_feeds_bindings_footer_and_help():
    from l10n.tui.modals import HelpScreen as _Help  # noqa: F401

    ids = {a.id for a in keys.ACTIONS}
    for needed in ("open", "edit", "back", "leave_editor", "save", "approve", "reject", "next",
                   "prev", "take(1)", "take(2)", "take(3)", "undo", "search", "switch_lang",
                   "sync", "quit", "help"):
        assert needed in ids
    by_id = {a.id: a.key for a in keys.ACTIONS}
    assert by_id["approve"] == "a" and by_id["reject"] == "r" and by_id["save"] == "ctrl+s"
    assert by_id["next"] == "n" and by_id["prev"] == "p" and by_id["quit"] == "ctrl+q"
    assert by_id["search"] == "slash" and by_id["help"] == "question_mark"
    for screen, ctxs in ((ArticleScreen, ("article", "editor")), (DashboardScreen, ("dashboard",)),
                         (L10nApp, ("app",))):
        got = {(b.key, b.action) for b in screen.BINDINGS}
        want = {(a.key, a.id) for a in keys.ACTIONS if any(c in a.screens for c in ctxs)}
        assert got == want
    rows = [k for _, rs in keys.help_rows() for k, _ in rs]
    for a in keys.ACTIONS:
        if not a.grouped:  # shown as 1-3, n/p, shift+↓/↑
            assert a.key_display in rows


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_the_footer_fits_its_width_and_always_offers_help(demo, size):
    """At 80 columns the article's footer ran past the edge and cut the help key off
    ("esc bac…"): the keys that do not fit are left out whole, "? help" stays, and
    clicking it still opens the help."""
    from l10n.tui.widgets import KeyBar

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        bar = screen.query_one(KeyBar)
        shown = bar.render_line(0).text.strip()
        assert "…" not in shown and shown.endswith("? help"), shown
        every = [f"{keys.display(a)} {a.description}" for a in bar.current()]
        kept = [k for k in every if k in shown]
        assert shown == "  ".join(kept)  # whole keys, in the registry's order
        if size == (100, 30):
            assert kept == every  # room for all of them
        else:
            assert "a approve" in kept and "^s save" in kept and len(kept) < len(every)
        x = 1 + shown.index("? help")  # the bar's left padding
        await pilot.click(KeyBar, offset=(x, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.asyncio
async def test_help_screen_lists_every_key(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("#help-text").content)
        for a in keys.ACTIONS:
            if not a.grouped:  # shown with 1, n, shift+↓
                assert (a.help or a.description) in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.asyncio
async def test_command_palette_finds_an_article(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"nara")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article_id == "2026-02/nara-diplomats-tour"


def test_the_cli_registers_tui(cli, demo, monkeypatch):
    import l10n.tui.app as tui_app

    seen = {}
    monkeypatch.setattr(tui_app, "run", lambda root, **kw: seen.update(root=root, **kw) or 0)
    r = cli("-C", str(demo.root), "tui", "--as", "Ann", "--lang", "ko", OITA)
    assert r.code == 0
    assert seen == {"root": demo.root, "user": "Ann", "lang": "ko", "article": OITA}


_PARALLEL_SYNC = """
import asyncio, sys
from pathlib import Path
from l10n.project import Project
from l10n.tui.app import L10nApp

async def main():
    app = L10nApp(Project(Path(sys.argv[1])), user="Tester", poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(2):
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.press("s")
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        print("STATUS:", app.screen.query_one("#status").message)
        print("SYNCING:", app.sync_state)

asyncio.run(main())
"""


def sync_every_article_in_a_fresh_python(demo, script: str, cwd):
    """Edit every article of `demo` (a re-merge of all of them), then run `script` with
    the project's root in a fresh interpreter, with worker processes forced
    (L10N_JOBS=2) and no DeepL key; it must exit 0."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    for f in (demo.root / "content").rglob("*.md"):
        f.write_text(f.read_text("utf-8").replace("。", "。追記しました。", 1), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEEPL_")}
    env.update(L10N_JOBS="2", PYTHONPATH=str(REPO))
    p = subprocess.run([sys.executable, "-c", script, str(demo.root)], env=env,
                       capture_output=True, text=True, timeout=300, cwd=cwd)
    assert p.returncode == 0, p.stderr[-3000:]
    return p


def test_a_large_sync_started_from_the_tui_runs_in_worker_processes(demo, tmp_path):
    """A re-merge big enough for worker processes (L10N_JOBS forces it), started from the
    TUI. Under Textual, sys.stderr is a print capture whose fileno() is -1, and every spawn
    used to fail with "bad value(s) in fds_to_keep". A fresh interpreter, so that no
    earlier test has started multiprocessing's resource tracker already."""
    p = sync_every_article_in_a_fresh_python(demo, _PARALLEL_SYNC, tmp_path)
    assert "SYNCING: None" in p.stdout, p.stdout
    assert "STATUS: sync done: 5 articles, 0 unchanged, 5 changed" in p.stdout, p.stdout
    for aid in demo.article_ids():
        for lang in demo.languages:
            assert any("追記しました" in e.msgid for e in po.read(demo.catalog_path(lang, aid)).active())


@pytest.mark.asyncio
async def test_the_dashboard_does_not_reload_every_second_while_a_sync_rewrites_catalogs(demo):
    """A sync may rewrite every catalog: a reload per poll took the CPU from it (a
    1,000-article re-merge from the TUI took 40 s instead of 22 s). During a sync the
    dashboard reloads every tenth poll, then once the sync is done."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        loads = []
        screen.load_stats = lambda force=True, **kw: loads.append(force)
        app.sync_state = (0, 5, "")
        for _ in range(20):
            app.poll_disk()
        assert len(loads) == 2
        app.sync_state = None
        app.poll_disk()
        assert len(loads) == 3
