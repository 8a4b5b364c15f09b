"""Two cosmetic bugs of the translator's desk (issue 15), driven through Pilot at the
80x24 minimum and at 100x30:

- `。` wrapped alone to the start of a line: Japanese never starts a line with a closing
  mark (kinsoku), nor ends one with an opening bracket;
- the side panel's scrollbar thumb drawn twice (a two-cell bar, its thumb glyph doubled
  side by side, and next to the editor's own two-cell bar).
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.widgets import TextArea

from l10n import actions, review
from l10n.tui.app import L10nApp
from l10n.tui.render import diff_text, ellipsize, wrap_japanese
from l10n.tui.rowlist import RowList
from tests.demo import OITA
from tests.test_tui import USER, entry, goto, open_oita, settle

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


def panel_lines(widget) -> list[str]:
    """A widget's lines as shown, their indent kept."""
    return [s.text.rstrip() for s in widget.render_lines(Region(0, 0, *widget.outer_size))]


def continued(lines: list[str], at: int, indent: int) -> list[str]:
    """The lines after `at` indented by at least `indent` cells, that indent taken off."""
    out = []
    for ln in lines[at + 1:]:
        if not ln.startswith(" " * indent) or not ln.strip():
            break
        out.append(ln[indent:])
    return out


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_a_long_suggestion_and_note_wrap_under_their_first_line(demo, size):
    """A memory suggestion longer than the side panel goes on under its own text, not at
    the panel's left edge under its number; a note's later lines keep its indent."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 4)
        while screen.suggestions_pending():
            await pilot.pause(0.05)
        await settle(pilot)
        side = screen.query_one("#side-text")
        shown = panel_lines(side)
        sugg = screen.session.known_suggestions(screen.lang, screen.current())
        assert sugg and len(sugg[0].target) > side.size.width  # it must wrap
        at = next(i for i, ln in enumerate(shown) if ln.lstrip().startswith("1 "))
        lead = len(shown[at]) - len(shown[at].lstrip()) + len(f"1  {round(sugg[0].score)}% ")
        body = [shown[at][lead:], *continued(shown, at, lead)]
        assert len(body) > 1, shown
        assert " ".join(b.strip() for b in body) == sugg[0].target, shown
        # a note, wrapped: every line of it one cell in
        words = " ".join(["Check the governor's official English title."] * 2)
        assert screen.session.note(screen.view, screen.bound, words).ok
        screen.reload_bound()
        await settle(pilot)
        shown = panel_lines(side)
        note = continued(shown, shown.index("Notes"), 1)
        assert len(note) > 1 and all(ln[:1] != " " for ln in note), shown
        assert " ".join(note) == words


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


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_every_glossary_term_shows_its_whole_translation(demo, size):
    """At 80x24 the side panel cut "サンフランシスコ・ベイエリア → San Francisco Bay Area"
    to "サンフランシスコ・ベイエリ…": the term the translation must use was not on the
    screen. A pair too long for one line puts the translation, whole, under the source
    term (which may be cut: the source pane shows it whole, highlighted)."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        await goto(pilot, screen, 2)  # the summary: five glossary terms, one long
        await settle(pilot)
        side = screen.query_one("#side-text")
        shown = panel_lines(side)
        at = shown.index("Glossary")
        block = []
        for ln in shown[at + 1:]:
            if not ln.startswith(" "):
                break
            block.append(ln)
        hits = screen.session.glossary_hits(screen.current().msgid, screen.lang)
        terms = {ja: tr for _a, _b, ja, tr in hits}
        assert len(terms) >= 5
        for ja, tr in terms.items():
            i = next(i for i, ln in enumerate(block) if ln.startswith(" " + ja[:2]))
            if block[i].strip() == f"{ja} → {tr}":
                continue  # on one line
            head = block[i].strip()  # the source term alone, cut if it must be
            assert head == ja or (head.endswith("…") and ja.startswith(head[:-1])), block
            assert block[i + 1].startswith("   → "), block
            under = [block[i + 1]] + continued(block, i + 1, len("   → "))
            assert " ".join(x.strip() for x in under) == f"→ {tr}", block
        assert all(cell_len(ln) <= side.size.width for ln in block)
        if size == (80, 24):
            assert any(ln.strip().startswith("→ ") for ln in block)  # one went under its source


