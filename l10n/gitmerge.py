"""Merging PO catalogs the way reviewers work on them: entry by entry, three ways.

Git merges text line by line. Two reviewers who approve different entries of one
catalog change nearby lines (an approval is a translator comment), and git's line merge
then reports a conflict, or worse, interleaves them. `l10n merge-driver` replaces it for
`*.po` (see `.gitattributes` and `l10n merge-driver --install`):

    git config merge.l10n-po.driver "'/path/to/python' -m l10n merge-driver %O %A %B %P"

`merge3(base, ours, theirs)` compares the three versions of every entry, keyed by
(msgctxt, msgid); an entry is everything written for it: msgstr, flags, translator
comments (so an approval is a change), extracted comments, references, the previous
source, and whether it is obsolete.

* changed (added, removed, obsoleted) on one side only: that side's entry is taken;
* changed the same way on both sides: taken once;
* changed differently on both sides: a **conflict**, kept in the file (below);
* header fields merge the same way, field by field; the header's comments are a union.

A conflict stays in the catalog, never publishable, until someone picks a side. The
entry shows "ours" (or "theirs" if ours removed it), is flagged fuzzy, and records both
sides exactly, one line each, as JSON (review.state counts any entry that carries these
lines as a draft, fuzzy or not, and `l10n approve` refuses it):

    # l10n: conflict: changed on both sides; pick one with `l10n resolve` or in the TUI
    # l10n: conflict ours {"state": "active", "msgstr": "…", "flags": [], "comments": […], …}
    # l10n: conflict theirs {"state": "active", "msgstr": "…", …}
    #, fuzzy
    msgctxt "body"
    msgid "…"
    msgstr "…ours…"

`state` is `active`, `obsolete` or `absent` (that side deleted the entry). Resolving
(`resolve_entry`, `l10n resolve`, the TUI) puts the chosen side back exactly as it was,
approval included: the approval's hash covers (msgctxt, msgid, msgstr), which are
restored unchanged, so it is valid again. `l10n status` counts such entries under
`conflicts`. A conflicting header field keeps ours and is recorded in the header's
comments as `# l10n: conflict header {"field": …, "ours": …, "theirs": …}`.

"Ours" and "theirs" are git's: in a merge, ours is the branch you are on; in a rebase
or a cherry-pick, ours is the branch being rebased onto and theirs your own commit.

Obsolete entries are merged the same way: an entry obsoleted on one side and edited on
the other, or edited differently on both sides while obsolete, is a conflict too (GNU
msgfmt rejects two entries with one key, even obsolete ones, so both cannot be kept);
the conflict entry is active until a side is picked, then it is that side's again.

The driver exits 0 when the merge is clean and 1 when conflicts were kept (git then
reports the file as conflicted); a version that does not parse is exit 2, with the file
and line, and %A is left as it was. The result replaces %A atomically.

The output is `catalog.serialize`d, so it is byte-stable: the diff of a merge touches only
the entries that changed. The order follows ours, with entries that only theirs has
placed after their predecessor in theirs (or theirs' order, if only theirs reordered).
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog as po
from .catalog import Catalog, Entry, Key
from .errors import InputError, UsageError
from .display import inert, plural
from .storage import atomic_write

OURS = "ours"
THEIRS = "theirs"
SIDES = (OURS, THEIRS)
ACTIVE, OBSOLETE, ABSENT = "active", "obsolete", "absent"

CONFLICT_PREFIX = "l10n: conflict"
NOTE = "l10n: conflict: changed on both sides; pick one with `l10n resolve` or in the TUI"
_SIDE_RE = re.compile(r"^l10n: conflict (ours|theirs) (\{.*\})$")
_HEADER_RE = re.compile(r"^l10n: conflict header (\{.*\})$")

# characters that some readers (str.splitlines, editors) take for line breaks: never raw
# inside a comment line
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}

SlotId = tuple  # (msgctxt, msgid, n)


# =========================================================================== encoding

def is_conflict_comment(comment: str) -> bool:
    return comment.startswith(CONFLICT_PREFIX)


def _dumps(data: dict) -> str:
    # json escapes every control character (\n included), so this is one line
    return json.dumps(data, ensure_ascii=False).translate(_LINE_BREAKS)


def encode_side(e: Entry | None) -> dict:
    """Everything an entry holds apart from its key, as JSON-ready data."""
    if e is None:
        return {"state": ABSENT}
    d: dict = {"state": OBSOLETE if e.obsolete else ACTIVE, "msgstr": e.msgstr,
               "flags": list(e.flags), "comments": list(e.comments)}
    if e.extracted:
        d["extracted"] = list(e.extracted)
    if e.references:
        d["references"] = list(e.references)
    if e.previous_msgctxt is not None:
        d["previous_msgctxt"] = e.previous_msgctxt
    if e.previous_msgid is not None:
        d["previous_msgid"] = e.previous_msgid
    if e.msgid_plural is not None:
        d["msgid_plural"] = e.msgid_plural
        d["msgstr_plural"] = {str(k): v for k, v in sorted(e.msgstr_plural.items())}
    return d


def decode_side(d: dict, key: Key) -> Entry | None:
    """The entry a side held (None: that side had deleted it)."""
    state = d.get("state")
    if state == ABSENT:
        return None
    if state not in (ACTIVE, OBSOLETE):
        raise ValueError(f"unknown state {state!r}")

    def strings(name: str) -> list[str]:
        v = d.get(name, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ValueError(f"{name} must be a list of strings")
        return list(v)

    def opt(name: str) -> str | None:
        v = d.get(name)
        if v is not None and not isinstance(v, str):
            raise ValueError(f"{name} must be a string")
        return v

    msgstr = d.get("msgstr", "")
    if not isinstance(msgstr, str):
        raise ValueError("msgstr must be a string")
    plural = d.get("msgstr_plural") or {}
    if not isinstance(plural, dict):
        raise ValueError("msgstr_plural must be an object")
    return Entry(
        msgid=key[1], msgstr=msgstr, msgctxt=key[0], comments=strings("comments"),
        extracted=strings("extracted"), references=strings("references"),
        flags=strings("flags"), previous_msgctxt=opt("previous_msgctxt"),
        previous_msgid=opt("previous_msgid"), obsolete=state == OBSOLETE,
        msgid_plural=opt("msgid_plural"),
        msgstr_plural={int(k): str(v) for k, v in plural.items()},
    )


# =========================================================================== conflicts

@dataclass
class EntryConflict:
    """An entry changed differently on both sides, as found in a merged catalog."""

    key: Key
    ours: Entry | None  # None: that side deleted the entry; .obsolete: it obsoleted it
    theirs: Entry | None
    entry: Entry  # the conflict entry in the catalog (shows ours, fuzzy)

    def side(self, take: str) -> Entry | None:
        return self.ours if take == OURS else self.theirs

    @staticmethod
    def describe(e: Entry | None) -> str:
        if e is None:
            return "deleted"
        from . import review

        what = "obsolete" if e.obsolete else review.state(e)
        return f"{what}: {e.msgstr!r}" if e.msgstr else what


@dataclass
class HeaderConflict:
    field: str
    ours: str | None  # None: that side has no such field
    theirs: str | None
    comment: str  # the header comment that records it


def entry_conflict(e: Entry, path: str | Path = "<catalog>") -> EntryConflict | None:
    """The conflict recorded in an entry, if any (the last recorded one wins)."""
    found: dict[str, dict] = {}
    for c in e.comments:
        m = _SIDE_RE.match(c)
        if m:
            try:
                data = json.loads(m.group(2))
                if not isinstance(data, dict):
                    raise ValueError("not an object")
                decode_side(data, e.key)
            except ValueError as exc:
                raise InputError(f"entry {e.msgid[:40]!r}: unreadable conflict record "
                                 f"({exc})", path, e.lineno or None) from None
            found[m.group(1)] = data
    if not found and not any(is_conflict_comment(c) for c in e.comments):
        return None
    if set(found) != {OURS, THEIRS}:
        raise InputError(f"entry {e.msgid[:40]!r}: a conflict record needs both an `ours` "
                         "and a `theirs` line; fix the entry by hand and delete its "
                         "`l10n: conflict` comments", path, e.lineno or None)
    return EntryConflict(e.key, decode_side(found[OURS], e.key),
                         decode_side(found[THEIRS], e.key), e)


def conflicts(cat: Catalog, path: str | Path = "<catalog>") -> list[EntryConflict]:
    """Every unresolved entry conflict of a catalog, in catalog order."""
    out = []
    for e in cat.entries:
        if not e.obsolete:
            c = entry_conflict(e, path)
            if c is not None:
                out.append(c)
    return out


def header_conflicts(cat: Catalog) -> list[HeaderConflict]:
    out = []
    for c in cat.header_comments:
        m = _HEADER_RE.match(c)
        if m:
            try:
                d = json.loads(m.group(1))
                out.append(HeaderConflict(str(d["field"]), d.get(OURS), d.get(THEIRS), c))
            except (ValueError, KeyError, TypeError):
                raise InputError(f"unreadable header conflict record {c[:60]!r}") from None
    return out


def has_conflicts(cat: Catalog) -> bool:
    return any(is_conflict_comment(c) for c in cat.header_comments) or any(
        not e.obsolete and any(is_conflict_comment(c) for c in e.comments) for e in cat.entries)


def resolve_entry(cat: Catalog, key: Key, take: str, path: str | Path = "<catalog>") -> Entry | None:
    """Put back the chosen side of the conflict on `key`, exactly as that side had it.

    Returns the restored entry (None when the chosen side had deleted it). Raises
    InputError when the entry has no conflict."""
    if take not in SIDES:
        raise UsageError(f"--take must be ours or theirs, not {take!r}")
    for i, e in enumerate(cat.entries):
        if e.obsolete or e.key != key:
            continue
        c = entry_conflict(e, path)
        if c is None:
            break
        chosen = c.side(take)
        if chosen is None:
            del cat.entries[i]
        elif chosen.obsolete:
            del cat.entries[i]
            cat.entries.append(chosen)
        else:
            cat.entries[i] = chosen
        return chosen.copy() if chosen is not None else None
    raise InputError(f"no conflict on {key[1][:50]!r} (msgctxt {key[0]!r})", path)


def resolve_header(cat: Catalog, take: str, fields: list[str] | None = None) -> list[str]:
    """Settle header conflicts (all, or those of `fields`) with the chosen side's value."""
    if take not in SIDES:
        raise UsageError(f"--take must be ours or theirs, not {take!r}")
    done = []
    for hc in header_conflicts(cat):
        if fields is not None and hc.field.lower() not in {f.lower() for f in fields}:
            continue
        value = hc.ours if take == OURS else hc.theirs
        idx = [i for i, (k, _) in enumerate(cat.headers) if k.lower() == hc.field.lower()]
        if value is None:
            cat.headers = [h for i, h in enumerate(cat.headers) if i not in idx]
        elif idx:
            cat.headers[idx[0]] = (cat.headers[idx[0]][0], value)
        else:
            cat.headers.append((hc.field, value))
        cat.header_comments = [c for c in cat.header_comments if c != hc.comment]
        done.append(hc.field)
    return done


