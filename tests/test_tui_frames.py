"""What a key costs the screen (issue 15's latency): a move redraws what changed and
lays nothing out when no height changed; coming back to the dashboard recounts one
article without rebuilding a thousand rows or rewriting the caches; the frame rate the
TUI asks Textual for."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from textual.widgets import Static

from l10n import actions
from l10n import dashboard as core
from l10n.status import CACHE_FILE
from l10n.tui.app import L10nApp
from l10n.tui.rowlist import RowList
from tests.demo import OITA
from tests.test_tui import USER, goto, open_oita, settle

SIZE = (100, 30)


def _layouts_asked(monkeypatch) -> list[str]:
    """The ids of the widgets that ask for the screen to be laid out again (Textual's
    Layout message, counted as the screen receives it)."""
    from textual.screen import Screen

    asked: list[str] = []
    real = Screen._on_layout

    async def counted(self, message):
        asked.append(message.widget.id)
        return await real(self, message)

    monkeypatch.setattr(Screen, "_on_layout", counted)
    return asked


# ============================================================ moving in an article

@pytest.mark.asyncio
async def test_moving_between_entries_lays_the_screen_out_only_for_a_height_that_changed(demo, monkeypatch):
    """The side panel's findings and suggestions differ from entry to entry; while they
    fit, the panel keeps its height (padded to its box), and the source mostly keeps
    its own: a move redraws them in place instead of laying out every widget again (the
    editor, a Textual TextArea, may still ask for it when its text needs a scrollbar)."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        side, text = screen.query_one("#side"), screen.query_one("#side-text", Static)
        source = screen.query_one("#source", Static)
        asked = _layouts_asked(monkeypatch)
        quiet = 0
        for n in range(1, len(screen.view.entries) + 1):
            await goto(pilot, screen, n)
            await settle(pilot)
            height, shown = source.size.height, screen.current().key
            fitted = text.size.height == side.content_size.height
            del asked[:]
            await goto(pilot, screen, n % len(screen.view.entries) + 1)
            await settle(pilot)  # the memory search updates the panel once more
            assert screen.current().key != shown
            if text.size.height <= side.content_size.height:
                assert text.size.height == side.content_size.height  # fills its box
                if fitted and not [a for a in asked if a != "side-text"]:
                    # (a layout asked by another widget resizes every widget: then the
                    # panel's virtual size is set anew, and Textual asks once more)
                    assert "side-text" not in asked, f"entry {n}: the panel fits, as before"
                    quiet += 1
            if source.size.height == height:
                assert "source" not in asked, f"entry {n}: the source kept its height"
        assert quiet >= 3  # the sample has such moves: the assertion above was made


@pytest.mark.asyncio
async def test_a_side_panel_taller_than_its_box_still_scrolls_to_its_last_line(demo):
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_oita(pilot)
        side, text = screen.query_one("#side"), screen.query_one("#side-text", Static)
        tall = None
        for n in range(1, len(screen.view.entries) + 1):
            await goto(pilot, screen, n)
            await settle(pilot)
            if text.size.height > side.content_size.height:
                tall = n
                break
        assert tall is not None, "no entry of the sample overflows the side panel at 80x24"
        assert side.max_scroll_y == text.size.height - side.content_size.height > 0
        # and back on an entry that fits, the panel shrinks to its box again
        for n in range(1, len(screen.view.entries) + 1):
            await goto(pilot, screen, n)
            await settle(pilot)
            if text.size.height == side.content_size.height:
                assert side.max_scroll_y == 0
                return
        pytest.fail("no entry of the sample fits the side panel at 80x24")


@pytest.mark.asyncio
async def test_moving_the_cursor_redraws_the_two_rows_not_the_whole_list(demo):
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.query_one("#articles", RowList)
        assert len(rows.items) >= 4 and rows.scrollable_content_region.height > 4
        rows.move_cursor(1)
        await pilot.pause()
        drawn = []
        real = rows.render_line
        rows.render_line = lambda y: drawn.append(y) or real(y)
        try:
            await pilot.press("down")
            await pilot.pause()
        finally:
            del rows.render_line
        assert rows.cursor == 2
        assert sorted(set(drawn)) == [2, 3]  # lines 2 and 3: rows 1 and 2 (line 0 is the header)


# ============================================================ back on the dashboard

