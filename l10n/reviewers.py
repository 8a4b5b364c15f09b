"""Can the reviewers file itself be trusted? Its history, checked commit by commit.

The reviewers file (`review.reviewers`, git's allowed-signers format) lives in the
repository, so whoever can push could add their own key to it and then sign forged
approvals with it. The audit therefore also checks the file's history: every commit that
changed it (`git log -- FILE`, newest first, with git's default history simplification)
must carry a good SSH signature from a key listed in the file *as it was before that
commit* (the first parent's version). The commit that first created the file has no
earlier version: it must be signed by a key listed in the file it creates, and it is the
root of trust that `l10n audit` names (trust on first use, as with SSH host keys: check
who that was once). A file deleted and created again is checked against the last version
before the deletion. An uncommitted change to the file is a problem too: a clean
checkout, what CI and the publisher have, would not see it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .gitrun import git, signatures
from .storage import atomic_write


@dataclass
class Trust:
    problems: list[str] = field(default_factory=list)
    root_commit: str | None = None  # the commit that created the file
    root_signer: str | None = None  # the principal who signed it

    def as_json(self) -> dict:
        return {"problems": self.problems, "root_commit": self.root_commit,
                "root_signer": self.root_signer}


def _show(top: Path, rev: str, rel: str) -> bytes | None:
    p = git(top, "show", f"{rev}:{rel}", check=False)
    return p.stdout if p.returncode == 0 else None


def _good(sig: tuple[str, str, str] | None) -> bool:
    return bool(sig and sig[0] == "G" and sig[1].startswith("SHA256:"))


def check(top: Path, head: str | None, rel: str, current: bytes, scratch: Path) -> Trust:
    """The trust in the reviewers file at `rel` (relative to the repository's top).
    `scratch` is a private folder (under .l10n/) for the file's older versions."""
    t = Trust()
    if head is None:
        t.problems.append(f"{rel} is not committed (the repository has no commit yet)")
        return t
    committed = _show(top, "HEAD", rel)
    if committed is None:
        t.problems.append(f"{rel} is not committed: commit it, signed (git commit -S)")
        return t
    if committed != current:
        t.problems.append(f"{rel} has uncommitted changes: the audit and a clean checkout "
                          "would not agree on who the reviewers are")
    log = git(top, "log", "--format=%H %P", "--", rel).stdout.decode().split("\n")
    changes = [ln.split() for ln in log if ln.strip()]  # newest first: [commit, parents...]
    by_verifier: dict[bytes, list[str]] = {}
    for i, (commit, *parents) in enumerate(changes):
        before = _show(top, parents[0], rel) if parents else None
        if before is None:  # created here: checked against the last earlier version
            for older, *_ in changes[i + 1:]:
                before = _show(top, older, rel)
                if before is not None:
                    break
            else:
                before = _show(top, commit, rel)  # the root: signed by a key it lists
                t.root_commit = commit
        by_verifier.setdefault(before or b"", []).append(commit)
    sigs: dict[str, tuple[str, str, str]] = {}
    scratch.mkdir(parents=True, exist_ok=True)
    for text, commits in by_verifier.items():
        f = scratch / f"reviewers-{hashlib.sha256(text).hexdigest()[:16]}"
        atomic_write(f, text)
        sigs.update(signatures(top, commits, f))
    for commit, *_ in changes:
        sig = sigs.get(commit)
        if not _good(sig):
            how = "is not signed" if not sig or sig[0] == "N" else \
                "is not signed by a key listed in the file before that change"
            what = "created" if commit == t.root_commit else "changed"
            t.problems.append(f"{rel} was {what} in commit {commit[:12]}, which {how}")
        elif commit == t.root_commit:
            t.root_signer = sig[2]
    return t
