"""The open catalog, watched on disk for the article screen, kept apart from the screen.

The app polls every second; a catalog that changed on disk (a sync, git, another person)
is reloaded with the unsaved edits kept, and an entry being edited that someone else
changed opens the conflict dialog (both versions; the translator chooses).
"""
from __future__ import annotations

from textual.widgets import TextArea

from l10n import review
from l10n.errors import L10nError

from .messages import failure
from .modals import ConflictScreen


class CatalogWatch:
    """For ArticleScreen: needs session, view, bound, article_id, lang, _conflict_open,
    capture, rebuild, start_audit, bind_entry, reload_bound, show_details, refresh_row, say."""

    def poll_disk(self) -> None:
        """Called every second by the app: reload the catalog if it changed on disk."""
        if self.view is None or not self.view.changed_on_disk():
            return
        self.capture()
        was_broken = self.view.broken is not None
        try:
            changed = self.session.reload(self.view)
        except L10nError as exc:  # a bad merge, a hand edit: said once, until the file changes
            self.say(f"{failure(exc, self.app.project.root)}: the file does not read; this "
                     "screen shows it as it was, and nothing is saved to it until it is fixed",
                     "error")
            return
        self.rebuild()
        self.start_audit()
        conflict = gone = False
        if self.bound is not None and self.view.get(self.bound) is None:
            gone = True
            self.say("the entry you were on is gone from the catalog (a sync?); "
                     "any unsaved text for it is kept in the journal", "warning")
            self.bound = None
            e = self.current()
            if e is not None:
                self.bind_entry(e)
        elif self.bound is not None and self.bound in changed.changed:
            ed = self.session.edit(self.article_id, self.lang, self.bound)
            if ed is None:
                self.reload_bound()
            else:
                e = self.view.get(self.bound)
                self.show_details(e, self.query_one(TextArea).text)
                conflict = True
        if changed and not gone:  # (the gone entry's words above say more)
            n = len(changed.changed) + len(changed.added) + len(changed.removed)
            edits = self.session.edits_in(self.article_id, self.lang)
            kept = "; your unsaved edits are kept" if edits else ""
            self.say(f"changed on disk: reloaded ({n} entr{'y' if n == 1 else 'ies'}){kept}", "warning")
        elif was_broken and not gone:  # fixed, back to the very text shown
            self.say(f"{self.app.project.rel(self.view.path)} reads again", "success")
        verdict = self.session.reviewed_meanwhile(self.view, self.bound) \
            if conflict and self.session.conflict(self.view, self.bound) is None else None
        if verdict is not None:  # their text is yours to start from: a review, not a conflict
            did = "approved" if verdict.kind == "approved" else "sent back"
            self.say(f"{verdict.reviewer} {did} this entry while you type: your text is kept; "
                     "ctrl+s shows their verdict before it saves", "warning")
        if conflict:
            self.check_conflict()  # after the line above: what it says (or shows) comes last

    def check_conflict(self, now: bool = False) -> None:
        """If someone changed the entry being edited, show both and let the user choose.
        Not while they type (unless `now`: they saved): the dialog's one-letter keys took
        the next letters typed ("t" in "at" dropped the edit), so it waits for esc or
        ctrl+s, and the status line says why."""
        if self.bound is None or self.view is None or self._conflict_open:
            return
        if self.app.screen is not self:  # another dialog is up: it is not stacked on it
            return  # (its answer, or the next esc or ctrl+s, shows the conflict)
        ed = self.session.conflict(self.view, self.bound)
        if ed is None:
            return
        e = self.view.get(self.bound)
        who = review.last_translator(e) or ("a sync or another tool" if e.fuzzy else "someone else")
        if not now and isinstance(self.focused, TextArea):
            self.say(f"{who} changed this entry on disk while you type: your text is kept; "
                     "esc or ctrl+s shows both versions", "warning")
            return
        key = self.bound
        shown = e.msgstr
        self._conflict_open = True

        def done(choice: str | None) -> None:
            self._conflict_open = False
            if self.view is None:
                return
            if choice == "later":  # look at the entry first: nothing is chosen for them
                self.say("both versions kept: yours unsaved (*), theirs on disk; coming back to "
                         "this entry or ctrl+s shows both again", "warning")
                return
            if choice == "theirs" and self.view.changed_on_disk():
                self.poll_disk()  # the file changed again while the dialog was open
            cur = self.view.get(key)
            if choice == "theirs" and cur is not None and cur.msgstr != shown:
                self.say("it changed on disk again: look at both once more", "warning")
                self.check_conflict(now=True)  # never take a text that was not shown
                return
            if choice == "theirs":
                self.session.drop_edit(self.article_id, self.lang, key)
                self.app.save_journal()
                self.say("took the version on disk; your edit was dropped")
            else:
                self.session.keep_mine(self.view, key)
                self.app.save_journal()
                self.say("kept your edit (unsaved): ctrl+s saves it over the version on disk", "warning")
            if self.bound == key:
                self.reload_bound()
            self.refresh_row(key)

        self.app.push_screen(ConflictScreen(e.msgid, e.msgstr, ed.text, who), done)
