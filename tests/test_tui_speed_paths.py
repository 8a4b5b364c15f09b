"""What the TUI does to answer a key quickly (issue 15's latency benchmark) must not
change what it shows: the reused article screen, the memory suggestions that arrive from
a worker, and the dashboard's Tally, which recounts only what changed and spreads a cold
recount over processes. Each test attacks one of those shortcuts."""
from __future__ import annotations

import os
import shutil

import pytest
from textual.widgets import Input, Static, TextArea

from l10n import dashboard as core
from l10n import review
from l10n.errors import L10nError
from l10n.quality import entry_findings
from l10n.status import status
from l10n.tui.app import L10nApp
from l10n.tui.dashboard import DashboardScreen
from tests.demo import OITA
from tests.test_tui import USER, goto, open_oita, plain, settle

SIZE = (100, 30)
OTHER = "2026-02/nara-diplomats-tour"


# ============================================================ the reused article screen

@pytest.mark.asyncio
async def test_a_reused_article_screen_shows_the_new_article_and_forgets_the_old_ones_state(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        first = await open_oita(pilot)
        await pilot.press("f")  # state filter: to translate
        await pilot.press("slash", *"Oita", "enter")  # a search, kept
        assert first.state_filter != "all" and first.search == "Oita"
        await pilot.press("enter", *"half-typed")  # an unsaved edit in the editor
        await pilot.pause()
        await pilot.press("escape", "escape", "escape")  # the editor, the search, the article
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)

        second = await open_oita(pilot, OTHER)
        assert second is first  # the same widgets: nothing to mount
        assert second.article_id == OTHER and second.view.article_id == OTHER
        assert second.state_filter == "all" and second.search == ""
        assert second.query_one("#entry-search", Input).has_class("hidden")
        ids = {e.key for e in second.view.entries}
        shown = second.query_one("#entries").items
        assert len(shown) == len(second.view.entries) and {e.key for e in shown} == ids
        # the editor shows this article's entry, not the other's half-typed text
        bound = second.view.get(second.bound)
        assert second.query_one(TextArea).text == bound.msgstr
        assert bound.msgid in plain(second.query_one("#source", Static).content)
        assert OTHER.split("/")[1] not in OITA
        # the half-typed edit of the first article was kept, as leaving it always does
        assert any(a == OITA for a, _, _ in app.session.edits)


@pytest.mark.asyncio
async def test_an_article_opened_from_the_palette_on_the_article_screen_replaces_it(demo):
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_oita(pilot)
        depth = len(app.screen_stack)
        app.open_article(OTHER)
        await settle(pilot)
        assert app.screen is screen and len(app.screen_stack) == depth
        assert screen.article_id == OTHER
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


# ============================================================ suggestions from a worker

@pytest.mark.asyncio
async def test_memory_suggestions_arrive_after_the_entry_and_never_for_the_wrong_one(demo, monkeypatch):
    """The entry is shown at once with "searching…"; the worker's answer is drawn only
    if that entry is still the one shown (moving on meanwhile must not paint the old
    entry's suggestions beside the new one)."""
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 6)  # has a memory match
        await settle(pilot)
        side = lambda: plain(screen.query_one("#side-text", Static).content)  # noqa: E731
        assert "searching" not in side()
        e6 = screen.view.entries[5]
        found = app.session.known_suggestions("en", e6)
        assert found, "entry 6 has a memory suggestion"
        assert f"{int(round(found[0].score))}%" in side()

        # forget what was found: the next bind must search again, in a worker
        app.session._suggested.clear()
        searched = []
        real = app.session.suggestions

        def slow(lang, e, limit=3):
            searched.append(e.key)
            return real(lang, e, limit)

        monkeypatch.setattr(app.session, "suggestions", slow)
        screen.move_to(6)  # entry 7, bound at once
        assert "searching" in side()  # drawn before the search ran
        await settle(pilot)
        assert "searching" not in side()
        assert searched == [screen.view.entries[6].key]

        # an answer for an entry no longer shown is dropped
        from l10n.tui.messages import SuggestionsFound

        before = side()
        screen.post_message(SuggestionsFound("en", screen.view.entries[0].key))
        await settle(pilot)
        assert side() == before