def _status_cache(project) -> bytes:
    return (project.cache_dir / CACHE_FILE).read_bytes()


def test_a_partial_refresh_gives_what_a_full_look_gives_and_leaves_the_caches_to_it(demo):
    """The article a person just left is recounted alone: its row is made again, every
    other row and the totals are the last refresh's, adjusted. The caches are written by
    the next full look; a process killed before that loses nothing but the cache's
    knowledge of that article, which the next start recounts."""
    from l10n.project import Project

    tally = core.Tally(demo)
    first = tally.refresh(with_errors=True)
    cached = _status_cache(demo)
    # a translation that misses the source's number: a new error
    from l10n.workspace import load_catalog

    cat = load_catalog(demo, demo.catalog_path("en", OITA))
    numbered = [e for e in cat.active() if any(c.isdigit() for c in e.msgid)]
    assert numbered, "the sample has an entry with a number"
    actions.save_translation(demo, OITA, "en", numbered[0].key, "No number here.", USER)
    partial = tally.refresh(with_errors=True, articles=[OITA])
    assert _status_cache(demo) == cached  # not written by the partial refresh
    shown = lambda d: ([(r.id, r.title, r.langs, r.errors) for r in d.rows],  # noqa: E731
                       d.total, d.errors, d.errors_complete)
    oita = [r for r in partial.rows if r.id == OITA][0]
    assert oita.errors > [r for r in first.rows if r.id == OITA][0].errors
    # the next full look makes every row from scratch, and writes the caches
    full = tally.refresh(with_errors=True)
    assert shown(partial) == shown(full)
    data = json.loads(_status_cache(demo))["catalogs"]
    assert data[demo.rel(demo.catalog_path("en", OITA))][1] == oita.langs["en"]
    # and a new start reads them: the same dashboard, nothing recounted
    fresh = core.Tally(Project(demo.root))
    real = fresh._measure

    def nothing_to_recount(todo, *args, **kwargs):
        assert not todo, f"recounted {todo}"
        return real(todo, *args, **kwargs)

    fresh._measure = nothing_to_recount
    assert shown(fresh.refresh(with_errors=True)) == shown(partial)


def test_a_partial_refresh_after_articles_came_makes_every_row_again(demo):
    """The reused rows belong to the same list of articles; one more article (found by
    a rescan) means a full build."""
    import shutil

    tally = core.Tally(demo)
    first = tally.refresh(with_errors=True)
    issue, name = OITA.split("/")
    new = f"{issue}/{name}-copy"
    shutil.copy(demo.content_dir / f"{OITA}.md", demo.content_dir / f"{new}.md")
    for lang in demo.languages:
        shutil.copy(demo.catalog_path(lang, OITA), demo.locales_dir / lang / f"{new}.po")
    demo.rescan_articles()
    dash = tally.refresh(with_errors=True, articles=[OITA])
    assert len(dash.rows) == len(first.rows) + 1
    row = [r for r in dash.rows if r.id == new][0]
    assert all(v.get("loading") for v in row.langs.values()) and row.errors is None
    assert not dash.errors_complete  # not counted yet: the next full look does it


def test_a_recounts_progress_makes_only_the_rows_counted_since_and_shows_what_a_full_build_shows(
        demo, monkeypatch):
    """A cold recount hands the screen what it knows every half second. Each such
    dashboard makes again only the rows of the articles counted since the one before
    (a thousand rows held the UI process's GIL for 17 ms each time), and is what a build
    of every row would give at that moment: rows, totals, error total."""
    monkeypatch.setattr(core, "PROGRESS_EVERY", 0)  # a dashboard after every catalog
    real = core.Tally._dashboard
    made: list[int] = []  # rows made by each progress dashboard

    def checked(self, ids, langs, keys, only=None, base=None):
        got = real(self, ids, langs, keys, only=only, base=base)
        made.append(len(ids) if only is None else len(only))
        assert got == real(self, ids, langs, keys)  # every row made from scratch
        return got

    monkeypatch.setattr(core.Tally, "_dashboard", checked)
    shown: list = []
    final = core.Tally(demo).refresh(with_errors=True, jobs=1, progress=shown.append)
    n = len(demo.article_ids())
    assert len(shown) == n * len(demo.languages)  # one per catalog counted
    assert made[0] == n and all(k == 1 for k in made[1:len(shown)]), made
    assert shown[-1] == final and final.errors_complete
    assert any(r.errors is None for r in shown[0].rows)  # the first: most still loading


