"""`l10n audit`: prove every approval through the signed git commit that introduced it.

An approval line (`# l10n: approved <time> <hash> by <name>`, review.py) says who
approved; anyone who can push could write one. The audit asks git who really did:

1. `git blame --porcelain` of each catalog (the working tree's file, so lines not yet
   committed show as such) gives, for every approval line, the commit that introduced
   it in the current history; and for the entry's msgstr lines, the commits that last
   changed the translation.
2. One signature check per distinct commit (`git log --no-walk --format=%G?...`), with
   `gpg.ssh.allowedSignersFile` set to the project's reviewers file (`review.reviewers`)
   through `-c`, so the user's own git configuration cannot widen it.
3. An approval is **proven** when that commit carries a good SSH signature (`%G?` = G)
   whose principal in the reviewers file is exactly the reviewer the line names.
   Otherwise it is `uncommitted`, `unsigned`, `unknown-key` (signed by a key not in the
   file, or an OpenPGP key), `bad-signature` (bad, expired or revoked) or
   `wrong-principal`. With `review.four_eyes`, a proven approval whose translation was
   last changed in a commit signed by the same key or principal is `four-eyes`.
4. The reviewers file's own history is checked too (reviewers.py): a key added by
   someone who was not already a reviewer proves nothing.

Only valid approvals are audited (the hash matches the entry): a void approval already
counts as not approved everywhere. Obsolete entries are not audited.

Caches (`.l10n/audit-cache.json`, disposable like everything under `.l10n/`): blame
results per catalog, keyed by the catalog's stat and the HEAD they were computed at (a
new HEAD whose first-parent chain reaches the old one re-blames only the catalogs that
some commit in between touched); signature results per commit id, keyed by the digest
of the reviewers file. A cache that git tracks (committed by someone) is never read.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import catalog as po
from . import review
from .catalog import Entry
from .errors import UsageError
from .gitrun import GitError, git, is_zero, parse_blame, signatures, toplevel_and_head
from .project import Project
from .reviewers import Trust
from .reviewers import check as check_trust
from .storage import atomic_write

PROVEN = "proven"
UNCOMMITTED = "uncommitted"
UNSIGNED = "unsigned"
UNKNOWN_KEY = "unknown-key"
BAD_SIGNATURE = "bad-signature"
WRONG_PRINCIPAL = "wrong-principal"
FOUR_EYES = "four-eyes"
STATUSES = (PROVEN, UNCOMMITTED, UNSIGNED, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_PRINCIPAL, FOUR_EYES)

CACHE_NAME = "audit-cache.json"
CACHE_VERSION = 1


@dataclass(slots=True)
class ApprovalAudit:
    """One approval line and what git says about it."""

    article: str
    lang: str
    msgctxt: str | None
    msgid: str
    reviewer: str  # the name the approval line gives
    status: str  # one of STATUSES
    commit: str | None  # the commit that introduced the line (None: not committed)
    signer: str | None  # the principal that signed it, when the reviewers file knows the key
    message: str
    line: int  # the approval line in the catalog

    @property
    def proven(self) -> bool:
        return self.status == PROVEN


@dataclass
class AuditReport:
    reviewers: str  # the reviewers file, relative to the project
    items: list[ApprovalAudit] = field(default_factory=list)
    trust: Trust = field(default_factory=Trust)
    warnings: list[str] = field(default_factory=list)
    blamed: int = 0  # catalogs blamed in this run (the rest came from the cache)
    checked: int = 0  # commits whose signature was checked in this run

    @property
    def ok(self) -> bool:
        return not self.trust.problems and all(i.proven for i in self.items)

    def unproven(self, article: str | None = None, lang: str | None = None) -> list[ApprovalAudit]:
        return [i for i in self.items if not i.proven
                and (article is None or i.article == article) and (lang is None or i.lang == lang)]

    def problem(self, article: str, lang: str) -> str | None:
        """Why the article cannot be published as audited in `lang`, if it cannot."""
        if self.trust.problems:
            return f"the reviewers file cannot be trusted ({self.trust.problems[0]})"
        bad = self.unproven(article, lang)
        if not bad:
            return None
        kinds: dict[str, int] = {}
        for i in bad:
            kinds[i.status] = kinds.get(i.status, 0) + 1
        detail = ", ".join(f"{n} {k}" for k, n in kinds.items())
        return (f"{len(bad)} approvals not proven by a reviewer's signed commit ({detail}; "
                f"l10n audit {article} --lang {lang})")

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for i in self.items:
            out[i.status] += 1
        return out

    def as_json(self) -> dict:
        return {"ok": self.ok, "reviewers": self.reviewers, "counts": self.counts(),
                "trust": self.trust.as_json(), "warnings": self.warnings,
                "approvals": [asdict(i) for i in self.items]}


# ------------------------------------------------------------------ reading one catalog
def _approval_comment(e: Entry) -> str | None:
    """The approval's comment text, found through review.approval (the one parser)."""
    for c in e.comments:
        if review.approval(Entry(e.msgid, comments=[c])) is not None:
            return c
    return None


