"""The memory's suggestions for the article screen's entry, kept apart from the screen.

The fuzzy search of the whole memory takes tens of milliseconds on a large archive, so
it never runs between a key and its frame (issue 15): the entry is shown at once with
"searching…" in the side panel; once the cursor has rested SUGGEST_DELAY, a thread worker
searches (Session.suggestions remembers the answer until the memory changes) and posts
SuggestionsFound; the panel is redrawn only if that entry is still the one shown.
"""
from __future__ import annotations

from textual import work
from textual.timer import Timer
from textual.widgets import TextArea

from l10n.catalog import Entry, Key

from .messages import SuggestionsFound, WorkerFailed, failure
from .side_panel import side_panel
from .widgets import WrappedText

SUGGEST_DELAY = 0.15  # the cursor rests this long before the memory is searched


class MemorySearch:
    """For ArticleScreen: needs session, lang, view, bound."""

    _suggest_timer: Timer | None = None

    def schedule_memory_search(self, e: Entry) -> None:
        """After an entry is shown: search the memory for it once the cursor rests,
        unless its suggestions are known already."""
        if self._suggest_timer is not None:
            self._suggest_timer.stop()
            self._suggest_timer = None
        s = self.session
        if s.memory is not None and s.known_suggestions(self.lang, e) is None:
            # the fuzzy search of the memory takes tens of milliseconds on a large
            # archive: the entry is shown first, and its suggestions are searched for
            # (in a worker) once the cursor rests, so that moving through the list is
            # never slowed by searches for entries passed by
            lang, key = self.lang, e.key
            self._suggest_timer = self.set_timer(
                SUGGEST_DELAY, lambda: self._search_memory(lang, key, e))

    def _search_memory(self, lang: str, key: Key, e: Entry) -> None:
        self._suggest_timer = None
        self._suggest_worker(lang, key, e)

    def suggestions_pending(self) -> bool:
        """A memory search is waiting for the cursor to rest (tests wait for it)."""
        return self._suggest_timer is not None

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _suggest_worker(self, lang: str, key: Key, e: Entry) -> None:
        if self.bound != key or self.lang != lang:
            return  # moved on before the search started: the entry shown now asks anew
        try:
            self.session.suggestions(lang, e)
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.post_message(WorkerFailed("searching the memory", failure(exc, self.app.project.root)))
            return
        self.post_message(SuggestionsFound(lang, key))

    def on_suggestions_found(self, msg: SuggestionsFound) -> None:
        if msg.key != self.bound or msg.lang != self.lang or self.view is None:
            return
        e = self.view.get(msg.key)
        if e is not None:
            text = self.query_one(TextArea).text
            hits = self.session.glossary_hits(e.msgid, self.lang)
            self.query_one("#side-text", WrappedText).show(side_panel(self, e, text, hits), fill=True)