# =========================================================================== merging

@dataclass
class MergeResult:
    catalog: Catalog
    conflicts: list[Key] = field(default_factory=list)
    header_conflicts: list[str] = field(default_factory=list)
    taken: dict[str, int] = field(default_factory=lambda: {OURS: 0, THEIRS: 0})

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.header_conflicts


def _sig(e: Entry | None):
    if e is None:
        return None
    return (e.msgctxt, e.msgid, e.msgstr, tuple(e.comments), tuple(e.extracted),
            tuple(e.references), tuple(e.flags), e.previous_msgctxt, e.previous_msgid,
            e.obsolete, e.msgid_plural, tuple(sorted(e.msgstr_plural.items())))


def _slots(cat: Catalog | None) -> tuple[dict[SlotId, Entry], list[SlotId]]:
    """Entries by slot: (msgctxt, msgid, 0) is the active entry of a key (or its first
    obsolete one); obsolete entries that share a key with it get 1, 2, ..."""
    if cat is None:
        return {}, []
    by_key: dict[Key, list[Entry]] = {}
    for e in cat.entries:
        by_key.setdefault(e.key, []).append(e)
    slots: dict[SlotId, Entry] = {}
    where: dict[int, SlotId] = {}
    for key, es in by_key.items():
        ordered = [e for e in es if not e.obsolete] + [e for e in es if e.obsolete]
        for n, e in enumerate(ordered):
            sid = (key[0], key[1], n)
            slots[sid] = e
            where[id(e)] = sid
    return slots, [where[id(e)] for e in cat.entries]