def _items(lines: list[tuple[str, bytes]], path: Path) -> list[list]:
    """[msgctxt, msgid, reviewer, approval line, its commit, [msgstr commits]] for every
    valid approval in the blamed file (which is the working tree's file)."""
    cat = po.parse(b"\n".join(text for _, text in lines) + b"\n", path)
    starts = [e.lineno for e in cat.entries]
    out = []
    for i, e in enumerate(cat.entries):
        if e.obsolete or not review.is_approved(e):
            continue
        comment = _approval_comment(e)
        end = starts[i + 1] if i + 1 < len(starts) else len(lines) + 1
        aline, mlines, in_msgstr = None, [], False
        for n in range(e.lineno, end):
            text = lines[n - 1][1].decode("utf-8", "replace").strip()
            if (aline is None and comment and text.startswith("#")
                    and text[1:2] not in (".", ":", ",", "|", "~") and comment in text):
                aline = n
            if text.startswith("msgstr"):
                in_msgstr = True
            elif not (in_msgstr and text.startswith('"')):
                if in_msgstr:
                    break
                continue
            mlines.append(n)
        if aline is None:  # cannot happen for a file the parser accepted; never proven
            continue
        out.append([e.msgctxt, e.msgid, review.approval(e).reviewer, aline,
                    lines[aline - 1][0], sorted({lines[n - 1][0] for n in mlines})])
    return out


def _blame(top: Path, rel: str, path: Path, head: str | None) -> list[list]:
    if head is not None:
        # --no-ignore-revs-file: a blame.ignoreRevsFile in the repository's config (often
        # a file in the repository) would hand a forger's lines to an older commit
        p = git(top, "blame", "--porcelain", "--no-textconv", "--no-ignore-revs-file",
                "--", rel, check=False)
        if p.returncode == 0:
            return _items(parse_blame(p.stdout), path)
        err = p.stderr.decode("utf-8", "replace")
        if "no such path" not in err:
            raise GitError(f"git blame {rel} failed: {err.strip()}")
    # no commit yet, or a file git does not track: every line is uncommitted
    lines = path.read_bytes().split(b"\n")
    if len(lines) > 1 and lines[-1] == b"":
        lines.pop()
    return _items([(ZERO_ID, ln) for ln in lines], path)


ZERO_ID = "0" * 40


