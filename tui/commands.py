"""The command palette (ctrl+p): find articles and commands."""
from __future__ import annotations

import asyncio
import heapq
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from . import keys

MAX_ARTICLE_HITS = 20  # articles offered for one query, the best first


class L10nCommands(Provider):
    async def startup(self) -> None:
        from l10n.dashboard import article_titles

        app = self.app
        project = app.project
        ids = project.article_ids()
        try:
            titles = await asyncio.to_thread(article_titles, project, ids)
        except Exception:  # noqa: BLE001 - titles are a nicety here
            titles = {}
        self.articles = [(aid, titles.get(aid, "")) for aid in ids]

    def _commands(self):
        screen = self.screen
        ctx = type(screen).__name__
        context = {"DashboardScreen": "dashboard", "ArticleScreen": "article"}.get(ctx)
        for a in keys.ACTIONS:
            if not a.palette:
                continue
            if "app" in a.screens or (context and context in a.screens):
                yield a

    def _run(self, action_id: str) -> None:
        target = self.screen if any(c in keys.lookup(action_id).screens for c in
                                    ("dashboard", "article")) else self.app
        self.app.call_later(self.app.run_action, action_id, target)

    async def discover(self) -> Hits:
        for a in self._commands():
            yield DiscoveryHit(f"{a.help or a.description} ({a.key_display})",
                               partial(self._run, a.id), help=None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        # the best few articles only: with a thousand, the palette drew every one that
        # matched at each key (0.4 s a key); the title shows once, in the hit itself
        scored = ((matcher.match(f"open {aid} {title}"), aid, title) for aid, title in self.articles)
        for score, aid, title in heapq.nlargest(MAX_ARTICLE_HITS, (x for x in scored if x[0] > 0),
                                                key=lambda x: x[0]):
            text = f"open {aid} {title}"
            yield Hit(score, matcher.highlight(text), partial(self.app.open_article, aid), text=text)
        for a in self._commands():
            text = f"{a.help or a.description} ({a.key_display})"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, a.id), text=text)
