"""A fast list with columns: only the rows on screen are rendered (Textual's line API).

DataTable measures every cell of every row whenever rows change, which costs ~70 ms per
200 rows; the dashboard of a 1,000-article archive and a 200-entry catalog need the
list to be rebuilt in well under that. Here a row's cells are built by a callback
when the row is drawn, and cached until the row or the width changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from rich.console import Console
from .render import ellipsize

_CONSOLE = Console(width=1000, color_system="truecolor", force_terminal=True, legacy_windows=False)


def _style(s) -> Style:
    if isinstance(s, Style):
        return s
    return Style.parse(s) if s else Style()


def _segments(text: Text, base: Style) -> list[Segment]:
    """A one-line Text as Segments over `base`; spans that do not overlap (the cells
    here) take a fast path."""
    plain = text.plain
    own = base + _style(text.style)
    if not text.spans:
        return [Segment(plain, own)] if plain else []
    out: list[Segment] = []
    pos = 0
    for span in sorted(text.spans, key=lambda sp: sp.start):
        if span.start < pos:  # overlapping spans: let Rich combine them
            return [Segment(sg.text, own + sg.style if sg.style else own)
                    for sg in text.render(_CONSOLE) if sg.text]
        if span.start > pos:
            out.append(Segment(plain[pos:span.start], own))
        if span.end > span.start:
            out.append(Segment(plain[span.start:span.end], own + _style(span.style)))
        pos = max(pos, span.end)
    if pos < len(plain):
        out.append(Segment(plain[pos:], own))
    return out


@dataclass(frozen=True)
class Column:
    label: str
    width: int | None = None  # None: shares what is left
    justify: str = "left"


class RowList(ScrollView, can_focus=True):
    """Rows of cells with a cursor; a header line stays on top."""

    DEFAULT_CSS = """
    RowList { background: $surface; overflow-y: scroll; overflow-x: hidden;
              scrollbar-size-vertical: 1; }
    RowList > .rowlist--header { text-style: bold; background: $panel; }
    RowList > .rowlist--cursor { background: $block-cursor-background; text-style: bold; }
    RowList:blur > .rowlist--cursor { background: $block-cursor-blurred-background; text-style: none; }
    """
    COMPONENT_CLASSES = {"rowlist--header", "rowlist--cursor"}
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home,ctrl+home", "jump(0)", show=False),
        Binding("end,ctrl+end", "jump(-1)", show=False),
        Binding("enter", "select", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)  # watch_cursor redraws its two rows

    class Highlighted(Message):
        def __init__(self, rowlist: "RowList", index: int) -> None:
            super().__init__()
            self.rowlist = rowlist
            self.index = index

        @property
        def control(self) -> "RowList":
            return self.rowlist

    class Selected(Highlighted):
        pass

    def __init__(self, columns: list[Column], render_row: Callable[[Any, list[int]], list[Text]],
                 key: Callable[[Any], Hashable] = id, items: list[Any] | None = None,
                 same: Callable[[Any, Any], bool] | None = None, **kw) -> None:
        super().__init__(**kw)
        self.same = same or (lambda a, b: a == b)
        self.columns = columns
        self.render_row = render_row
        self.key = key
        self.items: list[Any] = list(items or [])
        self._cache: dict[tuple[int, int, bool], Strip] = {}

    # ------------------------------------------------------------------ data
    def set_items(self, items: list[Any], keep: Hashable | None = None) -> None:
        """Replace the rows; the cursor stays on the row with key `keep` if given."""
        current = keep if keep is not None else (self.key(self.item) if self.item is not None else None)
        self.items = list(items)
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.items) + 1)
        index = 0
        if current is not None:
            for i, it in enumerate(self.items):
                if self.key(it) == current:
                    index = i
                    break
        self.set_reactive(RowList.cursor, min(index, max(len(self.items) - 1, 0)))
        self._scroll_cursor_visible()
        self.refresh()

    def update_items(self, items: list[Any], keep: Hashable | None = None) -> None:
        """Like set_items, but when the rows are the same (same keys, same order) only
        the rows whose item changed are drawn again: an approval redraws one row."""
        items = list(items)
        if len(items) != len(self.items) or any(
                self.key(a) != self.key(b) for a, b in zip(items, self.items)):
            self.set_items(items, keep)
            return
        for i, (new, old) in enumerate(zip(items, self.items)):
            if new is not old:
                self.items[i] = new
                if not self.same(new, old):
                    self.refresh_item(i)

    def refresh_item(self, index: int) -> None:
        for k in [k for k in self._cache if k[0] == index]:
            del self._cache[k]
        self.refresh_line_for(index)

    def refresh_all(self) -> None:
        self._cache.clear()
        self.refresh()

    def index_of(self, key: Hashable) -> int | None:
        for i, it in enumerate(self.items):
            if self.key(it) == key:
                return i
        return None

    @property
    def item(self) -> Any | None:
        if not self.items:
            return None
        return self.items[min(max(self.cursor, 0), len(self.items) - 1)]

    @property
    def row_count(self) -> int:
        return len(self.items)

    # ------------------------------------------------------------------ cursor
    def move_cursor(self, index: int) -> None:
        if not self.items:
            return
        self.cursor = min(max(index, 0), len(self.items) - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        for i in (old, new):
            for k in [k for k in self._cache if k[0] == i]:
                del self._cache[k]
            self.refresh_line_for(i)  # the two rows; a scroll redraws them all
        self._scroll_cursor_visible()
        if self.items:
            self.post_message(self.Highlighted(self, new))

    def _scroll_cursor_visible(self) -> None:
        if not self.size.height:  # not laid out yet: on_resize does it
            return
        rows_visible = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + rows_visible:
            self.scroll_to(y=self.cursor - rows_visible + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor + step * max(self.scrollable_content_region.height - 2, 1))

    def action_jump(self, where: int) -> None:
        self.move_cursor(where if where >= 0 else len(self.items) - 1)

    def action_select(self) -> None:
        if self.items:
            self.post_message(self.Selected(self, self.cursor))

    async def _on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < len(self.items):
            was = self.cursor
            self.move_cursor(index)
            if event.chain >= 2 or was == index:
                self.post_message(self.Selected(self, index))

    # ------------------------------------------------------------------ drawing
    def widths(self) -> list[int]:
        total = self.scrollable_content_region.width or self.size.width
        fixed = sum(c.width for c in self.columns if c.width is not None)
        gaps = len(self.columns) + 1  # one space before each column and one at the end
        flex = [c for c in self.columns if c.width is None]
        left = max(total - fixed - gaps, 4 * len(flex))
        out, share = [], (left // len(flex) if flex else 0)
        rest = left - share * len(flex)
        for c in self.columns:
            if c.width is not None:
                out.append(c.width)
            else:
                out.append(share + (1 if rest > 0 else 0))
                rest -= 1
        return out

    def _line(self, cells: list[Text], widths: list[int], base: Style,
              overlay: Style | None = None) -> Strip:
        """One row as a Strip, built straight from the cells' spans (no Text.render:
        this runs for every visible row of every new frame)."""
        segs: list[Segment] = [Segment(" ", base)]
        used = 1
        for cell, w, col in zip(cells, widths, self.columns):
            cell = ellipsize(cell, w)
            n = cell_len(cell.plain)
            pad = w - n
            if pad and col.justify == "right":
                segs.append(Segment(" " * pad, base))
            segs.extend(_segments(cell, base))
            if pad and col.justify != "right":
                segs.append(Segment(" " * pad, base))
            segs.append(Segment(" ", base))
            used += w + 1
        total = self.scrollable_content_region.width or self.size.width
        if used < total:
            segs.append(Segment(" " * (total - used), base))
        if overlay is not None:
            segs = [Segment(sg.text, sg.style + overlay if sg.style else overlay) for sg in segs]
        return Strip(segs, max(used, total)).crop(0, total)

    def render_line(self, y: int) -> Strip:
        # a row drawn before comes from the cache before anything else is worked out
        # (the widget's style alone costs 0.2 ms, and a frame asks for every row)
        width = self.scrollable_content_region.width
        if y == 0:
            key = (-1, width, False)
            hit = self._cache.get(key)
            if hit is None:
                style = self.rich_style + self.get_component_rich_style("rowlist--header")
                hit = self._cache[key] = self._line([Text(c.label) for c in self.columns],
                                                    self.widths(), style)
            return hit
        index = int(self.scroll_y) + y - 1
        if index >= len(self.items):
            return Strip.blank(width, self.rich_style)
        on_cursor = index == self.cursor
        key = (index, width, on_cursor and self.has_focus)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        widths = self.widths()
        base = self.rich_style
        overlay = None
        if on_cursor:
            # the cursor's background over the cells' own colours, which stay
            cur = self.get_component_rich_style("rowlist--cursor")
            overlay = Style(bgcolor=cur.bgcolor, bold=cur.bold)
        cells = self.render_row(self.items[index], widths)
        strip = self._line(cells, widths, base, overlay)
        self._cache[key] = strip
        return strip

    def refresh_line_for(self, index: int) -> None:
        y = index - int(self.scroll_y) + 1
        if y >= 1:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self) -> None:
        # cached lines are keyed by width: nothing to drop
        self.virtual_size = Size(self.size.width, len(self.items) + 1)
        self.call_after_refresh(self._scroll_cursor_visible)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()

    def on_focus(self) -> None:
        self.refresh_line_for(self.cursor)  # the cursor's look depends on the focus

    def on_blur(self) -> None:
        self.refresh_line_for(self.cursor)
