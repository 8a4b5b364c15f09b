"""Cosmetic bugs of the translator's desk (issue 15), driven through Pilot at the
80x24 minimum and at 100x30:

- `。` wrapped alone to the start of a line: Japanese never starts a line with a closing
  mark (kinsoku), nor ends one with an opening bracket.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.geometry import Region

from l10n.tui.app import L10nApp
from l10n.tui.render import wrap_japanese
from tests.demo import OITA
from tests.test_tui import USER, goto, open_oita, settle

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]
CLOSERS = set("。、」』）！？・ー々")  # must not start a line
OPENERS = set("「『（")  # must not end one


def shown_lines(widget) -> list[str]:
    """The lines a widget shows on the screen (its padding stripped)."""
    return [s.text.strip() for s in widget.render_lines(Region(0, 0, *widget.outer_size))]


def breaks_the_rules(lines: list[str]) -> list[tuple[str, str]]:
    """Pairs of consecutive lines where a closing mark starts the second, or an opening
    bracket ends the first."""
    return [(a, b) for a, b in zip(lines, lines[1:])
            if a and b and (b[0] in CLOSERS or a[-1] in OPENERS)]


# =========================================================================== 。 at a line start

@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_no_line_of_the_japanese_source_starts_with_a_closing_mark(demo, size):
    """Every entry of the article, as the source pane shows it: at 80x24 `。` fell alone
    on a line in entries 7, 8 and 17 (`…ものです` / `。`), at 100x30 `、` started a line
    in entry 19; nothing of the source may be lost by moving the break."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        bad = []
        for n, e in enumerate(screen.view.entries, 1):
            screen.move_to(n - 1)
            await pilot.pause()
            lines = shown_lines(screen.query_one("#source"))[1:]  # under the " ja " line
            assert all(cell_len(ln) <= screen.query_one("#source").size.width for ln in lines)
            # nothing lost: the lines are the source (the pane shows at most four)
            assert e.msgid.replace(" ", "").startswith("".join(lines).replace(" ", ""))
            bad += [(n, pair) for pair in breaks_the_rules(lines)]
        assert not bad, bad


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_a_japanese_note_in_the_side_panel_keeps_its_full_stop(demo, size):
    """A translator's note in Japanese whose `。` lands exactly on the side panel's edge."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 3)
        # the note's later lines make the panel scroll, with or without the long line:
        # the width measured first is the width the long line gets
        rest = "\n" + "\n".join(["確認済み。"] * 12)
        assert screen.session.note(screen.view, screen.bound, "下書き" + rest).ok
        screen.reload_bound()
        await settle(pilot)
        width = screen.query_one("#side-text").size.width
        words = "知事の肩書きは県の公式英語表記に合わせること市長の名前も公式サイトの表記で統一"
        n = (width - 1) // 2  # a one-cell indent, then this many two-cell characters
        line = words[:n] + "。" + "確認済み。"
        assert screen.session.note(screen.view, screen.bound, line + rest).ok
        screen.reload_bound()
        await settle(pilot)
        assert screen.query_one("#side-text").size.width == width
        lines = shown_lines(screen.query_one("#side-text"))
        at = next(i for i, ln in enumerate(lines) if ln.startswith(words[:4]))
        assert not breaks_the_rules(lines), lines
        assert "".join(lines[at:at + 2]) == line, lines[at:at + 2]


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_the_note_dialog_wraps_the_source_by_the_same_rules(demo, size):
    """The dialogs that quote the Japanese (note, reject, conflict) wrap it the same way."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        bad = []
        for n in range(1, len(screen.view.entries) + 1):
            await goto(pilot, screen, n)
            await pilot.press("c")
            await pilot.pause()
            lines = shown_lines(app.screen.query_one("#note-details"))
            bad += [(n, pair) for pair in breaks_the_rules(lines)]
            await pilot.press("escape")
            await pilot.pause()
        assert not bad, bad


# A few words of Japanese: kanji and kana, quoted or not, each followed by punctuation.
WORD = st.text(alphabet="大分県知事市長会談訪問あいうえおかきくけこさしすせそのはをにでカタナ", min_size=1,
               max_size=5)
PIECE = st.builds(lambda w, q, p: (f"「{w}」" if q else w) + p, WORD, st.booleans(),
                  st.sampled_from(["", "", "、", "。", "！", "？", "）", "ー", "々"]))
SENTENCE = st.lists(PIECE, min_size=1, max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(SENTENCE, st.integers(min_value=8, max_value=60))
def test_japanese_wrapping_keeps_every_character_and_the_rules(text, width):
    lines = [ln.plain for ln in wrap_japanese(Text(text), width, Console(width=200))]
    assert "".join(lines) == text
    assert all(cell_len(ln) <= width for ln in lines)
    assert not breaks_the_rules(lines), lines


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghij ,.", min_size=0, max_size=200), st.integers(1, 40))
def test_text_without_japanese_wraps_exactly_as_rich_wraps_it(text, width):
    console = Console(width=200)
    rich = [ln.plain for ln in Text(text).wrap(console, width, overflow="fold")]
    ours = [ln.plain for ln in wrap_japanese(Text(text), width, console)]

    def shown(lines):  # the words on each line (where Rich folds a long word, it can
        return [ln.strip() for ln in lines if ln.strip()]  # leave a space on a line)

    assert shown(ours) == shown(rich)