@pytest.mark.asyncio
async def test_the_dashboard_keeps_an_old_error_count_in_its_own_rows_not_the_cores(demo):
    """While a row's errors are recounted the dashboard shows the count it had; it does
    so in copies, since the core reuses its rows for the next partial refresh."""
    from dataclasses import replace

    from l10n.tui.messages import StatsLoaded

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dash = app.screen
        had = {r.id: r.errors for r in dash.rows}
        assert had[OITA] is not None
        rows = [replace(r, errors=None) if r.id == OITA else r for r in dash.rows]
        msg = replace(dash.dash, rows=rows, errors_complete=False)
        dash.post_message(StatsLoaded(msg, False))
        await pilot.pause()
        assert [r for r in dash.rows if r.id == OITA][0].errors == had[OITA]  # shown
        assert [r for r in msg.rows if r.id == OITA][0].errors is None  # the core's: untouched


# ============================================================ the frame rate

@pytest.mark.asyncio
async def test_a_recounts_progress_is_left_aside_while_an_article_is_open(demo):
    """Progress of a recount is drawn when the dashboard is on screen; while an article
    is open it is left aside (the UI thread's time goes to the article), and the
    refresh's last message is applied either way."""
    from dataclasses import replace

    from l10n.tui.messages import StatsLoaded

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dash_screen = app.screen
        before = dash_screen.dash

        def retitled(title: str):
            return replace(before, rows=[replace(r, title=title) for r in before.rows])

        dash_screen.post_message(StatsLoaded(retitled("progress, seen"), False))
        await settle(pilot)
        assert {r.title for r in dash_screen.rows} == {"progress, seen"}
        await open_oita(pilot)
        dash_screen.post_message(StatsLoaded(retitled("progress, unseen"), False))
        await settle(pilot)
        assert {r.title for r in dash_screen.rows} == {"progress, seen"}
        await pilot.press("question_mark")  # the help over the article: still unseen
        await settle(pilot)
        assert app.screen.is_modal
        dash_screen.post_message(StatsLoaded(retitled("progress, under two screens"), False))
        await settle(pilot)
        assert {r.title for r in dash_screen.rows} == {"progress, seen"}
        dash_screen.post_message(StatsLoaded(retitled("the last one"), True))
        await settle(pilot)
        assert {r.title for r in dash_screen.rows} == {"the last one"}
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is dash_screen
        await pilot.press("question_mark")  # the help over the dashboard: seen behind it
        await settle(pilot)
        assert app.screen.is_modal
        dash_screen.post_message(StatsLoaded(retitled("progress, behind the help"), False))
        await settle(pilot)
        assert {r.title for r in dash_screen.rows} == {"progress, behind the help"}


def _max_fps(env: dict) -> str:
    code = "import l10n.tui.app; from textual import constants; print(constants.MAX_FPS)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_tui_asks_textual_for_120_frames_a_second_unless_the_user_set_a_rate():
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    assert _max_fps(env) == "120"
    assert _max_fps(dict(env, TEXTUAL_FPS="45")) == "45"