LONG = ("知事は大分の温泉や食の魅力を紹介し、別府や湯布院をはじめとする県内各地の温泉地、関あじ・関さば"
        "や豊後牛などの特産品、さらに国東半島の歴史ある寺社や九重連山の自然景観について、写真や映像を"
        "交えながら詳しく説明したうえで、ベイエリアの人々に大分への訪問を呼びかけました。")


def lengthen_a_sentence(project, sentence: str) -> None:
    """The Oita article's sentence "知事は大分の…呼びかけました。" made `sentence`, synced."""
    from l10n.sync import sync

    md = project.article_path(OITA)
    text = md.read_text(encoding="utf-8")
    old = "知事は大分の温泉や食の魅力を紹介し、ベイエリアの人々に大分への訪問を呼びかけました。"
    assert old in text
    md.write_text(text.replace(old, sentence), encoding="utf-8")
    sync(project)


async def source_pane(pilot, sentence: str):
    screen = await open_oita(pilot)
    n = next(i for i, e in enumerate(screen.view.entries, 1) if e.msgid == sentence)
    await goto(pilot, screen, n)
    await settle(pilot)
    return screen, screen.query_one("#source")


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_a_long_source_is_shown_whole_above_the_translation(demo, size):
    """At 80x24 the source pane showed four lines and stopped ("…写真や映像"), with no
    sign that the sentence went on: a translator would have translated half of it. The
    source takes the lines it needs; the translation keeps three."""
    lengthen_a_sentence(demo, LONG)
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen, src = await source_pane(pilot, LONG)
        lines = shown_lines(src)
        assert "i reads it all" not in lines[0]
        assert "".join(lines[1:]).replace(" ", "") == LONG, lines
        assert screen.query_one("#target").size.height >= screen.TARGET_MIN
        await goto(pilot, screen, 1)  # a short one: the stylesheet's cap again
        await settle(pilot)
        assert src.styles.max_height.value == 5 and "max_height" not in src.styles.inline.get_rules()


@pytest.mark.asyncio
async def test_a_source_too_long_for_the_screen_says_so(demo):
    """Where even that is not enough (a sentence three times as long, at 80x24), the
    pane's first line says that `i` shows it all, and the `i` dialog has it whole."""
    from l10n.tui.modals import ReadScreen

    very = (LONG[:-1] + "、") * 2 + LONG  # one sentence: three times as long
    lengthen_a_sentence(demo, very)
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, src = await source_pane(pilot, very)
        lines = shown_lines(src)  # what the screen shows of it
        assert lines[0].endswith("· i reads it all"), lines[0]
        shown = "".join(lines[1:]).replace(" ", "")
        assert very.startswith(shown) and len(shown) < len(very)
        assert screen.query_one("#target").size.height >= screen.TARGET_MIN
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ReadScreen)
        assert very in app.screen.body.plain


@pytest.mark.asyncio
async def test_a_long_changed_source_shows_its_change_in_the_diff(demo):
    """The diff of a long sentence whose source changed was cut after two lines at
    80x24, before the change ("パンフレット" inserted near the end). A diff too long
    for its lines shows each change with a few characters around it."""
    from l10n.workspace import update_catalog

    lengthen_a_sentence(demo, LONG)
    changed = LONG.replace("写真や映像を", "写真や映像、パンフレットを")

    def translated_then_changed(cat):
        e = next(x for x in cat.active() if x.msgid == LONG)
        review.set_translation(e, "The governor introduced Oita.", USER)
        e.msgid, e.previous_msgid, e.fuzzy = changed, LONG, True
        review.clear_review(e)

    update_catalog(demo, "en", OITA, translated_then_changed)
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, src = await source_pane(pilot, changed)
        prev = screen.query_one("#previous")
        lines = shown_lines(prev)
        assert lines[0].startswith("source changed")
        shown = "".join(lines[1:])
        assert "パンフレット" in shown and shown.startswith("…") and shown.endswith("…"), lines
        assert screen.query_one("#target").size.height >= screen.TARGET_MIN


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="大分県知事あいうえ、。", max_size=60), st.text(alphabet="大分県知事あいうえ、。", max_size=60),
       st.integers(1, 10))