def _order(base: list, ours: list, theirs: list, keep: set) -> list:
    """Result order: ours, or theirs when only theirs reordered what all three share;
    what the other side added goes after its predecessor there."""
    common = set(base) & set(ours) & set(theirs)
    b = [x for x in base if x in common]
    o = [x for x in ours if x in common]
    t = [x for x in theirs if x in common]
    backbone, other = (theirs, ours) if (o == b and t != b) else (ours, theirs)
    placed = [x for x in backbone if x in keep]
    present = set(placed)
    after: dict = {}
    anchor = None
    for x in other:
        if x in keep and x not in present:
            after.setdefault(anchor, []).append(x)
            present.add(x)
        if x in present:
            anchor = x
    out: list = []

    def emit(x) -> None:
        out.append(x)
        for y in after.get(x, []):
            emit(y)

    for y in after.get(None, []):
        emit(y)
    for x in placed:
        emit(x)
    out += sorted((x for x in keep if x not in set(out)), key=repr)
    return out


def _side_comment(side: str, e: Entry | None) -> str:
    # a conflict already recorded in a side stays inside that side's JSON; only the
    # newest conflict has lines of its own
    return f"{CONFLICT_PREFIX} {side} {_dumps(encode_side(e))}"


def conflict_entry(ours: Entry | None, theirs: Entry | None) -> Entry:
    """The entry that stands for a conflict: the active side (ours first), fuzzy, with
    both sides recorded in full."""
    shown = ours if ours is not None and not ours.obsolete else theirs
    if shown is None or shown.obsolete:
        shown = ours if ours is not None else theirs
    assert shown is not None
    e = shown.copy()
    e.obsolete = False
    e.lineno = 0
    e.comments = [c for c in shown.comments if not is_conflict_comment(c)] + [
        NOTE, _side_comment(OURS, ours), _side_comment(THEIRS, theirs)]
    e.fuzzy = True
    return e


