"""The one registry of keys: it feeds every screen's BINDINGS (and so the footer), the
help screen and the command palette. Change a key here and it changes everywhere.

A context says where an action applies:

    app        everywhere
    dashboard  the list of articles
    article    the article screen, moving in the entry list
    editor     the article screen while the translation editor has the focus
"""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

CONTEXTS = {
    "app": "Everywhere",
    "dashboard": "Dashboard",
    "article": "Article: entry list",
    "editor": "Article: editing a translation",
}


@dataclass(frozen=True)
class Action:
    id: str  # the action method, without the `action_` prefix (may take arguments: take(1))
    key: str  # Textual key name(s), comma-separated
    description: str  # short, for the footer
    show_in_footer: bool | tuple[str, ...] = True  # or only in these contexts
    screens: tuple[str, ...] = ("article",)
    help: str = ""  # longer, for the help screen and the command palette
    display: str | None = None  # how the key is shown (defaults to Textual's display)
    priority: bool = False
    palette: bool = True  # offered in the command palette
    grouped: bool = False  # in the help, on another key's line (1-3, n/p, shift+↓/↑)

    @property
    def key_display(self) -> str:
        return display(self)


ACTIONS: list[Action] = [
    # dashboard
    Action("open", "enter", "open", screens=("dashboard",), help="open the highlighted article",
           palette=False),
    Action("search", "slash", "search", screens=("dashboard", "article"), display="/",
           show_in_footer=("dashboard",),
           help="search: on the dashboard an article's id or title; in an article an entry's "
                "source or translation"),
    Action("sort", "o", "sort", screens=("dashboard",),
           help="sort by issue, title, progress or errors (repeat to cycle)"),
    Action("filter", "f", "filter", screens=("dashboard", "article"),
           help="dashboard: all articles, those that need work, those with errors; article: "
                "all entries, to translate, to review, approved (cycle)"),
    # article: the entry list
    Action("edit", "enter", "edit", screens=("article",), palette=False,
           help="edit the highlighted entry's translation"),
    Action("approve", "a", "approve", screens=("article",),
           help="approve the highlighted entry"),
    Action("reject", "r", "reject", screens=("article",),
           help="send the highlighted entry back to draft, with a note"),
    Action("next", "n", "next", screens=("article",), display="n/p",
           help="go to the next (p: previous) entry that is untranslated or a draft"),
    Action("prev", "p", "previous", show_in_footer=False, screens=("article",), grouped=True,
           help="go to the previous entry that is untranslated or a draft"),
    Action("take(1)", "1", "suggestion 1", show_in_footer=False, screens=("article",),
           display="1-3", help="take memory suggestion 1 (2, 3) as a draft"),
    Action("take(2)", "2", "suggestion 2", show_in_footer=False, screens=("article",),
           palette=False, grouped=True),
    Action("take(3)", "3", "suggestion 3", show_in_footer=False, screens=("article",),
           palette=False, grouped=True),
    Action("side(1)", "shift+down", "side panel", show_in_footer=False, screens=("article",),
           display="shift+↓/↑", palette=False,
           help="scroll the side panel (suggestions, glossary, notes, origin) from the list"),
    Action("side(-1)", "shift+up", "side panel up", show_in_footer=False, screens=("article",),
           palette=False, grouped=True),
    Action("deepl", "d", "DeepL", screens=("article",), show_in_footer=False,
           help="ask DeepL for the highlighted entry (paid once, then from the record); "
                "d again takes its suggestion as a draft"),
    Action("note", "c", "note", screens=("article",), show_in_footer=False,
           help="add or edit a note (translator comment) on the highlighted entry"),
    Action("findings", "i", "findings", screens=("article",), show_in_footer=False,
           help="read the highlighted entry's check findings in full, with what each check "
                "looks for (the side panel gives one line each)"),
    Action("undo", "u", "undo", screens=("article",), show_in_footer=False,
           help="discard the highlighted entry's unsaved edit (it asks), else undo your last "
                "action in this article and language (approve, reject, save, suggestion)"),
    Action("switch_lang", "l", "lang", screens=("dashboard", "article"),
           help="switch the target language (en, ko, es)"),
    # article: both modes
    Action("save", "ctrl+s", "save", screens=("article", "editor"), priority=True,
           help="save the edit and confirm it as translated, then go to the next untranslated "
                "or draft entry, back in the list"),
    Action("copy_source", "ctrl+b", "copy source", screens=("article", "editor"), priority=True,
           show_in_footer=False,
           help="copy the Japanese source into the translation (then edit it; ctrl+s saves)"),
    Action("leave_editor", "escape", "leave editor", screens=("editor",), palette=False,
           help="leave the editor; an unsaved edit is kept (marked *) until you save it"),
    Action("back", "escape", "back", screens=("article",),
           help="back to the dashboard (unsaved edits are kept); a search on the list is "
                "cleared first"),
    Action("clear", "escape", "clear", show_in_footer=False, screens=("dashboard",),
           palette=False, help="clear the search and the filter"),
    # everywhere
    Action("sync", "s", "sync", screens=("dashboard", "article"), show_in_footer=("dashboard",),
           help="run l10n sync in the background (memory and DeepL drafts)"),
    Action("help", "question_mark", "help", screens=("app",), display="?",
           help="show every key"),
    Action("quit", "ctrl+q", "quit", screens=("app",), priority=True, show_in_footer=("dashboard",),
           help="quit (unsaved edits are kept for next time)"),
]

