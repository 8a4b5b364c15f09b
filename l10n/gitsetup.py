"""Git integration: the PO merge driver in `.gitattributes` and `git config`."""
from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from .storage import atomic_write

ATTR_LINE = "*.po merge=l10n-po"


def driver_command() -> str:
    """The driver's command line: this Python, by absolute path, running the l10n package.

    Not a bare `l10n`: git runs the driver through the shell of whoever merges (an IDE,
    a GUI, a shell without the virtualenv activated), where `l10n` is often not on PATH,
    and a driver that cannot start looks to git like a conflict with no markers."""
    return f"{shlex.quote(sys.executable)} -m l10n merge-driver %O %A %B %P"


def in_git_repo(root: Path) -> bool:
    try:
        r = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-dir"],
                           capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0


def configure_git(root: Path, any_repo: bool = False) -> list[str]:
    """Declare the merge driver for PO files. Returns what was changed.

    `.gitattributes` is committed with the project; the driver's command lives in the
    repository's `git config`, which git never shares, so every clone runs
    `l10n merge-driver --install` once (README: "Git merges"). With `any_repo` (what
    --install does) the project may sit anywhere inside the repository; otherwise
    (`l10n init`) only a repository rooted at the project is configured."""
    changed = []
    attrs = root / ".gitattributes"
    text = attrs.read_text("utf-8") if attrs.exists() else ""
    if ATTR_LINE not in text.splitlines():
        text = (text.rstrip("\n") + "\n" if text.strip() else "") + ATTR_LINE + "\n"
        atomic_write(attrs, text.encode("utf-8"))
        changed.append(".gitattributes")
    if (root / ".git").exists() or (any_repo and in_git_repo(root)):
        for key, value in (("merge.l10n-po.name", "l10n entry-by-entry PO merge"),
                           ("merge.l10n-po.driver", driver_command())):
            subprocess.run(["git", "-C", str(root), "config", key, value], check=False,
                           capture_output=True)
        changed.append(".git/config (merge.l10n-po)")
    return changed