def test_a_shortened_diff_keeps_every_change_and_a_little_around_it(old, new, context):
    def changes(t: Text) -> list[tuple[str, str]]:
        return [(t.plain[s.start:s.end], str(s.style)) for s in t.spans if s.style != "dim"]

    full, short_ = diff_text(old, new), diff_text(old, new, context=context)
    assert changes(short_) == changes(full)
    for span in short_.spans:  # no unchanged run longer than the context on both sides
        if span.style == "dim":
            assert span.end - span.start <= 2 * context + 1


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(60, 18), (80, 20)], ids=["60x18", "80x20"])
async def test_a_short_terminal_keeps_the_article_header_and_the_keys(demo, size):
    """Under 19 rows the article screen's parts asked for more lines than there were,
    and its header (the article, the language, the counts) went off the top."""
    from l10n.tui.widgets import KeyBar

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        header = screen.query_one("#art-header")
        assert header.region.y == 0 and header.region.height == 1
        if size == (60, 18):  # the summary does not fit: the hint, short, on one line
            await goto(pilot, screen, 2)
            await settle(pilot)
            first = shown_lines(screen.query_one("#source"))[0]
            assert first.endswith(("· more: i", "· i")), first
        assert screen.query_one(KeyBar).region.bottom == size[1]
        assert screen.query_one("#target").size.height >= 1
        assert screen.query_one(RowList).size.height >= 5


# =========================================================================== the ellipsis

