"""What a translator or a reviewer does to an entry, for the CLI and the TUI alike.

Every action reads the catalog under its lock, changes the entries it names, and writes
the catalog atomically (workspace.update_catalog). An action names an entry by its key
(msgctxt, msgid) and, for edits, by the msgstr the person saw: if someone else changed
that entry in the meantime, the action is refused with `Conflict` instead of
overwriting their work. `seen` (the TUI's view of the catalog) is changed in place
instead of parsing the file again when the file is still the one it was read from.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import review
from .catalog import Catalog, Entry, Key, stamp_revision
from .errors import InputError, L10nError, UsageError
from .project import Project
from .workspace import update_catalog

if TYPE_CHECKING:  # the checks load only when an approval runs them (start-up time)
    from .checks import Finding


class Conflict(L10nError):
    """The entry changed on disk since it was read; nothing was written."""

    exit_code = 1

    def __init__(self, message: str, current: Entry | None = None):
        super().__init__(message)
        self.current = current


def given_name(as_name: str | None) -> str | None:
    """The name given with --as, spaces folded; None when none was given. A name given but
    blank (`--as ""`) is an error, not a fall-back to the next source: an approval must
    not be recorded under a name the reviewer did not mean."""
    if as_name is None:
        return None
    if not as_name.strip():
        raise UsageError("--as needs a name (it was empty)")
    return " ".join(as_name.split())


def identity(as_name: str | None = None, cwd: str | None = None) -> str:
    """Who is acting: --as NAME (`given_name`), then L10N_USER, then `git config user.name`."""
    as_name = given_name(as_name)
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


def _shown(msgid: str, width: int = 60) -> str:
    one = " ".join(msgid.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def select_entries(cat: Catalog, where: str, *, msgids: list[str] | None = None,
                   numbers: list[int] | None = None, msgctxt: str | None = None,
                   among: list[Entry] | None = None) -> list[Entry]:
    """The entries a person named, in the order named, each once.

    A name is the entry's number (`numbers`: its 1-based position among the catalog's
    active entries in document order, the `#` that `l10n status ARTICLE --lang L` and
    the TUI show), or a text (`msgids`): the exact msgid, else a prefix of exactly one
    msgid (a trailing `…` or `...`, as in a shortened quote, is dropped; whitespace is
    compared loosely). An exact msgid or a prefix shared by entries of several roles
    (msgctxt) names all of them, unless `msgctxt` picks one. `among` restricts the
    texts to a subset (e.g. the entries in conflict). A name that matches nothing, or a
    prefix of several different msgids, is a UsageError that lists the candidates."""
    active = cat.active()
    pool = [e for e in (active if among is None else among)
            if msgctxt is None or e.msgctxt == msgctxt]
    number_of = {id(e): i for i, e in enumerate(active, 1)}
    out: list[Entry] = []
    for n in numbers or []:
        if not 1 <= n <= len(active):
            raise UsageError(f"{where}: no entry {n}: the entries are numbered 1 to {len(active)} "
                             "(`l10n status ARTICLE --lang L` lists them)")
        out.append(active[n - 1])
    for text in msgids or []:
        hits = [e for e in pool if e.msgid == text]
        if not hits:
            want = " ".join(text.split())
            for tail in ("…", "..."):
                want = want.removesuffix(tail)
            want = want.rstrip()
            hits = [e for e in pool if want and " ".join(e.msgid.split()).startswith(want)]
            if len({e.msgid for e in hits}) > 1:
                listing = "\n".join(f"  {number_of[id(e)]:>4}  [{e.msgctxt or ''}] {_shown(e.msgid)}"
                                    for e in hits[:20])
                more = f"\n  … and {len(hits) - 20} more" if len(hits) > 20 else ""
                raise UsageError(f"{where}: {_shown(text)!r} starts {len(hits)} entries; say which "
                                 f"with more of the text or --entry N:\n{listing}{more}")
        if not hits:
            what = "no entry" if among is None else "no merge conflict on an entry"
            raise UsageError(f"{where}: {what} whose msgid is or starts with {_shown(text)!r}")
        out += hits
    seen: set[int] = set()
    return [e for e in out if not (id(e) in seen or seen.add(id(e)))]


def entry_number(cat: Catalog, e: Entry) -> int | None:
    """The entry's 1-based position among the active entries (see select_entries)."""
    for i, x in enumerate(cat.active(), 1):
        if x is e or x.key == e.key:
            return i
    return None