def _merge_header(base: Catalog | None, ours: Catalog, theirs: Catalog, out: Catalog,
                  res: MergeResult) -> None:
    def fields(cat: Catalog | None) -> tuple[dict, list]:
        d: dict = {}
        order = []
        seen: dict[str, int] = {}
        for k, v in (cat.headers if cat else []):
            n = seen.get(k.lower(), 0)
            seen[k.lower()] = n + 1
            d[(k.lower(), n)] = (k, v)
            order.append((k.lower(), n))
        return d, order

    (bf, bo), (of, oo), (tf, to) = fields(base), fields(ours), fields(theirs)
    keep: dict = {}
    notes = []
    # two people changed translations: the header says who did last (never a conflict)
    revised = ("po-revision-date", 0)
    ours_later = (of.get(revised) or ("", ""))[1] >= (tf.get(revised) or ("", ""))[1]
    for fid in dict.fromkeys(bo + oo + to):
        b, o, t = bf.get(fid), of.get(fid), tf.get(fid)
        bv, ov, tv = (x[1] if x else None for x in (b, o, t))
        if ov == tv or bv == tv:
            r = o
        elif bv == ov:
            r = t
        elif fid in (revised, ("last-translator", 0)):
            r = o if ours_later else t
        else:
            r = o
            name = (o or t)[0]
            res.header_conflicts.append(name)
            notes.append(f"{CONFLICT_PREFIX} header " + _dumps(
                {"field": name, OURS: ov, THEIRS: tv}))
        if r is not None:
            keep[fid] = r
    out.headers = [keep[f] for f in _order(bo, oo, to, set(keep))]

    bc = base.header_comments if base else []
    oc, tc = ours.header_comments, theirs.header_comments
    if oc == tc or bc == tc:
        comments = list(oc)
    elif bc == oc:
        comments = list(tc)
    else:  # both changed the header's comments: keep every line, ours first
        comments = list(oc) + [c for c in tc if c not in oc]
    out.header_comments = comments + [n for n in notes if n not in comments]
    bz = base.header_fuzzy if base else False
    out.header_fuzzy = theirs.header_fuzzy if ours.header_fuzzy == bz else ours.header_fuzzy


