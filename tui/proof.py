"""Proof of approval on the article screen (issue 17), kept apart from the screen.

When the project requires audits (`publishing.require_audit`), the article screen runs
`l10n.audit.audit` for its article and language in a thread worker (git blame and
signature checks never run on the UI thread; the core caches them by catalog stat, HEAD
and commit id, so a rerun costs a few git calls). The worker posts `AuditDone`; the
screen then marks each approval that is not proven with `?` in the state column and
says why in the side panel. An approval made after the audit is not committed, so it is
marked too until the next audit (each time the catalog changes on disk).
"""
from __future__ import annotations

from textual import work
from textual.widgets import TextArea

from l10n import review
from l10n.catalog import Entry, Key
from l10n.errors import L10nError
from l10n.secrets import redact

from .messages import AuditDone


class ProofMixin:
    """For ArticleScreen: needs article_id, lang, view, bound, say, rebuild, show_details."""

    # entry key -> (proven, what git says); None while unknown or not required
    proof: dict[Key, tuple[bool, str]] | None = None

    def unproven(self, e: Entry) -> bool:
        """An approval that the last audit did not prove (or made since)."""
        if self.proof is None or review.state(e) != review.APPROVED:
            return False
        return not self.proof.get(e.key, (False, ""))[0]

    def proof_line(self, e: Entry) -> tuple[str, str] | None:
        """(text, style) for the side panel, for an approved entry when audits are on."""
        if self.proof is None or review.state(e) != review.APPROVED:
            return None
        ok, what = self.proof.get(e.key, (False, "approved since the last audit: not committed"))
        return ("✓ " if ok else "? not proven: ") + what, "green" if ok else "bold red"

    def start_audit(self) -> None:
        if self.app.project.config.require_audit and self.view is not None and not self.view.missing:
            self.run_audit(self.article_id, self.lang)

    @work(thread=True, exclusive=True, group="audit", exit_on_error=False)
    def run_audit(self, article: str, lang: str) -> None:
        from l10n.audit import audit

        try:
            rep = audit(self.app.project, [article], [lang])
        except L10nError as exc:
            self.post_message(AuditDone(article, lang, None, redact(str(exc))))
            return
        trust = rep.trust.problems[0] if rep.trust.problems else None
        proof = {(i.msgctxt, i.msgid): (i.proven and trust is None, trust or i.message)
                 for i in rep.items}
        self.post_message(AuditDone(article, lang, proof, trust))

    def on_audit_done(self, msg: AuditDone) -> None:
        if (msg.article, msg.lang) != (self.article_id, self.lang):
            return  # an older audit, of another language
        if msg.proof is None:
            self.say(f"audit: {msg.problem}", "error")
            return
        self.proof = msg.proof
        bad = sum(1 for ok, _ in msg.proof.values() if not ok)
        if msg.problem:
            self.say(f"audit: {msg.problem}", "error")
        elif bad:
            self.say(f"audit: {bad} approvals not proven by a reviewer's signed commit (?)",
                     "warning")
        self.rebuild()
        e = self.view.get(self.bound) if self.bound is not None and self.view is not None else None
        if e is not None:
            self.show_details(e, self.query_one(TextArea).text)