@dataclass
class Refusal:
    """An entry the review gate would not approve: for its error findings (which
    `override` can overrule), or for a reason no override lifts (a merge conflict, the
    four-eyes rule)."""

    entry: Entry
    findings: list[Finding] = field(default_factory=list)  # error-severity findings
    reason: str | None = None  # why, when it is not the checks

    def describe(self) -> str:
        """One line: the reason, or the findings."""
        if self.reason:
            return self.reason
        return "; ".join(f"{f.check}: {f.message}" for f in self.findings)


@dataclass
class ApproveResult:
    approved: list[Entry] = field(default_factory=list)
    already: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)  # untranslated: nothing to approve
    refused: list[Refusal] = field(default_factory=list)
    warnings: list[tuple[Entry, list[Finding]]] = field(default_factory=list)  # approved anyway
    numbers: dict[Key, int] = field(default_factory=dict)  # each entry's number (select_entries)


def _entry_findings(project: Project, lang: str, e: Entry) -> list[Finding]:
    """Every finding of the checks for one entry (errors are the review gate)."""
    from .quality import entry_findings

    return entry_findings(project, lang, e)


def approve(project: Project, article_id: str, lang: str, reviewer: str, *,
            msgids: list[str] | None = None, keys: list[Key] | None = None,
            numbers: list[int] | None = None,
            all_entries: bool = False, override: str | None = None,
            expect: dict[Key, str] | None = None, seen: Catalog | None = None) -> ApproveResult:
    """Approve entries that are translated or draft.

    An entry with an error finding is refused unless `override` gives a reason; with the
    four-eyes rule on, a reviewer cannot approve their own translation. `expect` maps a
    key to the msgstr the reviewer saw (the TUI passes it): a different msgstr on disk
    is a Conflict."""
    project.check_lang(lang)
    path = project.catalog_path(lang, article_id)
    four_eyes = project.four_eyes_now()  # the rule as it is now, in a TUI that runs all day

    def change(cat: Catalog) -> ApproveResult:
        res = ApproveResult()
        targets: list[Entry] = []
        if all_entries:
            targets = [e for e in cat.entries if not e.obsolete]
        for k in keys or []:
            targets.append(_find(cat, k, str(path)))
        targets += select_entries(cat, project.rel(path), msgids=msgids, numbers=numbers)
        res.numbers = {e.key: i for i, e in enumerate(cat.active(), 1)}
        for e in dict((id(e), e) for e in targets).values():
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
                res.refused.append(Refusal(e, reason="merge conflict: pick a side first (l10n resolve)"))
                continue
            if four_eyes and review.last_translator(e) == reviewer:
                res.refused.append(Refusal(e, reason=f"four-eyes rule: {reviewer} translated this "
                                           "entry; another reviewer must approve it"))
                continue
            found = _entry_findings(project, lang, e)
            findings = [f for f in found if f.severity == "error"]
            if findings and not override:
                res.refused.append(Refusal(e, findings=findings))
                continue
            review.approve(e, reviewer, reason=override if findings else None)
            res.approved.append(e)
            warnings = [f for f in found if f.severity != "error"]
            if warnings:
                res.warnings.append((e, warnings))
        if res.approved:
            stamp_revision(cat, reviewer)  # PO-Revision-Date, Last-Translator
        return res

    return update_catalog(project, lang, article_id, change, seen=seen)