# Textual's own command palette key, listed so that the help screen tells about it.
PALETTE = Action("command_palette", "ctrl+p", "commands", show_in_footer=False, screens=("app",),
                 help="the command palette: find articles and commands", palette=False)


_NAMES = {"escape": "esc", "question_mark": "?", "slash": "/", "enter": "enter"}


def display(a: Action) -> str:
    """How the key is shown in the footer and the help: ^s, esc, ?, /."""
    if a.display:
        return a.display
    k = a.key.split(",")[0]
    if k.startswith("ctrl+"):
        return "^" + k[5:]
    return _NAMES.get(k, k)


def actions_for(context: str) -> list[Action]:
    return [a for a in ACTIONS if context in a.screens]


def shown(a: Action, context: str) -> bool:
    if isinstance(a.show_in_footer, bool):
        return a.show_in_footer
    return context in a.show_in_footer


def bindings(*contexts: str) -> list[Binding]:
    """BINDINGS for a screen or the app, from the registry (the first context decides
    what the footer shows)."""
    out: list[Binding] = []
    seen: set[tuple[str, str]] = set()
    for a in ACTIONS:
        if not any(c in a.screens for c in contexts):
            continue
        if (a.id, a.key) in seen:
            continue
        seen.add((a.id, a.key))
        # Screen actions are priority bindings: the app runs them as the key arrives,
        # before it hands the next keys out. A fast typist's "enter" then "abc" (or "/"
        # then "oita") thus lands in the editor (the search) that the first key opened,
        # instead of being handed to the list as "approve"... The screens' check_action
        # turns them off while an editor or a search field has the focus, so that typing
        # there is never taken for a command.
        priority = a.priority or "app" not in a.screens
        out.append(Binding(a.key, a.id, a.description, show=shown(a, contexts[0]),
                           key_display=a.display, priority=priority, id=f"l10n.{a.id}"))
    return out


def help_rows(first: str = "dashboard") -> list[tuple[str, list[tuple[str, str]]]]:
    """[(context title, [(key, what it does)])] for the help screen: the `first` screen's
    contexts ("article": the list's and the editor's), then the others."""
    order = sorted(CONTEXTS, key=lambda c: not (c == first or (first == "article" and c == "editor")))
    out = []
    for ctx in order:
        title = CONTEXTS[ctx]
        rows = []
        for a in ACTIONS + [PALETTE]:
            if ctx not in a.screens:
                continue
            if a.grouped:
                continue
            rows.append((a.key_display, a.help or a.description))
        out.append((title, rows))
    return out


def lookup(action_id: str) -> Action | None:
    for a in ACTIONS:
        if a.id == action_id:
            return a
    return None
