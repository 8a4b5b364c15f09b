"""What a translator or a reviewer does to an entry, for the CLI and the TUI alike.

Every action reads the catalog under its lock, changes the entries it names, and writes
the catalog atomically (workspace.update_catalog). An action names an entry by its key
(msgctxt, msgid) and, for edits, by the msgstr the person saw: if someone else changed
that entry in the meantime, the action is refused with `Conflict` instead of
overwriting their work.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

from . import review
from .catalog import Catalog, Entry, Key
from .errors import InputError, L10nError, UsageError
from .project import Project
from .workspace import update_catalog


class Conflict(L10nError):
    """The entry changed on disk since it was read; nothing was written."""

    exit_code = 1

    def __init__(self, message: str, current: Entry | None = None):
        super().__init__(message)
        self.current = current


class Refused(L10nError):
    """The review gate refused an approval (an error finding, or the four-eyes rule)."""

    exit_code = 1

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message)
        self.findings = findings or []


def identity(as_name: str | None = None, cwd: str | None = None) -> str:
    """Who is acting: --as NAME, then L10N_USER, then `git config user.name`."""
    for name in (as_name, os.environ.get("L10N_USER")):
        if name and name.strip():
            return " ".join(name.split())
    try:
        out = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                             cwd=cwd, timeout=5)
        if out.returncode == 0 and out.stdout.strip():
            return " ".join(out.stdout.split())
    except (OSError, subprocess.SubprocessError):
        pass
    raise UsageError("who are you? Give --as NAME, set L10N_USER, or set git config user.name")


def _find(cat: Catalog, key: Key, path: str) -> Entry:
    for e in cat.entries:
        if not e.obsolete and e.key == key:
            return e
    raise InputError(f"no entry {key[1][:50]!r} (msgctxt {key[0]!r}) any more", path)


@dataclass
class ApproveResult:
    approved: list[Entry] = field(default_factory=list)
    already: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)  # untranslated: nothing to approve
    refused: list[tuple[Entry, list]] = field(default_factory=list)  # (entry, findings or reason)


def _gate_findings(project: Project, lang: str, e: Entry) -> list:
    """Error-severity findings for one entry (the review gate)."""
    from .quality import entry_findings

    return [f for f in entry_findings(project, lang, e) if f.severity == "error"]


def approve(project: Project, article_id: str, lang: str, reviewer: str, *,
            msgids: list[str] | None = None, keys: list[Key] | None = None,
            all_entries: bool = False, override: str | None = None,
            expect: dict[Key, str] | None = None) -> ApproveResult:
    """Approve entries that are translated or draft.

    An entry with an error finding is refused unless `override` gives a reason; with the
    four-eyes rule on, a reviewer cannot approve their own translation. `expect` maps a
    key to the msgstr the reviewer saw (the TUI passes it): a different msgstr on disk
    is a Conflict."""
    project.check_lang(lang)
    path = project.catalog_path(lang, article_id)
    four_eyes = project.config.four_eyes

    def change(cat: Catalog) -> ApproveResult:
        res = ApproveResult()
        targets: list[Entry] = []
        if all_entries:
            targets = [e for e in cat.entries if not e.obsolete]
        for k in keys or []:
            targets.append(_find(cat, k, str(path)))
        for m in msgids or []:
            hits = [e for e in cat.entries if not e.obsolete and e.msgid == m]
            if not hits:
                raise UsageError(f"{project.rel(path)}: no entry with msgid {m[:60]!r}")
            targets += hits
        for e in targets:
            if expect and e.key in expect and expect[e.key] != e.msgstr:
                raise Conflict("someone changed this entry since you read it; it was reloaded", e.copy())
            s = review.state(e)
            if s == review.UNTRANSLATED:
                res.skipped.append(e)
                continue
            if s == review.APPROVED:
                res.already.append(e)
                continue
            if review.in_conflict(e):
                res.refused.append((e, ["merge conflict: pick a side first (l10n resolve)"]))
                continue
            if four_eyes and review.last_translator(e) == reviewer:
                res.refused.append((e, [f"four-eyes rule: {reviewer} translated this entry; "
                                        "another reviewer must approve it"]))
                continue
            findings = _gate_findings(project, lang, e)
            if findings and not override:
                res.refused.append((e, findings))
                continue
            review.approve(e, reviewer, reason=override if findings else None)
            res.approved.append(e)
        return res

    return update_catalog(project, lang, article_id, change)


def reject(project: Project, article_id: str, lang: str, reviewer: str, note: str, *,
           msgid: str | None = None, key: Key | None = None,
           expect: str | None = None) -> Entry:
    """Send an entry back to draft with a note for the translator."""
    project.check_lang(lang)
    if not note or not note.strip():
        raise UsageError("a rejection needs a note that tells the translator what to fix")
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        if key is not None:
            e = _find(cat, key, str(path))
        else:
            hits = [x for x in cat.entries if not x.obsolete and x.msgid == msgid]
            if not hits:
                raise UsageError(f"{project.rel(path)}: no entry with msgid {str(msgid)[:60]!r}")
            e = hits[0]
        if expect is not None and e.msgstr != expect:
            raise Conflict("someone changed this entry since you read it; it was reloaded", e.copy())
        if not e.msgstr:
            raise UsageError(f"{project.rel(path)}: {e.msgid[:40]!r} is untranslated; nothing to reject")
        review.reject(e, reviewer, note)
        return e.copy()

    return update_catalog(project, lang, article_id, change)


def save_translation(project: Project, article_id: str, lang: str, key: Key, text: str,
                     translator: str, *, expect: str | None = None) -> Entry:
    """A human's translation, confirmed: the entry becomes translated (not fuzzy).

    `expect` is the msgstr the translator started from; if the entry on disk holds
    something else, nobody's work is overwritten: Conflict carries the current entry."""
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        e = _find(cat, key, str(path))
        if expect is not None and e.msgstr != expect and e.msgstr != text:
            raise Conflict("this entry was changed on disk while you edited it", e.copy())
        review.set_translation(e, text, translator)
        return e.copy()

    return update_catalog(project, lang, article_id, change)