@pytest.mark.asyncio
async def test_a_saved_translation_is_suggested_at_once_not_the_stale_list(demo):
    """Suggestions found are remembered until the memory changes: a save teaches the
    memory, so what was found before must be searched again."""
    app = L10nApp(demo, user=USER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 8)
        await settle(pilot)
        e8 = screen.view.entries[7]
        assert app.session.known_suggestions("en", e8) is not None
        await pilot.press("enter", *"Tokyo tech hub", "ctrl+s")
        await settle(pilot)
        assert app.session.known_suggestions("en", e8) is None  # forgotten: the memory learnt


# ============================================================ the dashboard's Tally

def _many(project, copies: int) -> list[str]:
    """Copies of the sample's articles and catalogs (same text, new ids)."""
    made = []
    src_ids = project.article_ids()
    for i in range(copies):
        for aid in src_ids:
            issue, name = aid.split("/")
            new = f"{issue}/{name}-{i:03d}"
            shutil.copy(project.content_dir / f"{aid}.md", project.content_dir / f"{new}.md")
            for lang in project.languages:
                src = project.catalog_path(lang, aid)
                if src.exists():
                    shutil.copy(src, project.locales_dir / lang / f"{new}.po")
            made.append(new)
    return made


def _expected_errors(project) -> dict[str, int]:
    from l10n import catalog as po

    out = {}
    for aid in project.article_ids():
        n = 0
        for lang in project.languages:
            path = project.catalog_path(lang, aid)
            if path.exists():
                n += sum(1 for e in po.read(path).active() if e.msgstr
                         for f in entry_findings(project, lang, e) if f.severity == "error")
        out[aid] = n
    return out


def test_a_cold_tally_over_processes_agrees_with_status_and_the_checks(demo, monkeypatch):
    from l10n.project import Project

    _many(demo, 8)
    project = Project(demo.root)
    monkeypatch.setattr(core, "PARALLEL_MIN", 10)
    calls = []
    real = core.Tally._measure

    def spy(self, todo, with_errors, jobs, counted, **kw):
        calls.append((len(todo), core._jobs(len(todo), jobs)))
        return real(self, todo, with_errors, jobs, counted, **kw)

    monkeypatch.setattr(core.Tally, "_measure", spy)
    dash = core.Tally(project).refresh(with_errors=False, jobs=2)
    assert calls and calls[0][1] == 2  # spread over two processes
    assert dash.errors_complete  # a cold start counts the errors as it parses
    st = status(project)
    assert {a["id"]: a["languages"] for a in st["articles"]} == {r.id: r.langs for r in dash.rows}
    assert dash.total == st["total"]
    want = _expected_errors(project)
    assert {r.id: r.errors for r in dash.rows} == want
    assert dash.errors == sum(want.values()) > 0


def test_a_tally_recounts_a_catalog_replaced_with_the_same_size_and_time(demo):
    tally = core.Tally(demo)
    before = {r.id: r for r in tally.refresh(with_errors=True).rows}
    path = demo.catalog_path("en", OITA)
    st = os.stat(path)
    from l10n import catalog as po

    cat = po.read(path)
    e = [x for x in cat.active() if review.state(x) == review.APPROVED][0]
    e.msgstr = e.msgstr.replace(e.msgstr[:1], e.msgstr[:1].swapcase(), 1)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(po.serialize(cat))
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, path)  # a new inode; size and time may well be the same
    after = {r.id: r for r in tally.refresh(with_errors=True).rows}
    assert after[OITA].langs["en"][review.APPROVED] == before[OITA].langs["en"][review.APPROVED] - 1
    assert after[OITA].langs["en"][review.TRANSLATED] == before[OITA].langs["en"][review.TRANSLATED] + 1