@pytest.mark.asyncio
async def test_after_a_resize_the_side_panel_fits_its_new_box(demo):
    """The padding that keeps the panel's height is the box's height: a terminal made
    smaller must not leave a panel padded to the old one (blank lines to scroll
    through), nor a larger one a panel shorter than its box."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_oita(pilot)
        side, text = screen.query_one("#side"), screen.query_one("#side-text", Static)
        await goto(pilot, screen, 2)
        await settle(pilot)
        ta = screen.query_one("#target")
        ta.move_cursor((0, 3))
        for size in ((100, 30), (110, 44)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            await pilot.pause(0.1)
            assert text.size.height == side.content_size.height, size
            assert side.max_scroll_y == 0
        assert ta.cursor_location == (0, 3)  # the editor is left as it was


# ============================================================ coming back to the article screen

def _looks(screen) -> list[tuple]:
    """How every widget of a screen is styled, as far as a frame shows it."""
    return [(type(n).__name__, n.id, n.display, n.visible, str(n.styles.background),
             str(n.styles.color), str(n.styles.border), str(n.styles.text_style), n.rich_style)
            for n in screen.walk_children(with_self=True)]


async def _restyles_on_open(pilot, monkeypatch, aid: str) -> tuple[int, object]:
    """Open `aid` from the dashboard; how often the article screen restyled every widget."""
    from l10n.tui.article import ArticleScreen

    calls = []
    real = ArticleScreen.update_node_styles

    def counted(self, *a, **k):
        calls.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(ArticleScreen, "update_node_styles", counted)
    try:
        screen = await open_oita(pilot, aid)
    finally:
        monkeypatch.setattr(ArticleScreen, "update_node_styles", real)
    return len(calls), screen


@pytest.mark.asyncio
async def test_an_article_screen_coming_back_is_styled_as_a_full_restyle_would_leave_it(demo, monkeypatch):
    """Textual restyles every widget of a screen that comes back (7 ms of each article
    opened); the article screen skips that while the app's look is the same: what
    changed while it was away (edit mode, the search box, another article) restyled
    itself. A full restyle afterwards changes nothing."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        other = next(aid for aid in demo.article_ids() if aid != OITA)
        screen = await open_oita(pilot)
        await pilot.press("enter")  # edit mode: the editor's frame changes its class
        await settle(pilot)
        assert screen.query_one("#editor-area").has_class("editing")
        await pilot.press("escape", "slash")  # back to the list, then the search box
        await settle(pilot)
        await pilot.press("escape", "escape")  # the search closed, back to the dashboard
        await settle(pilot)
        assert app.screen is not screen
        restyled, screen = await _restyles_on_open(pilot, monkeypatch, other)
        assert restyled == 0 and screen.article_id == other
        shown = _looks(screen)
        screen.update_node_styles(animate=False)
        await settle(pilot)
        assert _looks(screen) == shown

        # the app's look changed while the screen was away: the resume restyles it
        await pilot.press("escape")
        await settle(pilot)
        dark = str(screen.query_one("#entries").styles.background)
        app.theme = "textual-light"
        await settle(pilot)
        restyled, screen = await _restyles_on_open(pilot, monkeypatch, OITA)
        assert restyled == 1
        assert str(screen.query_one("#entries").styles.background) != dark
        shown = _looks(screen)
        screen.update_node_styles(animate=False)
        await settle(pilot)
        assert _looks(screen) == shown


# ============================================================ the garbage collector

async def _visits(demo, n: int) -> tuple[list[int], tuple]:
    """Collections per generation over `n` article visits, and the thresholds the app ran at."""
    import gc

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        during = gc.get_threshold()
        before = [g["collections"] for g in gc.get_stats()]
        for _ in range(n):
            screen = await open_oita(pilot)
            await goto(pilot, screen, 3)
            await pilot.press("escape")
            await settle(pilot)
        after = [g["collections"] for g in gc.get_stats()]
    return [a - b for a, b in zip(after, before)], during


@pytest.mark.asyncio
async def test_a_days_work_meets_few_collections_and_the_setting_is_put_back(demo, monkeypatch):
    """A full collection stops the TUI for 25-60 ms on a large archive, and young ones
    fell inside every frame (2 ms of each article opened): while the app runs they come
    every YOUNG_GC_EVERY allocations and FULL_GC_EVERY middle ones. The same visits
    with Python's own thresholds, for comparison."""
    import gc

    from l10n.tui import app as app_module

    before = gc.get_threshold()
    ours, during = await _visits(demo, 10)
    assert during == (app_module.YOUNG_GC_EVERY, before[1], app_module.FULL_GC_EVERY)
    assert gc.get_threshold() == before
    monkeypatch.setattr(app_module, "YOUNG_GC_EVERY", 700)
    monkeypatch.setattr(app_module, "FULL_GC_EVERY", 10)
    python, _ = await _visits(demo, 10)
    # (on the demo, ten visits: 175 young, 15 middle and 1 full collection at Python's
    # thresholds; 6, 0 and 0 at the app's)
    assert ours[0] * 5 <= python[0], (python, ours)  # young ones
    assert python[1] >= 5 and (ours[1] + ours[2]) * 5 <= python[1], (python, ours)  # older
    assert gc.get_threshold() == before


# ============================================================ the memory, shared with a search