def merge3(base: Catalog | None, ours: Catalog, theirs: Catalog) -> MergeResult:
    """Three-way merge of catalogs, entry by entry (see the module's docstring)."""
    out = Catalog()
    res = MergeResult(out)
    _merge_header(base, ours, theirs, out, res)
    bs, bo = _slots(base)
    os_, oo = _slots(ours)
    ts, to = _slots(theirs)
    chosen: dict = {}
    for sid in dict.fromkeys(bo + oo + to):
        b, o, t = bs.get(sid), os_.get(sid), ts.get(sid)
        sb, so, st = _sig(b), _sig(o), _sig(t)
        if so == st or sb == st:
            r = o
            if so != st:
                res.taken[OURS] += 1
        elif sb == so:
            r = t
            res.taken[THEIRS] += 1
        elif sid[2] > 0:
            # a second obsolete entry with the key of another (input that GNU msgfmt
            # already rejects as a duplicate): ours, or theirs if ours has none
            r = o if o is not None else t
        else:
            r = conflict_entry(o, t)
            res.conflicts.append((sid[0], sid[1]))
        if r is not None:
            chosen[sid] = r
    order = _order(bo, oo, to, set(chosen))
    out.entries = [chosen[s] for s in order]
    return res


# =========================================================================== driver

def _read_side(path: Path, label: str, name: str, allow_empty: bool = False) -> Catalog | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {label}: {exc.strerror}", name) from None
    if allow_empty and not data.strip():
        return None
    try:
        return po.parse(data, name)
    except InputError as exc:
        raise InputError(f"{label} does not parse: {exc.message}", name, exc.line) from None


def merge_files(base: Path, ours: Path, theirs: Path, name: str | None = None,
                out=None) -> int:
    """The git merge driver: merge into `ours` (%A) atomically; 0 clean, 1 conflicts.

    A version that does not parse raises InputError (exit 2) and `ours` is left as it
    was; git then reports a conflict on the file."""
    name = name or str(ours)
    out = out or sys.stderr
    b = _read_side(base, "the common ancestor's version (%O)", name, allow_empty=True)
    o = _read_side(ours, "our version (%A)", name)
    t = _read_side(theirs, "their version (%B)", name)
    res = merge3(b, o, t)
    try:
        mode = os.stat(ours).st_mode & 0o7777
    except OSError:
        mode = 0o644
    atomic_write(ours, po.serialize(res.catalog), mode=mode)
    if res.clean:
        return 0
    print(inert(f"l10n merge-driver: {name}: {plural(len(res.conflicts), 'entry')} changed "
                "differently on both sides" + (f", header fields {', '.join(res.header_conflicts)}"
                                               if res.header_conflicts else "")), file=out)
    for key in res.conflicts[:20]:
        ctx = f" [{key[0]}]" if key[0] else ""
        print(inert(f"    {key[1][:70]!r}{ctx}"), file=out)
    if len(res.conflicts) > 20:
        print(f"    ... and {len(res.conflicts) - 20} more", file=out)
    print("  they are kept in the file, flagged fuzzy; pick a side with `l10n resolve ARTICLE "
          "--lang L --all --take ours|theirs` or in the TUI, then `git add` the file", file=out)
    return 1