def test_a_broken_catalog_in_a_cold_tally_is_named_and_the_others_are_kept(demo, monkeypatch):
    from l10n.project import Project

    _many(demo, 6)
    project = Project(demo.root)
    broken = project.catalog_path("ko", OITA)
    broken.write_text(broken.read_text("utf-8") + '\nmsgid "x"\nmsgstr "y"\nmsgstr[0] "z"\n', "utf-8")
    monkeypatch.setattr(core, "PARALLEL_MIN", 10)
    tally = core.Tally(project)
    dash = tally.refresh(with_errors=True, jobs=2)
    [exc] = dash.broken
    assert isinstance(exc, L10nError)
    assert exc.path.endswith("ko/2026-02/oita-bay-area.po") and exc.line
    # what could be counted was kept: a second refresh only meets the broken one again
    counted = sum(1 for rel in tally.counts if "/ko/" in rel)
    assert counted == len(project.article_ids()) - 1


@pytest.mark.asyncio
async def test_back_on_the_dashboard_the_article_just_left_is_counted_at_once_the_rest_at_the_next_poll(demo):
    """Coming back looks at the visited article's files only (a few stats, not a few
    thousand); a change elsewhere, by another process meanwhile, is not lost: the next
    poll finds it."""
    from l10n import actions

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dash = app.screen
        row = lambda aid: [r for r in dash.rows if r.id == aid][0]  # noqa: E731
        before_oita = row(OITA).langs["en"][review.APPROVED]
        before_other = row(OTHER).langs["en"][review.TRANSLATED]
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)  # a draft without findings
        await pilot.press("a")
        await settle(pilot)
        assert review.state(screen.view.entries[2]) == review.APPROVED
        # meanwhile another process saves a translation in another article
        from l10n import catalog as po

        e = [x for x in po.read(demo.catalog_path("en", OTHER)).active() if not x.msgstr][0]
        actions.save_translation(demo, OTHER, "en", e.key, "Nara welcomes diplomats", "Someone Else")
        calls = []
        real = core.Tally.refresh
        core.Tally.refresh = lambda self, **kw: calls.append(kw.get("articles")) or real(self, **kw)
        try:
            await pilot.press("escape")
            await settle(pilot)
            assert calls == [[OITA]]  # only the article just left
            assert row(OITA).langs["en"][review.APPROVED] == before_oita + 1
            assert row(OTHER).langs["en"][review.TRANSLATED] == before_other  # not looked at yet
            dash.load_stats(force=True)  # the next poll
            await settle(pilot)
            assert row(OTHER).langs["en"][review.TRANSLATED] == before_other + 1
        finally:
            core.Tally.refresh = real


def test_a_poll_that_stats_known_folders_by_name_still_sees_every_change(demo):
    """tree_fingerprint with its memory of folders: a new folder deep inside, a folder
    removed, a catalog replaced in a known folder, the glossary appearing: each one
    changes the fingerprint (what makes the dashboard look), and nothing else does."""
    import time as _time

    known: dict = {}

    def changed() -> bool:
        before = known.get("fingerprint")
        _time.sleep(0.01)  # distinct modification times on coarse clocks
        return core.tree_fingerprint(demo, known) != before

    core.tree_fingerprint(demo, known)
    assert not changed()
    (demo.content_dir / "2026-03" / "deep").mkdir(parents=True)  # a new issue folder
    assert changed()
    (demo.content_dir / "2026-03" / "deep" / "x.md").write_text("---\ntitle: x\n---\n", "utf-8")
    assert changed()  # inside the folder found by the last walk
    assert not changed()
    path = demo.catalog_path("en", OITA)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(path.read_bytes())
    os.replace(tmp, path)  # an atomic rewrite, as every writer does
    assert changed()
    shutil.rmtree(demo.content_dir / "2026-03")
    assert changed()
    glossary = demo.glossary_path()
    if glossary.exists():
        glossary.unlink()
        assert changed()
    glossary.write_text("terms: []\n", "utf-8")
    assert changed()
    assert not changed()