# ------------------------------------------------------------------ the cache
class _Cache:
    def __init__(self, path: Path, data: dict, usable: bool):
        self.path = path
        self.data = data
        self.usable = usable
        self.dirty = False

    @classmethod
    def load(cls, project: Project, top: Path) -> tuple["_Cache", str | None]:
        path = project.cache_dir / CACHE_NAME
        rel = os.path.relpath(project.cache_dir, top)
        tracked = git(top, "ls-files", "-z", "--", rel).stdout
        if tracked:
            return cls(path, {"files": {}, "sigs": {}}, False), (f"{project.rel(project.cache_dir)}/ holds files "
                                          "that git tracks: the audit cache is not used")
        try:
            data = json.loads(path.read_text("utf-8"))
            if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
                data = {}
        except (OSError, ValueError):
            data = {}
        data.setdefault("files", {})
        data.setdefault("sigs", {})
        return cls(path, data, True), None

    def save(self) -> None:
        if self.usable and self.dirty:
            self.data["version"] = CACHE_VERSION
            atomic_write(self.path, json.dumps(self.data, ensure_ascii=False,
                                               separators=(",", ":")).encode("utf-8"))


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _carried(top: Path, old: str, head: str, locales_rel: str) -> set[str] | None:
    """Paths under locales that some commit in old..head touched, when `old` is on
    HEAD's first-parent chain (then every other catalog's blame is unchanged: each
    commit in between holds it identical to all its parents, and blame passes identical
    files to the first parent). None when the old blame cannot be carried over."""
    p = git(top, "rev-list", "--first-parent", "--parents", f"{old}..{head}", check=False)
    if p.returncode != 0 or not p.stdout.strip():
        return None
    last = p.stdout.decode().strip().split("\n")[-1].split()
    if len(last) < 2 or last[1] != old:
        return None
    t = git(top, "log", "-m", "--no-renames", "--name-only", "--format=", f"{old}..{head}",
            "--", locales_rel, check=False)
    if t.returncode != 0:
        return None
    return {ln for ln in t.stdout.decode("utf-8", "replace").split("\n") if ln}


# ------------------------------------------------------------------ the audit
def reviewers_path(project: Project) -> Path:
    cfg = project.config
    if cfg.reviewers_path is None:
        raise UsageError("no reviewers file is configured: add `review: {reviewers: "
                         ".l10n-reviewers}` to l10n.yaml (git's allowed-signers format; "
                         "see README, 'Proving approvals')", cfg.path)
    path = cfg.reviewers_path
    if not path.is_file():
        raise UsageError(f"the reviewers file {project.rel(path)} (review.reviewers) does not "
                         "exist; create it as README 'Proving approvals' shows", cfg.path)
    return project.inside(path, "reviewers file")


