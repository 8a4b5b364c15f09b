"""Review states, and the translator comments that record them.

Every entry is in exactly one state, computed from the PO file alone:

    untranslated  empty msgstr
    draft         msgstr set and flagged fuzzy
    translated    msgstr set, not fuzzy, no valid approval
    approved      not fuzzy, and an approval comment whose hash matches (msgctxt, msgid, msgstr)

The approval is a translator comment because GNU tools keep translator comments and drop
unknown flags. Because it is bound to a hash of the entry, any change to the source or
the translation, made by any tool, voids it: there is no way to "forget" to withdraw it.

Our comments all start with `l10n: ` so that a person reading the PO file, or Poedit,
sees what they are:

    # l10n: approved 2026-02-03T09:12:00Z 3f2a…(64 hex digits)…9c0d by Aiko Tanaka
    # l10n: override 2026-02-03T09:12:00Z the number is written out on purpose
    # l10n: origin deepl 77aa01c2d3e4f5a6
    # l10n: origin memory 87% 77aa01c2d3e4f5a6
    # l10n: translated 2026-02-02T17:40:00Z by Ken Mori
    # l10n: rejected 2026-02-03T09:15:00Z by Aiko Tanaka: say "prefecture", not "province"

The approval hash is a full SHA-256 (64 hex digits) over a length-prefixed encoding of
(msgctxt, msgid, msgstr), so no two entries share an encoding and no text can move from
one field to another. Approvals written before it carried 16 hex digits (64 bits, which
a birthday search can collide); such an approval never counts: `l10n sync` re-stamps
those whose content still matches (`restamp`) and reports how many.

The hash after an `origin` is the hash of the text the engine produced; an approved
entry whose msgstr still has that hash was approved straight from the machine draft.
It stays short: it only tells machine text from human text, and grants nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .catalog import Entry

UNTRANSLATED = "untranslated"
DRAFT = "draft"
TRANSLATED = "translated"
APPROVED = "approved"
STATES = (UNTRANSLATED, DRAFT, TRANSLATED, APPROVED)

PREFIX = "l10n: "
_APPROVED_RE = re.compile(r"^l10n: approved (\S+) ([0-9a-f]{64}|[0-9a-f]{16}) by (.+)$")
_ORIGIN_RE = re.compile(r"^l10n: origin (\w+)(?: (\d+)%)?(?: ([0-9a-f]{16}))?$")
_TRANSLATED_RE = re.compile(r"^l10n: translated (\S+) by (.+)$")
_REJECTED_RE = re.compile(r"^l10n: rejected (\S+) by (.+?): (.*)$")
_OVERRIDE_RE = re.compile(r"^l10n: override (\S+) (.*)$")
MACHINE_ENGINES = ("deepl", "memory")


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def text_hash(text: str) -> str:
    """A short (64-bit) hash of a text: origins and caches, never approvals."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _field(value: str | None) -> bytes:
    if value is None:
        return b"\x00"
    data = value.encode("utf-8", "surrogatepass")
    return b"\x01" + len(data).to_bytes(8, "big") + data


def entry_hash(e: Entry) -> str:
    """SHA-256 of (msgctxt, msgid, msgstr), each field length-prefixed (and msgctxt None
    apart from ""): what an approval is bound to. 64 hex digits."""
    return hashlib.sha256(b"l10n approval v2\n" + _field(e.msgctxt) + _field(e.msgid)
                          + _field(e.msgstr)).hexdigest()


def legacy_entry_hash(e: Entry) -> str:
    """The 64-bit approval hash of earlier versions; only `restamp` reads it."""
    ctxt = e.msgctxt if e.msgctxt is not None else ""
    return text_hash(f"{ctxt}\x04{e.msgid}\x00{e.msgstr}")


def _one_line(s: str) -> str:
    return " ".join(s.split())


@dataclass(frozen=True)
class Approval:
    when: str
    hash: str
    reviewer: str


@dataclass(frozen=True)
class Origin:
    engine: str  # "deepl", "memory", ...
    score: int | None
    hash: str | None  # hash of the text the engine produced


def approval(e: Entry) -> Approval | None:
    """The recorded approval, valid or not."""
    for c in e.comments:
        m = _APPROVED_RE.match(c)
        if m:
            return Approval(m.group(1), m.group(2), m.group(3))
    return None


def in_conflict(e: Entry) -> bool:
    """An unresolved merge conflict (gitmerge): a draft whatever its flags say, never
    approved, so never published, until someone picks a side."""
    return any(c.startswith(f"{PREFIX}conflict") for c in e.comments)


def is_approved(e: Entry) -> bool:
    if not e.msgstr or e.fuzzy or in_conflict(e):
        return False
    a = approval(e)
    return a is not None and len(a.hash) == 64 and a.hash == entry_hash(e)


def restamp(e: Entry) -> bool:
    """Migrate a short-hash approval to SHA-256 if it still matches its entry (same
    reviewer, same time). True when the entry changed. A short hash that does not match
    is left as it is: void, as it was."""
    a = approval(e)
    if (a is None or len(a.hash) != 16 or not e.msgstr or e.fuzzy or in_conflict(e)
            or a.hash != legacy_entry_hash(e)):
        return False
    old = f"{PREFIX}approved {a.when} {a.hash} by {a.reviewer}"
    new = f"{PREFIX}approved {a.when} {entry_hash(e)} by {a.reviewer}"
    e.comments = [new if c == old else c for c in e.comments]
    return True


def confirmed(e: Entry) -> bool:
    """Translated or approved: a person's text (what the translation memory learns from).
    Cheaper than `state`, which must hash the entry to tell the two apart."""
    return bool(e.msgstr) and not e.fuzzy and not in_conflict(e)