@pytest.mark.asyncio
async def test_an_edit_in_place_is_found_by_the_polls_within_ten_of_them(demo):
    """Each poll stats one tenth of the files: a catalog rewritten in place (its folder's
    time put back) is found within ten polls, and polls that find nothing recount
    nothing."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dash = app.screen
        calls = []
        real = core.Tally.refresh
        core.Tally.refresh = lambda self, **kw: calls.append(1) or real(self, **kw)
        try:
            for _ in range(core.FILE_PARTS):
                dash.poll_disk()
                await settle(pilot)
            assert calls == []
            path = demo.catalog_path("en", OITA)
            d = os.stat(path.parent).st_mtime_ns
            from l10n import catalog as po

            before = [r for r in dash.rows if r.id == OITA][0].langs["en"][review.TRANSLATED]
            cat = po.read(path)
            e = [x for x in cat.active() if not x.msgstr][0]
            review.set_translation(e, "Edited in place", "Someone Else", "2026-02-03T09:00:00Z")
            with open(path, "r+b") as fh:
                fh.write(po.serialize(cat))
                fh.truncate()
            os.utime(path.parent, ns=(d, d))
            for _ in range(core.FILE_PARTS):
                dash.poll_disk()
                await settle(pilot)
            assert calls  # found, and recounted
            assert [r for r in dash.rows if r.id == OITA][0].langs["en"][review.TRANSLATED] == before + 1
        finally:
            core.Tally.refresh = real


def test_the_edit_journal_is_written_when_it_changes_and_when_someone_else_wrote_it(demo, monkeypatch):
    """Leaving an article or switching language saves the journal: a write with fsync
    each time, unless it already holds the same edits, as this session wrote them."""
    from l10n import workspace
    from l10n.session import Session

    writes = []
    real = workspace.write_cache
    monkeypatch.setattr(workspace, "write_cache", lambda *a, **kw: writes.append(1) or real(*a, **kw))
    s = Session(demo, USER)
    key = s.view(OITA, "en").entries[7].key
    s.set_edit(OITA, "en", key, "half-done", "")
    s.save_journal()
    s.save_journal()
    assert len(writes) == 1
    s.set_edit(OITA, "en", key, "half-done, more", "")
    s.save_journal()
    assert len(writes) == 2
    # another session (or a person) replaced the file: written again, with ours
    s.journal_path.write_text('{"version": 1, "edits": []}', "utf-8")
    s.save_journal()
    assert len(writes) == 3
    assert "half-done, more" in s.journal_path.read_text("utf-8")


@pytest.mark.asyncio
async def test_an_article_added_while_the_tui_runs_appears_at_the_next_poll(demo):
    """The TUI's project remembered the article ids it found at start: a new article
    (and its catalogs, from a sync in another terminal) never showed on the dashboard."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dash = app.screen
        n = len(dash.rows)
        new = "2026-03/new-article"
        (demo.content_dir / "2026-03").mkdir()
        shutil.copy(demo.content_dir / f"{OITA}.md", demo.content_dir / f"{new}.md")
        for lang in demo.languages:
            (demo.locales_dir / lang / "2026-03").mkdir()
            shutil.copy(demo.catalog_path(lang, OITA), demo.locales_dir / lang / f"{new}.po")
        dash.poll_disk()
        await settle(pilot)
        assert len(dash.rows) == n + 1
        row = [r for r in dash.rows if r.id == new][0]
        assert row.langs["en"] == [r for r in dash.rows if r.id == OITA][0].langs["en"]
        assert new in [r.id for r in dash.query_one("#articles").items]


def test_the_dashboards_caches_are_never_written_through_a_link_out_of_the_project(demo, tmp_path):
    """The Tally writes three caches under .l10n/: through the project's one door, so a
    cache file planted as a link to a file outside is refused, and that file is kept."""
    outside = tmp_path / "outside.json"
    outside.write_text("precious", "utf-8")
    demo.cache_dir  # noqa: B018 (made)
    link = demo.root / ".l10n" / core.FINDINGS_FILE
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    with pytest.raises(L10nError) as exc:
        core.Tally(type(demo)(demo.root)).refresh(with_errors=True)
    assert "outside the project" in str(exc.value)
    assert outside.read_text("utf-8") == "precious"
    assert link.is_symlink()
