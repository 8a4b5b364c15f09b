"""Snapshots of the TUI (pytest-textual-snapshot), at 100x30 and at the 80x24 minimum.

Deterministic: a copy of the sample in a fixed state (tests/demo.py, fixed times), no
clock on screen, no blinking cursor (off under test), workers waited for, no disk poll.
Update with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from l10n.project import Project
from l10n.tui.app import L10nApp
from l10n.tui.article import ArticleScreen
from tests.demo import OITA

REPO = Path(__file__).resolve().parent.parent
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


def make_app(project: Project, **kw) -> L10nApp:
    return L10nApp(project, user="Tess Tester", poll_interval=None, **kw)


async def settle(pilot) -> None:
    """Until the app is idle: workers done, and the memory search the article screen
    starts once the cursor rests (SUGGEST_DELAY) started and done too."""
    await pilot.pause()
    pending = getattr(pilot.app.screen, "suggestions_pending", None)
    while pending is not None and pending():
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def at_entry(n: int, *, lang_presses: int = 0, edit: bool = False):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.open_article(OITA)
        await settle(pilot)
        for _ in range(lang_presses):
            await pilot.press("l")
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen)
        screen.move_to(n - 1)
        await pilot.pause()
        if edit:
            await pilot.press("enter")
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_dashboard(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_article(snap_compare, demo, size):
    # entry 10: a draft whose Japanese source changed (diff shown), glossary terms, a check
    assert snap_compare(make_app(demo), terminal_size=size, run_before=at_entry(10))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_article_editing(snap_compare, demo, size):
    # entry 4: a rejected draft with a memory suggestion, the editor focused
    assert snap_compare(make_app(demo), terminal_size=size, run_before=at_entry(4, edit=True))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_wide_characters_korean(snap_compare, demo, size):
    """Japanese source and Korean target: wide characters line up in the list and wrap
    correctly in the editor."""
    assert snap_compare(make_app(demo), terminal_size=size,
                        run_before=at_entry(2, lang_presses=1, edit=True))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_help(snap_compare, demo, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=run_before)


def test_readme_screenshot_script_writes_an_svg(tmp_path):
    from tests.screenshot import main

    out = tmp_path / "tui-article.svg"
    assert main([str(out), "--size", "100x30"]) == 0
    svg = out.read_text("utf-8")
    assert svg.startswith("<svg") and "l10n&#160;tui" in svg
    assert "Glossary" in svg and "Memory" in svg
    # the side panel's memory suggestion is in (searched once the cursor rests), with its score
    assert "searching" not in svg and "%" in svg.split("Memory", 1)[1].split("Glossary", 1)[0]