def reject(project: Project, article_id: str, lang: str, reviewer: str, note: str, *,
           msgid: str | None = None, key: Key | None = None, number: int | None = None,
           msgctxt: str | None = None, expect: str | None = None,
           seen: Catalog | None = None) -> Entry:
    """Send an entry back to draft with a note for the translator."""
    project.check_lang(lang)
    if not note or not note.strip():
        raise UsageError("a rejection needs a note that tells the translator what to fix")
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        if key is not None:
            e = _find(cat, key, str(path))
        else:
            where = project.rel(path)
            hits = select_entries(cat, where, msgids=[msgid] if msgid is not None else None,
                                  numbers=[number] if number is not None else None,
                                  msgctxt=msgctxt)
            if len(hits) != 1:
                listing = "\n".join(f"  {entry_number(cat, x):>4}  [{x.msgctxt or ''}] {_shown(x.msgid)}"
                                    for x in hits)
                raise UsageError(f"{where}: {len(hits)} entries have this text; say which with "
                                 f"--entry N or --msgctxt ROLE:\n{listing}")
            e = hits[0]
        if expect is not None and e.msgstr != expect:
            raise Conflict("someone changed this entry since you read it; it was reloaded", e.copy())
        if not e.msgstr:
            raise UsageError(f"{project.rel(path)}: {e.msgid[:40]!r} is untranslated; nothing to reject")
        review.reject(e, reviewer, note)
        stamp_revision(cat, reviewer)
        return e.copy()

    return update_catalog(project, lang, article_id, change, seen=seen)


def save_translation(project: Project, article_id: str, lang: str, key: Key, text: str,
                     translator: str, *, expect: str | None = None,
                     seen: Catalog | None = None) -> Entry:
    """A human's translation, confirmed: the entry becomes translated (not fuzzy).

    `expect` is the msgstr the translator started from; if the entry on disk holds
    something else, nobody's work is overwritten: Conflict carries the current entry."""
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        e = _find(cat, key, str(path))
        if expect is not None and e.msgstr != expect and e.msgstr != text:
            raise Conflict("this entry was changed on disk while you edited it", e.copy())
        review.set_translation(e, text, translator)
        stamp_revision(cat, translator)
        return e.copy()

    return update_catalog(project, lang, article_id, change, seen=seen)


def set_draft(project: Project, article_id: str, lang: str, key: Key, text: str,
              engine: str, score: int | None = None, *, expect: str | None = None,
              seen: Catalog | None = None) -> Entry:
    """Put a suggestion (memory or machine) into an entry as a draft."""
    path = project.catalog_path(lang, article_id)

    def change(cat: Catalog) -> Entry:
        e = _find(cat, key, str(path))
        if expect is not None and e.msgstr != expect:
            raise Conflict("this entry was changed on disk", e.copy())
        review.set_draft(e, text, engine, score)
        return e.copy()

    return update_catalog(project, lang, article_id, change, seen=seen)


def restore_entry(project: Project, article_id: str, lang: str, before: Entry,
                  expect: Entry, seen: Catalog | None = None) -> Entry:
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

    return update_catalog(project, lang, article_id, change, seen=seen)


@dataclass
class ResolveResult:
    resolved: list[tuple[Key, Entry | None]] = field(default_factory=list)  # None: deleted
    header: list[str] = field(default_factory=list)  # header fields settled
    remaining: int = 0  # conflicts left in the catalog (entries and header fields)


def resolve(project: Project, article_id: str, lang: str, take: str, *,
            msgids: list[str] | None = None, msgctxt: str | None = None,
            keys: list[Key] | None = None, numbers: list[int] | None = None,
            all_entries: bool = False, header: bool = False,
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
        in_conflict = {c.key for c in found}
        pool = [e for e in cat.active() if e.key in in_conflict]
        for e in select_entries(cat, rel, msgids=msgids, msgctxt=msgctxt, among=pool):
            targets.append(e.key)
        for e in select_entries(cat, rel, numbers=numbers):
            if e.key not in in_conflict:
                raise UsageError(f"{rel}: entry {entry_number(cat, e)} has no merge conflict")
            targets.append(e.key)
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
             expect: list[str] | None = None, seen: Catalog | None = None) -> Entry:
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

    return update_catalog(project, lang, article_id, change, seen=seen)