def state(e: Entry) -> str:
    if not e.msgstr:
        return UNTRANSLATED
    if e.fuzzy or in_conflict(e):
        return DRAFT
    if is_approved(e):
        return APPROVED
    return TRANSLATED


def origin(e: Entry) -> Origin | None:
    for c in e.comments:
        m = _ORIGIN_RE.match(c)
        if m:
            return Origin(m.group(1), int(m.group(2)) if m.group(2) else None, m.group(3))
    return None


def last_translator(e: Entry) -> str | None:
    for c in e.comments:
        m = _TRANSLATED_RE.match(c)
        if m:
            return m.group(2)
    return None


def last_change(cat) -> tuple[datetime, str] | None:
    """(when, who) of the latest translation or approval recorded in a catalog's
    comments: what PO-Revision-Date and Last-Translator say of a catalog written before
    l10n kept them."""
    best = None
    for e in cat.entries:
        for c in e.comments:
            m = _TRANSLATED_RE.match(c) or _APPROVED_RE.match(c)
            if m:
                try:
                    when = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
                except ValueError:
                    continue
                who = m.group(m.lastindex)
                if best is None or when > best[0]:
                    best = (when, who)
    return best


def rejection(e: Entry) -> tuple[str, str, str] | None:
    """(when, reviewer, note) of the last rejection, if any."""
    for c in e.comments:
        m = _REJECTED_RE.match(c)
        if m:
            return m.group(1), m.group(2), m.group(3)
    return None


def override(e: Entry) -> str | None:
    for c in e.comments:
        m = _OVERRIDE_RE.match(c)
        if m:
            return m.group(2)
    return None


def machine_unedited(e: Entry) -> bool:
    """True when the msgstr is still exactly what a machine engine produced."""
    o = origin(e)
    return bool(o and o.engine in MACHINE_ENGINES and o.hash == text_hash(e.msgstr))


def _drop(e: Entry, *kinds: str) -> None:
    prefixes = tuple(f"{PREFIX}{k} " for k in kinds)
    e.comments = [c for c in e.comments if not c.startswith(prefixes)]


def _add(e: Entry, comment: str) -> None:
    # our comments come after the translator's own notes, in a fixed order
    e.comments.append(comment)
    order = {"origin": 0, "translated": 1, "rejected": 2, "approved": 3, "override": 4}

    def rank(c: str) -> tuple[int, int]:
        if c.startswith(PREFIX):
            kind = c[len(PREFIX):].split(" ", 1)[0]
            return (1, order.get(kind, 9))
        return (0, 0)

    e.comments = sorted(e.comments, key=rank)


def set_draft(e: Entry, text: str, engine: str, score: int | None = None) -> None:
    """A machine or memory suggestion: fuzzy, with its origin recorded."""
    e.msgstr = text
    e.fuzzy = True
    _drop(e, "origin", "approved", "override", "translated")
    s = f" {score}%" if score is not None else ""
    _add(e, f"{PREFIX}origin {engine}{s} {text_hash(text)}")


def set_translation(e: Entry, text: str, translator: str, when: str | None = None) -> None:
    """A human confirms a translation: no longer fuzzy, previous source cleared.

    The approval is removed only if the text changed; confirming the same text keeps a
    valid approval (its hash still matches)."""
    changed = text != e.msgstr
    e.msgstr = text
    e.fuzzy = False
    e.previous_msgid = None
    e.previous_msgctxt = None
    if changed or not is_approved(e):
        _drop(e, "approved", "override")
    _drop(e, "translated")
    _add(e, f"{PREFIX}translated {when or now_utc()} by {_one_line(translator)}")


def approve(e: Entry, reviewer: str, when: str | None = None, reason: str | None = None) -> None:
    """Approve this exact source and translation. Clears fuzzy and the previous source."""
    e.fuzzy = False
    e.previous_msgid = None
    e.previous_msgctxt = None
    _drop(e, "approved", "override", "rejected")
    when = when or now_utc()
    _add(e, f"{PREFIX}approved {when} {entry_hash(e)} by {_one_line(reviewer)}")
    if reason:
        _add(e, f"{PREFIX}override {when} {_one_line(reason)}")


def reject(e: Entry, reviewer: str, note: str, when: str | None = None) -> None:
    """Back to draft with a note for the translator."""
    e.fuzzy = True
    _drop(e, "approved", "override", "rejected")
    _add(e, f"{PREFIX}rejected {when or now_utc()} by {_one_line(reviewer)}: {_one_line(note)}")


def clear_review(e: Entry) -> None:
    """Drop approval-related comments (used when an entry's source changed)."""
    _drop(e, "approved", "override")


def notes(e: Entry) -> list[str]:
    """The translators' own notes on an entry: its translator comments that are not ours.
    They are not part of the approval hash, so a note never withdraws an approval."""
    return [c for c in e.comments if not c.startswith(PREFIX) and c != PREFIX.strip()]


def set_notes(e: Entry, text: str) -> None:
    """Replace the entry's notes with `text`, one comment line per line (empty: none).
    A line may not start like our own comments (`l10n:`), which would forge a record."""
    lines = [" ".join(ln.split()) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    for ln in lines:
        if ln.startswith(PREFIX.strip()):
            raise ValueError("a note cannot start with 'l10n:' (that is how l10n records "
                             "approvals and drafts)")
        if not ln.isprintable():
            raise ValueError("a note cannot hold control characters")
    ours = [c for c in e.comments if c not in notes(e)]
    e.comments = lines + ours
