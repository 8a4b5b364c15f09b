"""Running git for the audit: one place, so that tests can count the calls.

Every call goes through `git()`, which runs `git -C TOP ...` (with no replace refs), with
the project's reviewers
file as `gpg.ssh.allowedSignersFile` when one is given (`-c` overrides whatever the
user's or the repository's configuration says, so the audit always checks signatures
against the project's file and nothing else).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import L10nError, UsageError

CALLS: list[list[str]] = []  # every git command line run (tests count them)
ZERO = "0" * 40  # git blame's id for lines not committed yet


class GitError(L10nError):
    """git failed where it should not have (exit 1: a problem with the repository)."""

    exit_code = 1


def git(top: Path, *args: str, signers: Path | None = None, stdin: bytes | None = None,
        check: bool = True) -> subprocess.CompletedProcess:
    # replace refs could swap one commit for another: never used by the audit
    cmd = ["git", "-C", str(top), "--no-replace-objects"]
    if signers is not None:
        cmd += ["-c", f"gpg.ssh.allowedSignersFile={signers}"]
    cmd += list(args)
    CALLS.append(cmd)
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=600)
    except FileNotFoundError:
        raise UsageError("git is not installed; l10n audit needs it") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args[:2])} took more than 10 minutes") from None
    if check and p.returncode != 0:
        msg = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])} failed: {msg[-1] if msg else p.returncode}")
    return p


def toplevel_and_head(start: Path) -> tuple[Path, str | None]:
    """The repository's top folder and its HEAD commit (None before the first commit)."""
    p = git(start, "rev-parse", "--show-toplevel", check=False)
    if p.returncode != 0:
        raise UsageError(f"{start} is not inside a git repository: l10n audit traces "
                         "approvals through git commits (git init, then commit)")
    top = Path(p.stdout.decode().strip())
    h = git(top, "rev-parse", "--verify", "-q", "HEAD", check=False)
    head = h.stdout.decode().strip() if h.returncode == 0 else None
    return top, head or None


def is_zero(commit: str) -> bool:
    return not commit.strip("0")


def parse_blame(data: bytes) -> list[tuple[str, bytes]]:
    """`git blame --porcelain` output -> [(commit, line bytes)] for lines 1..N."""
    out: list[tuple[str, bytes]] = []
    commit = None
    for line in data.split(b"\n"):
        if line.startswith(b"\t"):
            if commit is None:
                raise GitError("git blame printed a line before its commit")
            out.append((commit, line[1:]))
            commit = None
        elif commit is None and line:
            head = line.split(b" ", 1)[0]
            if len(head) in (40, 64) and all(c in b"0123456789abcdef" for c in head):
                commit = head.decode()
        # other lines are the commit's details (author, summary, filename...): not needed
    return out


SIG_FORMAT = "%H%x1f%G?%x1f%GK%x1f%GS%x1e"


def signatures(top: Path, commits: list[str], signers: Path) -> dict[str, tuple[str, str, str]]:
    """commit -> (%G?, key fingerprint, principal), checked against `signers` (git's
    allowed-signers format), one `git log --no-walk` for all of them."""
    if not commits:
        return {}
    p = git(top, "log", "--no-walk=unsorted", "--stdin", f"--format={SIG_FORMAT}",
            signers=signers, stdin=("\n".join(commits) + "\n").encode())
    out: dict[str, tuple[str, str, str]] = {}
    for rec in p.stdout.decode("utf-8", "replace").split("\x1e"):
        rec = rec.strip("\n")
        if not rec:
            continue
        parts = rec.split("\x1f")
        if len(parts) != 4:
            continue
        out[parts[0]] = (parts[1], parts[2], parts[3].strip())
    return out
