"""What a translator and a reviewer do to the entry under the cursor, from the list or the
editor: approve, reject, save (and go on), notes, the source copied in, suggestions taken,
undo, moving to the next entry to translate, filtering by state, the findings read in
full. A mixin of the article screen (article.py), which holds the layout, the list and
the editor."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import TextArea

from l10n import actions, review
from l10n.errors import L10nError

from .modals import ConfirmScreen, NoteScreen, ReadScreen
from .render import diff_text
from .rowlist import RowList

if TYPE_CHECKING:
    from l10n.catalog import Entry, Key

STATE_FILTERS = ("all", "to translate", "to review", "approved")
UNDO_HINT = "  (u undoes it)"  # after an outcome on the status line, while u is a command


class ReviewActions:
    """The article screen's actions on entries (see ArticleScreen for the state they use)."""

    def _run(self, what: str, fn) -> object | None:
        """Run a core action; turn its errors into words on the status line."""
        try:
            return fn()
        except actions.Conflict as exc:
            self.rebuild()
            self.reload_bound()
            self.say(f"{what}: {exc} (nothing was written)", "error")
        except L10nError as exc:
            self.rebuild()
            self.say(f"{what}: {exc}", "error")
        return None

    def _after(self, key: Key, outcome, advance: bool = False) -> None:
        # the view shows what we wrote (and, if someone changed the file meanwhile, reads
        # it again once this frame is out); the proofs of its approvals are checked again
        self.call_after_refresh(self.poll_disk)
        self.start_audit()
        self.rebuild()
        if self.bound == key:
            self.reload_bound()
        done = outcome.ok and outcome.changed
        if advance and done and self.view is not None:
            i = self.view.index_of(key)
            nxt = self.next_shown(i) if self.filtered() else \
                self.view.next_needing(i if i is not None else -1)
            if nxt is not None and nxt != i:
                self.move_to(nxt)
            if self.filtered():
                self.rebuild(sticky=False)  # the entry acted on leaves the list once left
        severity = "success" if outcome.ok else "warning"
        # the last entry of a filter gone: say so, rather than leave an empty list that
        # looks as if the keys stopped working
        empty = ""
        if advance and done and self.filtered() and not self.shown:
            empty = f" · nothing left under {self.listed_under()} (f: other entries)"
        self.say(outcome.message + (UNDO_HINT if done else "") + empty, severity)

    def filtered(self) -> bool:
        return self.state_filter != "all" or bool(self.search)

    def listed_under(self) -> str:
        """What limits the list, in words: the state filter, else the search."""
        return self.state_filter if self.state_filter != "all" else "the search"

    def next_shown(self, i: int | None) -> int | None:
        """With a filter or a search on: the index of the next entry the list shows after
        entry `i` (wrapping), so that approving under "to review" goes on to the next one
        to review and keeps the filter."""
        if not self.shown:
            return None
        order = [self.view.index_of(e.key) for e in self.shown]
        after = [j for j in order if j is not None and i is not None and j > i]
        return after[0] if after else order[0]

    def source_change(self, e: Entry) -> Text | None:
        """For a draft whose Japanese source changed since it was translated: the change,
        as a diff, for a dialog that asks before the translation is confirmed."""
        if not (e.fuzzy and e.previous_msgid and e.previous_msgid != e.msgid):
            return None
        details = Text()
        details.append("The Japanese source changed since this was translated:\n", style="bold")
        details.append_text(diff_text(e.previous_msgid, e.msgid))
        details.append("\n\nTranslation: ", style="bold")
        details.append(e.msgstr)
        return details

    def say_nothing_listed(self) -> None:
        """A key that acts on the highlighted entry, with none listed: say why nothing
        happens (the panel may still show the entry last acted on)."""
        if self.view is not None and self.view.entries and not self.shown:
            self.say(f"no entry is listed under {self.listed_under()} (f, esc: other entries)",
                     "warning")

    def action_approve(self) -> None:
        e = self.current()
        if e is None:
            self.say_nothing_listed()
            return
        if self.session.edit(self.article_id, self.lang, e.key):
            self.say("this entry has an unsaved edit: save it first (ctrl+s), then approve", "warning")
            return
        key, seen = e.key, e.msgstr
        changed = self.source_change(e)
        # a draft still under a rejection (nobody confirmed a translation since): its note
        rejected = review.rejection(e) if e.fuzzy else None
        if changed is not None or rejected is not None:
            details, title = Text(), "Source changed"
            if rejected is not None:
                when, who, note = rejected
                details.append(f"Rejected by {who} {when[:10]}: ", style="bold yellow")
                details.append(f"{note}\n\n")
                title = "Rejected, still a draft" + ("; source changed" if changed is not None else "")
            if changed is not None:
                details.append_text(changed)
            else:
                details.append("Translation: ", style="bold")
                details.append(e.msgstr)
            self.app.push_screen(
                ConfirmScreen(title, details, "approve"),
                lambda yes: self.app.with_identity(lambda: self._approve(key, None, seen)) if yes
                else self.say("not approved", "warning"))
            return
        self.app.with_identity(lambda: self._approve(key, None, seen))

    def _approve(self, key: Key, override: str | None, seen: str) -> None:
        """Approve the entry if its translation is still `seen`, the text the reviewer
        was shown (a dialog in between let someone save another one: that was approved
        unseen); else nothing is written and the entry is shown as it is now."""
        out = self._run("approve", lambda: self.session.approve(self.view, key, override,
                                                                expect=seen))
        if out is None:
            return
        if out.refused:
            details = Text()
            details.append("Translation: ", style="bold")
            details.append(f"{seen}\n\n")
            for f in out.refused:
                details.append(f"{f.severity} ", style="bold red")
                details.append(f"{f.check}: {f.message}\n")

            def done(reason: str | None) -> None:
                if reason:
                    self._approve(key, reason, seen)
                else:
                    self.say("not approved", "warning")

            self.app.push_screen(NoteScreen("The checks found errors", "Approve anyway? Give the reason "
                                            "(it is recorded):", details=details,
                                            placeholder="e.g. the number is written out on purpose"),
                                 done)
            return
        self._after(key, out, advance=True)

    def action_reject(self) -> None:
        e = self.current()
        if e is None:
            self.say_nothing_listed()
            return
        if not e.msgstr:
            self.say("untranslated: nothing to reject", "warning")
            return
        key, seen = e.key, e.msgstr
        drafts = self.reject_notes

        def done(note: str | None) -> None:
            if not note:
                self.say("not rejected", "warning")
                return
            cur = self.view.get(key)
            if cur is None or cur.msgstr != seen:
                drafts[(self.lang, key)] = note
                self.say("the entry changed on disk meanwhile: not rejected; look again "
                         "(r: your note is kept)", "error")
                return
            out = self._run("reject", lambda: self.session.reject(self.view, key, note))
            if out is None:
                drafts[(self.lang, key)] = note
            else:
                drafts.pop((self.lang, key), None)
                self._after(key, out, advance=True)

        self.app.with_identity(lambda: self.app.push_screen(
            NoteScreen("Reject", "A note for the translator (what to fix):",
                       details=Text.assemble(("ja  ", "bold"), e.msgid, "\n",
                                             (f"{self.lang}  ", "bold"), e.msgstr), placeholder="e.g. say “prefecture”, not “province”",
                       value=drafts.get((self.lang, key), "")),
            done))

    def _in_hand(self) -> tuple[Entry, str, bool] | None:
        """The entry an action on the translation takes (the one in the editor, else the
        highlighted one), its translation as the translator sees it (the editor's text,
        an unsaved edit, or what is saved), and whether that is unsaved."""
        e = self.current() if self.bound is None else self.view.get(self.bound)
        if e is None:
            return None
        if self.bound == e.key:
            self.capture()
        ed = self.session.edit(self.article_id, self.lang, e.key)
        return e, (ed.text if ed else e.msgstr), ed is not None

    def action_save(self) -> None:
        if self.view is not None and self.view.changed_on_disk():
            self.poll_disk()  # decide on what is on disk now, not at the last poll
            if self.bound is not None and self.session.conflict(self.view, self.bound):
                self.check_conflict(now=True)  # their text and yours, before anything else
                return
        got = self._in_hand()
        if got is None:
            return
        e, text, unsaved = got
        key = e.key
        unchanged = self.session.unchanged(e, text)  # save refuses it: nothing to confirm
        errors = [f for f in self.session.findings(self.lang, e, text) if f.severity == "error"] \
            if text and not unchanged else []
        # an unedited draft whose source changed: saving it confirms an outdated text
        changed = None if unsaved or unchanged else self.source_change(e)
        # approved or rejected by someone while this text was typed: saving it withdraws
        # the approval, or answers a note not read yet
        meanwhile = self.session.reviewed_meanwhile(self.view, key) \
            if unsaved and text != e.msgstr else None

        def go() -> None:
            out = self._run("save", lambda: self.session.save(self.view, key))
            if out is None:
                self.check_conflict(now=True)
                return
            self.app.save_journal()
            self._after(key, out)
            if out.ok:
                # back to the list: the next key is a command, never typed into the next entry
                self.set_focus(self.query_one(RowList))
                # under a filter or a search, the next one it shows: it stays on
                among = {e.key for e in self.shown} if self.filtered() else None
                nxt = self.next_to_translate(self.view.index_of(key) or 0, among=among)
                if nxt is not None and nxt != self.view.index_of(key):
                    self.move_to(nxt)
                    if among is not None:
                        self.rebuild(sticky=False)  # the saved entry leaves a filter it left
                else:
                    where = f"under {self.listed_under()}" if among is not None else "in this language"
                    self.say(f"{out.message}: nothing else {where} is untranslated or a draft",
                             "success")

        if errors or changed is not None or meanwhile is not None:
            details = changed + Text("\n\n") if changed is not None else Text()
            title = ["Source changed"] if changed is not None else []
            if meanwhile is not None:
                title.append(f"{meanwhile.kind.capitalize()} meanwhile")
                details.append_text(self.verdict_text(meanwhile, e.msgstr, text))
            for f in errors:
                details.append("error ", style="bold red")
                details.append(f"{f.check}: {f.message}\n")
            details.append("\nSaving confirms the text as a human translation.")
            if errors:
                title.append(f"{len(errors)} error finding{'s' if len(errors) != 1 else ''}")
            self.app.push_screen(
                ConfirmScreen(" · ".join(title), details, "save anyway"),
                lambda yes: self.app.with_identity(go) if yes else self.say("not saved", "warning"))
            return
        self.app.with_identity(go)

    @staticmethod
    def verdict_text(v, theirs: str, mine: str) -> Text:
        """A verdict given while the translator typed, with the text it was given on and
        theirs: what the save dialog shows."""
        t = Text()
        if v.kind == "approved":
            t.append(f"{v.reviewer} approved this entry ({_when(v.when)}) while you were "
                     "editing it. Saving your text withdraws that approval: the entry goes "
                     "back to review.\n", style="bold")
        else:
            t.append(f"{v.reviewer} sent this entry back ({_when(v.when)}) while you were "
                     "editing it, with this note:\n", style="bold")
            t.append(f"{v.note}\n", style="yellow")
        t.append(f"\n{v.kind.capitalize()} text: ", style="bold")
        t.append(f"{theirs}\n")
        t.append("Your text: ", style="bold")
        t.append(f"{mine}\n\n")
        return t

    def action_copy_source(self) -> None:
        """Put the Japanese source into the editor as an unsaved edit (names, numbers and
        links are then kept as they are); ctrl+s saves it."""
        e = self.current() if self.bound is None else self.view.get(self.bound)
        if e is None:
            return
        if e.key != self.bound:
            self.bind_entry(e)
        ta = self.query_one(TextArea)
        ta.load_text(e.msgid)
        self.capture()
        self.refresh_row(e.key)
        self.action_edit()
        self.say("source copied into the translation (unsaved): edit it, ctrl+s saves")

    def action_note(self) -> None:
        """Add or edit the translator's note on the highlighted entry (empty removes it)."""
        e = self.current()
        if e is None:
            return
        key = e.key
        current = " / ".join(review.notes(e))

        def done(text: str | None) -> None:
            if text is None:
                return
            out = self._run("note", lambda: self.session.note(self.view, key, text.replace(" / ", "\n")))
            if out is not None:
                self._after(key, out)

        self.app.push_screen(NoteScreen(
            "Note", "A note on this entry, for translators and reviewers (empty removes it; "
            "' / ' starts a new line):", details=Text.assemble(("ja  ", "bold"), e.msgid),
            value=current, allow_empty=True, placeholder="e.g. the ministry spells it “Kanra Town”"),
            done)

    def action_findings(self) -> None:
        """Every check finding of the highlighted entry in full, with what each check looks
        for: the side panel gives each one line, cut at 80 columns."""
        from l10n.checks import CHECKS

        got = self._in_hand()
        if got is None:
            return
        e, text, unsaved = got
        findings = self.session.findings(self.lang, e, text) if text else []  # errors first
        body = Text.assemble(("ja  ", "bold"), e.msgid, "\n", (f"{self.lang}  ", "bold"),
                             text or ("(no translation yet)", "dim"),
                             (" (unsaved)" if unsaved else "", "bold magenta"), "\n")
        if not text:
            body.append("\nNothing to check until there is a translation.", style="dim")
        elif not findings:
            body.append("\n✓ no findings", style="green")
        for f in findings:
            body.append("\n")
            body.append(f.severity, style="bold red" if f.severity == "error" else "yellow")
            body.append(f" {f.check}: {f.message}\n")
            body.append(f"{CHECKS[f.check][1]}\n" if f.check in CHECKS else "", style="dim")
        idx = (self.view.index_of(e.key) or 0) + 1
        n = len(findings)
        self.app.push_screen(ReadScreen(
            f"Checks · entry {idx}/{len(self.view.entries)} · {n} finding{'' if n == 1 else 's'}"
            "  (esc closes)",
            body))

    def action_filter(self) -> None:
        """Cycle the entry list through all / to translate / to review / approved."""
        i = STATE_FILTERS.index(self.state_filter)
        self.state_filter = STATE_FILTERS[(i + 1) % len(STATE_FILTERS)]
        self.capture()
        self.rebuild(sticky=False)
        if self.shown and self.current() is not None:
            self.bind_entry(self.current())
        n = len(self.shown)
        self.say(f"showing {self.state_filter}: {n} entr{'y' if n == 1 else 'ies'}")

    def action_side(self, step: int) -> None:
        """Scroll the side panel a few lines: at 80x24 a long suggestion pushed the glossary
        below the panel's edge, out of the keyboard's reach."""
        self.query_one("#side").scroll_relative(y=3 * step, animate=False)

    def action_next(self) -> None:
        self._jump(+1)

    def action_prev(self) -> None:
        self._jump(-1)

    def _jump(self, step: int) -> None:
        if self.view is None or not self.view.entries:
            return
        e = self.current()
        start = self.view.index_of(e.key) if e is not None else -1
        # under a filter or a search, among what the list shows: the filter stays
        among = {x.key for x in self.shown} if self.filtered() else None
        nxt = self.next_to_translate(start if start is not None else -1, step, among=among)
        if nxt is None:
            if among is None:
                self.say(f"nothing in {self.lang} is untranslated or a draft in this article", "success")
            elif self.state_filter != "all":
                self.say(f"nothing under {self.state_filter} is untranslated or a draft "
                         "(f: other entries)", "success")
            else:
                self.say("nothing under the search is untranslated or a draft (esc: every entry)",
                         "success")
            return
        self.move_to(nxt)

    def next_to_translate(self, start: int, step: int = 1, among: set | None = None) -> int | None:
        """Index of the next untranslated or draft entry after `start`, wrapping; an
        entry with an unsaved edit counts as one (work left in hand is not passed by).
        With `among` (keys), only those entries are looked at."""
        entries = self.view.entries
        n = len(entries)
        edited = {ed.key for ed in self.session.edits_in(self.article_id, self.lang)}
        for i in range(1, n + 1):
            j = (start + step * i) % n
            if among is not None and entries[j].key not in among:
                continue
            if entries[j].key in edited or review.state(entries[j]) in (review.UNTRANSLATED,
                                                                         review.DRAFT):
                return j
        return None

    def action_take(self, n: int) -> None:
        e = self.current()
        if e is None:
            return
        if self.session.memory is None:
            self.say("the translation memory is still loading", "warning")
            return
        sugg = self.session.suggestions(self.lang, e)
        if n > len(sugg):
            self.say(f"no memory suggestion {n}", "warning")
            return
        sg = sugg[n - 1]
        ed = self.session.edit(self.article_id, self.lang, e.key)
        key = e.key

        def take() -> None:
            out = self._run("take suggestion", lambda: self.session.take(self.view, key, sg.target, sg.score))
            if out is not None:
                if ed is not None:
                    self.app.save_journal()  # the edit is gone from the journal; u brings it back
                self._after(key, out)

        state = review.state(e)
        if ed is not None or state in (review.TRANSLATED, review.APPROVED):
            # one key would replace typed text, or a confirmed (approved) translation, with a draft
            what = "your unsaved edit" if ed is not None else \
                {review.APPROVED: "the approved translation"}.get(state, "the confirmed translation")
            details = Text.assemble(("Now: ", "bold"), ed.text if ed is not None else e.msgstr, "\n",
                                    (f"Suggestion {n} ({int(round(sg.score))}%): ", "bold"), sg.target)
            self.app.push_screen(ConfirmScreen(f"Replace {what}?", details, "replace with a draft"),
                                 lambda yes: take() if yes else self.say("kept as it was"))
            return
        take()

    def action_deepl(self) -> None:
        """`d`: ask DeepL for the highlighted entry (in a worker; paid once, then taken from
        the record); `d` again takes the suggestion shown as a draft."""
        e = self.current()
        if e is None:
            return
        got = self.mt_suggestions.get((self.lang, e.key))
        if got:
            out = self._run("take suggestion", lambda: self.session.take(self.view, e.key, got, None,
                                                                           engine="deepl"))
            if out is not None:
                self._after(e.key, out)
            return
        self.mt_suggestions[(self.lang, e.key)] = ""  # asked: the side panel says so
        self.show_details(e, self.query_one(TextArea).text)
        self.say("asking DeepL for this entry…")
        self._deepl_worker(self.article_id, self.lang, e.key)

    def deepl_arrived(self, msg) -> None:
        if msg.error:
            self.mt_suggestions.pop((msg.lang, msg.key), None)
            self.say(f"DeepL: {msg.error}", "error")
        else:
            self.mt_suggestions[(msg.lang, msg.key)] = msg.text
            self.say("DeepL suggestion " + ("from the record (nothing billed)" if msg.paid_before
                                            else "received (billed once, recorded)")
                     + ": d takes it as a draft", "success")
        if self.bound is not None and self.bound == msg.key and self.lang == msg.lang:
            e = self.view.get(msg.key)
            if e is not None:
                self.show_details(e, self.query_one(TextArea).text)

    def action_undo(self) -> None:
        got = self._in_hand()
        if got is not None and got[2]:
            self._discard(*got[:2])  # the typing in hand is what `u` takes back first
            return
        try:
            res = self.session.undo(self.article_id, self.lang)
        except (actions.Conflict, L10nError) as exc:
            self.rebuild()
            self.reload_bound()
            self.say(f"cannot undo: {exc}", "error")
            return
        if res is None:
            self.say(f"nothing to undo in this article [{self.lang}]", "warning")
            return
        step, out = res
        self.call_after_refresh(self.poll_disk)
        if step.article == self.article_id and step.lang == self.lang:
            self.rebuild()
            self.reload_bound()
            i = self.view.index_of(step.before.key)
            if i is not None:
                self.move_to(i)
        self.app.save_journal()
        self.say(out.message + f" on {step.article} [{step.lang}]", "success")

    def _discard(self, e: Entry, text: str) -> None:
        """Ask, then throw away the unsaved edit of `e` (what `u` does before it undoes a
        saved step: an undo of another entry's save, out of sight, was what `u` did)."""
        key = e.key

        def answer(yes: bool) -> None:
            if not yes:
                self.say("unsaved edit kept")
                return
            self.session.drop_edit(self.article_id, self.lang, key)
            self.app.save_journal()
            if self.bound == key:
                self.reload_bound()
            self.refresh_row(key)
            self.say("unsaved edit discarded", "success")

        self.app.push_screen(ConfirmScreen(
            "Discard your unsaved edit?",
            Text.assemble(("ja  ", "bold"), e.msgid, "\n", (f"{self.lang}  ", "bold"), text, "\n\n",
                          ("Saved: ", "bold"), e.msgstr or ("(nothing yet)", "dim")),
            "discard"), answer)


def _when(stamp: str) -> str:
    """An approval's time as a person reads it: 2026-12-01T10:02:00Z -> 2026-12-01 10:02 UTC."""
    if len(stamp) >= 16 and stamp[10:11] == "T" and stamp.endswith("Z"):
        return f"{stamp[:10]} {stamp[11:16]} UTC"
    return stamp