def audit(project: Project, article_ids: list[str] | None = None,
          langs: list[str] | None = None) -> AuditReport:
    """Audit the approvals of the selected articles and languages (default: all)."""
    signers = reviewers_path(project)
    langs = project.langs(langs)
    if article_ids:
        ids = [project.check_id(a) for a in article_ids]
        for a in ids:
            project.article_path(a)
    else:
        ids = project.article_ids()
    top, head = toplevel_and_head(project.root)
    report = AuditReport(project.rel(signers))
    cache, warning = _Cache.load(project, top)
    if warning:
        report.warnings.append(warning)
    files = cache.data["files"]

    # 1. which catalogs need a blame
    catalogs: list[tuple[str, str, str, Path, list[int]]] = []
    top_prefix = os.path.join(os.path.realpath(top), "")
    for lang in langs:
        base = project.catalog_path(lang, "x").parent  # locales/<lang>
        for aid in ids:
            path = base / f"{aid}.po"
            try:
                st = os.lstat(path)
            except (FileNotFoundError, NotADirectoryError):
                continue
            if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
                if not path.is_file():
                    continue
                st = path.stat()
            real = str(project.inside(path, "catalog"))  # symlinks out are refused
            rel = real[len(top_prefix):] if real.startswith(top_prefix) else \
                os.path.relpath(real, top)
            catalogs.append((aid, lang, rel.replace(os.sep, "/"), path,
                             [st.st_mtime_ns, st.st_size, st.st_ino]))
    old_heads = {files[rel]["head"] for _, _, rel, _, st in catalogs
                 if rel in files and files[rel].get("stat") == st
                 and files[rel].get("head") not in (None, head)}
    carry: dict[str, set[str] | None] = {}
    if head is not None and len(old_heads) <= 3:
        locales_rel = os.path.relpath(project.locales_dir, top)
        carry = {old: _carried(top, old, head, locales_rel) for old in old_heads}
    todo = []
    for _, _, rel, path, st in catalogs:
        f = files.get(rel)
        if f and f.get("stat") == st and f.get("head") == head and head is not None:
            continue
        touched = carry.get(f.get("head")) if f else None
        if f and f.get("stat") == st and touched is not None and rel not in touched:
            f["head"] = head
            cache.dirty = True
            continue
        todo.append((rel, path, st))
    if todo:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(lambda t: _blame(top, t[0], t[1], head), todo))
        for (rel, _path, st), items in zip(todo, results):
            files[rel] = {"stat": st, "head": head, "items": items}
        cache.dirty = True
        report.blamed = len(todo)

    # 2. one signature check per distinct commit (results kept per reviewers file)
    text = signers.read_bytes()
    digest = hashlib.sha256(text).hexdigest()
    if cache.data.get("signers") != digest:
        cache.data["signers"], cache.data["sigs"] = digest, {}
        cache.data.pop("trust", None)
        cache.dirty = True
    sigs: dict = cache.data["sigs"]
    four = project.config.four_eyes
    wanted = set()
    for _, _, rel, _, _ in catalogs:
        for item in files[rel]["items"]:
            wanted.add(item[4])
            if four:
                wanted.update(item[5])
    new = sorted(c for c in wanted if not is_zero(c) and c not in sigs)
    if new:
        chunks = [new[i::os.cpu_count() or 2] for i in range(os.cpu_count() or 2)] \
            if len(new) >= 64 else [new]
        with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
            for found in pool.map(lambda c: signatures(top, c, signers), chunks):
                sigs.update({k: list(v) for k, v in found.items()})
        for c in new:
            sigs.setdefault(c, ["N", "", ""])
        cache.dirty = True
        report.checked = len(new)

    # 3. the reviewers file's own history
    trust_key = [head, _stat_key(signers)]
    cached_trust = cache.data.get("trust")
    if cached_trust and cached_trust.get("key") == trust_key:
        report.trust = Trust(**cached_trust["value"])
    else:
        rel = os.path.relpath(signers, top).replace(os.sep, "/")
        report.trust = check_trust(top, head, rel, text, project.cache_dir / "reviewers")
        cache.data["trust"] = {"key": trust_key, "value": report.trust.as_json()}
        cache.dirty = True

    # 4. each approval's verdict (the same for every line of one reviewer in one commit)
    verdicts: dict[tuple, tuple] = {}
    for aid, lang, rel, _, _ in catalogs:
        for ctxt, msgid, reviewer, line, commit, mcommits in files[rel]["items"]:
            key = (reviewer, commit, tuple(mcommits) if four else ())
            v = verdicts.get(key)
            if v is None:
                v = verdicts[key] = _verdict(reviewer, commit, mcommits, sigs, four,
                                             report.reviewers) + (
                    None if is_zero(commit) else commit,)
            report.items.append(ApprovalAudit(aid, lang, ctxt, msgid, reviewer, v[0], v[3],
                                              v[1], v[2], line))
    cache.save()
    return report


def _verdict(reviewer: str, commit: str, mcommits: list[str], sigs: dict, four: bool,
             signers_rel: str) -> tuple[str, str | None, str]:
    if is_zero(commit):
        return UNCOMMITTED, None, "not committed yet"
    g, key, principal = sigs.get(commit, ["N", "", ""])
    short = commit[:12]
    if g == "N":
        return UNSIGNED, None, f"commit {short} is not signed"
    if g in ("U", "E") or (g == "G" and not key.startswith("SHA256:")):
        return UNKNOWN_KEY, None, (f"commit {short} is signed by a key that {signers_rel} "
                                   f"does not list ({key or 'unknown key'})")
    if g != "G":
        return BAD_SIGNATURE, None, f"commit {short} has a bad, expired or revoked signature ({g})"
    if principal != reviewer:
        return WRONG_PRINCIPAL, principal, (f"commit {short} is signed by {principal!r}, "
                                            f"but the line names {reviewer!r}")
    if four:
        for mc in mcommits:
            if is_zero(mc):
                continue
            mg, mkey, mprincipal = sigs.get(mc, ["N", "", ""])
            same = mc == commit or (mg in ("G", "U") and mkey == key) or \
                (mg == "G" and mprincipal == principal)
            if same:
                return FOUR_EYES, principal, (f"{principal} also signed commit {mc[:12]}, "
                                              "which last changed the translation")
    return PROVEN, principal, f"signed by {principal} in commit {short}"


__all__ = ["audit", "AuditReport", "ApprovalAudit", "STATUSES", "PROVEN", "reviewers_path"]