def set_draft(project: Project, article_id: str, lang: str, key: Key, text: str,
              engine: str, score: int | None = None, *, expect: str | None = None) -> Entry:
    """Put a suggestion (memory or machine) into an entry as a draft."""
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        e = _find(cat, key, str(path))
        if expect is not None and e.msgstr != expect:
            raise Conflict("this entry was changed on disk", e.copy())
        review.set_draft(e, text, engine, score)
        return e.copy()

    return update_catalog(project, lang, article_id, change)


def restore_entry(project: Project, article_id: str, lang: str, before: Entry,
                  expect: Entry) -> Entry:
    """Undo: put an entry back as it was, if it is still as the action left it."""
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        for i, e in enumerate(cat.entries):
            if not e.obsolete and e.key == before.key:
                if (e.msgstr, e.flags, e.comments) != (expect.msgstr, expect.flags, expect.comments):
                    raise Conflict("the entry changed since; undo would overwrite it", e.copy())
                cat.entries[i] = before.copy()
                return before.copy()
        raise InputError(f"no entry {before.msgid[:50]!r} any more", path)

    return update_catalog(project, lang, article_id, change)


@dataclass
class ResolveResult:
    resolved: list[tuple[Key, Entry | None]] = field(default_factory=list)  # None: deleted
    header: list[str] = field(default_factory=list)  # header fields settled
    remaining: int = 0  # conflicts left in the catalog (entries and header fields)


def resolve(project: Project, article_id: str, lang: str, take: str, *,
            msgids: list[str] | None = None, msgctxt: str | None = None,
            keys: list[Key] | None = None, all_entries: bool = False, header: bool = False,
            expect: dict[Key, str] | None = None) -> ResolveResult:
    """Settle merge conflicts (gitmerge) by taking one side, "ours" or "theirs".

    The chosen side's entry comes back exactly as that side had it: its msgstr, flags
    and comments, its approval too (valid again, since the hash covers what is
    restored), or its removal. `all_entries` settles every conflict, the header's
    included; `header` the header's only. `expect` maps a key to the msgstr the person
    saw (the TUI passes it): a different msgstr on disk is a Conflict."""
    from . import gitmerge

    project.check_lang(lang)
    if take not in gitmerge.SIDES:
        raise UsageError(f"take ours or theirs, not {take!r}")
    path = project.catalog_path(lang, article_id)
    rel = project.rel(path)

    def change(cat: Catalog) -> ResolveResult:
        res = ResolveResult()
        found = gitmerge.conflicts(cat, rel)
        targets: list[Key] = [c.key for c in found] if all_entries else []
        targets += list(keys or [])
        for m in msgids or []:
            hits = [c.key for c in found if c.key[1] == m and (msgctxt is None or c.key[0] == msgctxt)]
            if not hits:
                raise UsageError(f"{rel}: no merge conflict on msgid {m[:60]!r}")
            targets += hits
        current = {c.key: c.entry for c in found}
        for k in dict.fromkeys(targets):
            if expect and k in expect and k in current and current[k].msgstr != expect[k]:
                raise Conflict("someone changed this entry since you read it; it was reloaded",
                               current[k].copy())
            res.resolved.append((k, gitmerge.resolve_entry(cat, k, take, rel)))
        if all_entries or header:
            res.header = gitmerge.resolve_header(cat, take)
        res.remaining = len(gitmerge.conflicts(cat, rel)) + len(gitmerge.header_conflicts(cat))
        return res

    return update_catalog(project, lang, article_id, change)


def set_note(project: Project, article_id: str, lang: str, key: Key, text: str, *,
             expect: list[str] | None = None) -> Entry:
    """Write a translator's note on an entry (a translator comment, kept by every PO
    tool); `expect` is the notes the person started from, so nobody's note is lost."""
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        e = _find(cat, key, str(path))
        if expect is not None and review.notes(e) != expect:
            raise Conflict("the note on this entry was changed on disk meanwhile", e.copy())
        try:
            review.set_notes(e, text)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return e.copy()

    return update_catalog(project, lang, article_id, change)