@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_a_cropped_japanese_cell_ends_in_the_ellipsis_right_after_its_text(demo, size):
    """Rich's crop filled the half of a wide character cut at the column's edge with a
    space: nearly every Japanese source in the list read "ベイエリア …", a word break
    Japanese does not have. The cell shows the longest start of the source that fits,
    then "…" at once."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await open_oita(pilot)
        rows = screen.query_one(RowList)
        lines = [s.text for s in rows.render_lines(Region(0, 0, *rows.outer_size))]
        cropped = 0
        entries = screen.view.entries
        for line in lines:
            number = line.split(maxsplit=1)[0] if line.strip() else ""
            if not number.isdigit():
                continue
            e = entries[int(number) - 1]
            at = line.index(f" {e.msgid[:3]}", len(number) + 2) + 1  # past the number and state
            k = 3
            while k < len(e.msgid) and line.startswith(e.msgid[:k + 1], at):
                k += 1
            if k == len(e.msgid):
                continue  # the whole source fits
            cropped += 1
            assert line[at + k] == "…", (e.msgid, line)
        assert cropped >= 5  # the test saw cropped cells


WIDE_OR_NOT = st.text(alphabet="大分県知事ベイエリアab c한국語。", max_size=40)


@settings(max_examples=300, deadline=None)
@given(WIDE_OR_NOT, st.integers(0, 30))
def test_ellipsize_keeps_the_longest_start_that_fits_then_the_ellipsis(text, width):
    t = Text("x", style="bold")
    t.append(text, style="red")
    out = ellipsize(t, width)
    assert cell_len(out.plain) <= max(width, 0)
    if cell_len(t.plain) <= width:
        assert out is t
        return
    if width <= 0:
        assert out.plain == ""
        return
    assert out.plain.endswith("…")
    kept = out.plain[:-1]
    assert t.plain.startswith(kept)
    # the longest: one character more would not leave room for the ellipsis
    assert cell_len(t.plain[:len(kept) + 1]) + 1 > width
    # the styles go with the characters kept
    assert out.plain[:1] == "" or out.get_style_at_offset(Console(), 0) == Console().get_style("bold")


# =========================================================================== the status line

@pytest.mark.asyncio
async def test_a_long_message_wraps_in_the_status_bar_and_the_bar_shrinks_back(demo):
    """At 80 columns the status bar cropped what did not fit: "DeepL: a DeepL suggestion
    needs DEEPL_AUTH_KEY (the drafts sync already made …". A message now wraps over up
    to three lines (the entry list gives them up), and the next short one takes one."""
    from l10n.tui.widgets import StatusBar

    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_oita(pilot)
        bar = screen.query_one(StatusBar)
        rows = screen.query_one(RowList)
        list_height = rows.size.height
        await pilot.press("d")  # no DEEPL_AUTH_KEY (conftest)
        await settle(pilot)
        assert "DEEPL_AUTH_KEY" in bar.message and len(bar.message) > 78
        lines = shown_lines(bar)
        assert bar.size.height == 2 and len(lines) == 2
        assert " ".join(lines) == bar.message  # every word of it on the screen
        assert rows.size.height == list_height - 1
        await pilot.press("l")
        await settle(pilot)
        assert bar.message == "now Korean" and bar.size.height == 1
        assert rows.size.height == list_height

        screen.say("x" * 10 + " " + "word " * 60)  # more than three lines' worth
        await settle(pilot)
        lines = shown_lines(bar)
        assert bar.size.height == 3 and lines[2].endswith("…")
        assert all(cell_len(ln) <= bar.content_size.width for ln in lines)


@pytest.mark.asyncio
async def test_a_broken_catalog_is_named_with_its_line_on_the_dashboard(demo):
    """A catalog broken on disk: the dashboard says which file and which line, in the
    words the CLI uses (not "InputError: ..."), whole on the screen; no crash."""
    from l10n.tui.widgets import StatusBar

    path = demo.catalog_path("ko", OITA)
    lines = path.read_text(encoding="utf-8").count("\n")
    with path.open("a", encoding="utf-8") as f:
        f.write('msgid "broken\n')
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()  # the statistics, then the memory
        await settle(pilot)
        bar = app.screen.query_one(StatusBar)
        assert bar.severity == "error"
        # the statistics fail on it (the memory, loaded after them, leaves it out and
        # says nothing more: the error names the file already)
        assert bar.message.startswith("loading the statistics failed: "), bar.message
        rel = path.relative_to(demo.root)  # named from the project's root: three lines hold it
        assert f" {rel}:{lines + 1}: " in bar.message and "Error:" not in bar.message
        assert str(demo.root) not in bar.message
        shown = "".join(shown_lines(bar)).replace(" ", "")
        assert bar.message.replace(" ", "") in shown  # all of it on the screen


# =========================================================================== one scrollbar

def scrollbar_columns(app, region: Region) -> dict[object, set[int]]:
    """For each scrollable in `region` of the screen: the columns its vertical scrollbar
    takes (from what is drawn at each cell)."""
    cols: dict[object, set[int]] = {}
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            widget, _ = app.screen.get_widget_at(x, y)
            if isinstance(widget, ScrollBar) and widget.vertical:
                cols.setdefault(widget.parent, set()).add(x)
    return cols


async def overflowing_side_panel(pilot, demo) -> object:
    """The article screen on entry 2, with a ten-line note (the side panel scrolls) and a
    long unsaved translation in the editor (the editor scrolls too)."""
    e = entry(demo, "en", 2)
    actions.set_note(demo, OITA, "en", e.key, "\n".join(f"note line {i}" for i in range(1, 11)))
    screen = await open_oita(pilot)
    await goto(pilot, screen, 2)
    await pilot.press("enter")
    screen.query_one(TextArea).insert(" And a long translator's draft that goes on." * 12)
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)
    return screen


def visible_lines(app, widget) -> list[str]:
    """The lines of `widget` that are on the screen now, top to bottom: for each screen
    row, which line of the widget the compositor put there."""
    out = []
    for y in range(app.size.height):
        for x in range(app.size.width):
            w, region = app.screen.get_widget_at(x, y)
            if w is widget:
                out.append(widget.render_line(y - region.y).text.strip())
                break
    return out


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_the_side_panel_draws_one_scrollbar_that_reaches_every_line(demo, size):
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=size) as pilot:
        screen = await overflowing_side_panel(pilot, demo)
        side = screen.query_one("#side")
        assert side.max_scroll_y > 0  # there is something to scroll
        cols = scrollbar_columns(app, screen.query_one("#editor-area").region)
        assert side in cols, "the side panel shows no scrollbar"
        # one thumb per scrollable: a bar one cell wide, the thumb glyph never doubled
        assert {w.id: len(c) for w, c in cols.items()} == {w.id: 1 for w in cols}
        # the side panel's bar is at its right edge, inside the panel
        assert cols[side] == {side.region.right - 1}
        # and scrolling it shows every line of the panel, the last suggestion included
        text = screen.query_one("#side-text")
        want = [ln for ln in shown_lines(text) if ln]
        assert "note line 10" in want and "Origin" in want
        seen: set[str] = set()
        for y in range(0, side.max_scroll_y + 1):
            side.scroll_to(y=y, animate=False)
            await pilot.pause()
            seen.update(visible_lines(app, text))
        assert [ln for ln in want if ln not in seen] == []


@pytest.mark.asyncio
async def test_the_help_dialog_scrolls_with_a_one_cell_bar(demo):
    """At 80x24 the help does not fit: its bar is one cell wide, as the panes' are."""
    app = L10nApp(demo, user=USER, poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        box = app.screen.query_one("#help-box")
        cols = scrollbar_columns(app, box.region)
        assert len(cols) == 1, cols  # the help scrolls
        assert [len(c) for c in cols.values()] == [1]