def test_a_save_never_waits_for_a_search_that_holds_the_memory(demo, monkeypatch):
    """The first search in a language builds its fuzzy index (about a second on a large
    archive) while it holds the memory; a save on the UI thread used to wait for it to
    add its translation. Now the addition waits instead, and is made when the search is
    done; the search, older than the save, is asked again rather than remembered."""
    import threading

    from l10n.memory import TranslationMemory
    from l10n.session import Session

    session = Session(demo, user=USER)
    session.load_memory()
    view = session.view(OITA, "en")
    target = [e for e in view.entries if not e.msgstr][0]
    other = [e for e in view.entries if e.msgstr and e.key != target.key][0]
    searching, go_on = threading.Event(), threading.Event()
    real = TranslationMemory.suggest
    calls = []

    def slow(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            searching.set()
            assert go_on.wait(30)  # a first search, building the index
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TranslationMemory, "suggest", slow)
    found = []
    search = threading.Thread(target=lambda: found.append(session.suggestions("en", other)))
    search.start()
    assert searching.wait(30)
    saving = threading.Thread(target=session.save, args=(view, target.key, "Kanra Town, again"))
    saving.start()
    saving.join(10)
    try:
        assert not saving.is_alive(), "the save waited for the search"
    finally:
        go_on.set()
        search.join(30)
        saving.join(30)
    assert len(calls) == 2  # the search that met the save was made again
    assert found and session.known_suggestions("en", other) == found[0][:3]
    hit = session.memory.exact("en", target.msgid)
    assert hit is not None and hit.target == "Kanra Town, again"  # added once the search ended


def test_the_memory_is_indexed_before_it_is_used_and_a_quit_stops_that_between_languages(demo, monkeypatch):
    """No search made while a person works builds an index: load_memory builds every
    language's before it puts the memory in use. A quit (`stop`) ends that between two
    languages, and nothing is put in use."""
    from l10n.memory import TranslationMemory
    from l10n.session import Session

    prepared = []
    real = TranslationMemory.prepare
    monkeypatch.setattr(TranslationMemory, "prepare", lambda self, lang=None, **kw:
                        prepared.append(lang) or real(self, lang, **kw))
    session = Session(demo, user=USER)
    memory = session.load_memory()
    assert session.memory is memory and len(memory.languages()) >= 2
    assert sorted(prepared) == memory.languages()
    del prepared[:]
    again = Session(demo, user=USER)
    assert again.load_memory(stop=lambda: len(prepared) >= 1) is None
    assert len(prepared) == 1 and again.memory is None


def test_a_translation_saved_while_the_memory_loads_is_in_it_once_loaded(demo, monkeypatch):
    import threading

    from l10n.project_memory import ProjectMemory
    from l10n.session import Session

    session = Session(demo, user=USER)
    view = session.view(OITA, "en")
    target = [e for e in view.entries if not e.msgstr][0]
    read, go_on = threading.Event(), threading.Event()
    real = ProjectMemory.load

    def slow(self):
        tm = real(self)  # what the catalogs held before the save
        read.set()
        assert go_on.wait(30)
        return tm

    monkeypatch.setattr(ProjectMemory, "load", slow)
    loading = threading.Thread(target=session.load_memory)
    loading.start()
    assert read.wait(30)
    session.save(view, target.key, "Saved while the memory loaded")
    go_on.set()
    loading.join(30)
    hit = session.memory.exact("en", target.msgid)
    assert hit is not None and hit.target == "Saved while the memory loaded"


@pytest.mark.asyncio
async def test_the_memory_loads_once_the_dashboard_is_counted_before_any_article(demo):
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(100):
            if app.session.memory is not None:
                break
            await pilot.pause(0.05)
        assert app.session.memory is not None and len(app.session.memory) > 0
        assert type(app.screen).__name__ == "DashboardScreen"  # no article was opened


@pytest.mark.asyncio
async def test_the_first_article_and_the_first_dialog_parse_no_stylesheet_again(demo, monkeypatch):
    """Every screen's stylesheet is read at the start: showing a screen for the first time
    used to make Textual parse every stylesheet again and restyle every widget."""
    from textual.css.stylesheet import Stylesheet

    from l10n.tui.modals import HelpScreen

    reparsed = []
    real = Stylesheet.reparse

    def counted(self):
        reparsed.append(1)
        return real(self)

    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Stylesheet, "reparse", counted)
        await open_oita(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert reparsed == []
