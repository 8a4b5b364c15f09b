"""Keys take effect in the order they were typed (tui/key_order.py).

Each test sends its keys as a terminal hands over a burst: every key posted to the app
before any is handled (Pilot's `press` waits for the app between two keys, which hides
the bug). Before KeyOrder, a screen command (a priority binding) overtook the keys still
waiting in a widget's queue: the first seven tests failed without KeyOrder; the last
two test the gate itself.
"""
from __future__ import annotations

import pytest
from textual import events
from textual.widgets import TextArea

from l10n import review
from l10n.tui import key_order
from l10n.tui.app import L10nApp
from l10n.tui.article import ArticleScreen
from l10n.tui.modals import NoteScreen
from l10n.tui.rowlist import RowList
from tests.demo import OITA
from tests.test_tui import USER, entry, goto, open_oita, settle

SIZE = (100, 30)


def burst(app, *keys: str) -> None:
    """Post every key at once, as a burst read from the terminal."""
    for k in keys:
        app.post_message(events.Key(k, k if len(k) == 1 else None))


async def until(pilot, ok, seconds: float = 3.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if ok():
            return
        await pilot.pause(0.02)
    assert ok()


def two_to_review(screen: ArticleScreen) -> int:
    """The index of an entry that, like the next one, can be approved."""
    ents = screen.view.entries
    return next(i for i in range(len(ents) - 1)
                if review.state(ents[i]) in (review.DRAFT, review.TRANSLATED)
                and review.state(ents[i + 1]) in (review.DRAFT, review.TRANSLATED))


async def downs_then_enter(pilot, n: int) -> tuple[str, RowList]:
    """From the dashboard's first row, n downs and enter in one burst; returns, once an
    article is open, the id of the article n rows down and the dashboard's list."""
    app = pilot.app
    await settle(pilot)
    rows = app.screen.query_one(RowList)
    rows.move_cursor(0)
    await pilot.pause()
    want = rows.items[n].id
    burst(app, *["down"] * n, "enter")
    await until(pilot, lambda: isinstance(app.screen, ArticleScreen), seconds=5)
    await settle(pilot)
    return want, rows


@pytest.mark.asyncio
async def test_down_down_down_enter_opens_the_article_moved_to(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        want, rows = await downs_then_enter(pilot, 3)
        assert app.screen.article_id == want
        assert rows.cursor == 3
        # and the downs did not land in the article opened
        first = app.screen.query_one(RowList).cursor
        assert first == app.screen.view.entries.index(app.screen.current())


@pytest.mark.asyncio
async def test_search_typed_and_opened_in_one_burst_opens_the_article_found(demo):
    """"/oita enter enter" typed fast: before, the search text was still on its way to
    the search field when the second enter opened the article highlighted before it."""
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "slash", *"oita", "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await settle(pilot)
        assert app.screen.article_id == OITA


@pytest.mark.asyncio
async def test_down_then_approve_approves_the_entry_moved_to_not_the_one_before(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        i = two_to_review(screen)
        await goto(pilot, screen, i + 1)
        before = review.state(entry(demo, "en", i + 1))
        burst(app, "down", "a")
        await until(pilot, lambda: review.state(entry(demo, "en", i + 2)) == review.APPROVED)
        await settle(pilot)
        assert review.state(entry(demo, "en", i + 1)) == before != review.APPROVED


async def save_entry_8(pilot, send, *, editing: bool) -> ArticleScreen:
    """Oita's untranslated entry 8, in the editor if `editing`; `send(app)` posts a burst
    that ends in ctrl+s; returns once entry 8 is saved."""
    screen = await open_oita(pilot)
    await goto(pilot, screen, 8)
    if editing:
        await pilot.press("enter")
        await pilot.pause()
    send(pilot.app)
    await until(pilot, lambda: entry(screen.app.project, "en", 8).msgstr != "")
    await settle(pilot)
    return screen


@pytest.mark.asyncio
async def test_text_typed_then_ctrl_s_is_saved_whole_and_nothing_reaches_the_next_entry(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await save_entry_8(pilot, lambda app: burst(app, *"Tokyo", "backspace", "o", "ctrl+s"),
                                    editing=True)
        assert entry(demo, "en", 8).msgstr == "Tokyo"
        nxt = screen.current()
        assert nxt.key != entry(demo, "en", 8).key
        assert not screen.editing()
        assert screen.query_one(TextArea).text == nxt.msgstr  # the next entry, untouched
        assert not screen.session.edits


@pytest.mark.asyncio
async def test_enter_text_ctrl_s_in_one_burst_edits_and_saves_that_entry(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await save_entry_8(pilot, lambda app: burst(app, "enter", *"Kanra", "ctrl+s", "down"),
                                    editing=False)
        assert entry(demo, "en", 8).msgstr == "Kanra"
        assert not screen.session.edits


@pytest.mark.asyncio
async def test_a_paste_then_ctrl_s_saves_the_pasted_text(demo):
    def send(app):
        app.post_message(events.Paste("Oita Prefecture"))
        burst(app, "ctrl+s")

    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await save_entry_8(pilot, send, editing=True)
        assert entry(demo, "en", 8).msgstr == "Oita Prefecture"


@pytest.mark.asyncio
async def test_reject_a_typed_note_enter_and_down_go_through_the_dialog_in_order(demo, monkeypatch):
    """The note goes into the dialog the first key opened, enter submits it (the entry is
    rejected and the cursor advances, as at a human pace), then down moves on from there.
    Every marker comes back through the dialog: no key waits for KEY_WAIT."""
    overdue = []
    real = key_order.KeyOrder._keys_overdue

    async def spy(self):
        overdue.append(self._key_serial)
        await real(self)

    monkeypatch.setattr(key_order.KeyOrder, "_keys_overdue", spy)
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        i = two_to_review(screen)
        await goto(pilot, screen, i + 1)
        rows = screen.query_one(RowList)
        burst(app, "r", *"fix", "enter", "down")
        await until(pilot, lambda: app.screen is screen and rows.cursor == i + 2)
        await pilot.pause(2 * key_order.KEY_WAIT)
        assert rows.cursor == i + 2 and not isinstance(app.screen, NoteScreen)
        rejected = entry(demo, "en", i + 1)
        assert review.state(rejected) == review.DRAFT
        assert any("fix" in c for c in rejected.comments), rejected.comments
        assert overdue == []


@pytest.mark.asyncio
async def test_a_lost_marker_delays_the_next_keys_never_drops_them(demo, monkeypatch):
    """An attack on the gate itself: every marker is swallowed on its way (as when the
    widget a key went to is removed before handling it). The keys that wait are let
    through, in order, after KEY_WAIT."""
    async def swallow(self, message):
        message.stop()

    monkeypatch.setattr(key_order.KeyOrder, "on_key_passed", swallow)
    monkeypatch.setattr(key_order, "KEY_WAIT", 0.2)
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        want, _rows = await downs_then_enter(pilot, 2)
        assert app.screen.article_id == want
        assert not app._keys_waiting


@pytest.mark.asyncio
async def test_keys_at_a_human_pace_never_wait(demo):
    """One key at a time: its marker is back before the next key, so no key is held and
    no timer is started."""
    app = L10nApp(demo, user=USER)
    held = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        for k in ("down", "up", "enter", "x", "escape", "down"):
            await pilot.press(k)
            await pilot.pause()
            held.append((app._key_serial, len(app._keys_waiting), app._key_timer))
    assert held == [(0, 0, None)] * 6
