"""Git integration: the PO merge driver in `.gitattributes` and `git config`."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .storage import atomic_write

ATTR_LINE = "*.po merge=l10n-po"


def configure_git(root: Path) -> list[str]:
    """Declare the merge driver for PO files. Returns what was changed.

    `.gitattributes` is committed with the project; the driver's command lives in the
    repository's `git config`, which git never shares, so every clone runs
    `l10n merge-driver --install` once (README: "Git merges")."""
    changed = []
    attrs = root / ".gitattributes"
    text = attrs.read_text("utf-8") if attrs.exists() else ""
    if ATTR_LINE not in text.splitlines():
        text = (text.rstrip("\n") + "\n" if text.strip() else "") + ATTR_LINE + "\n"
        atomic_write(attrs, text.encode("utf-8"))
        changed.append(".gitattributes")
    if (root / ".git").exists():
        for key, value in (("merge.l10n-po.name", "l10n entry-by-entry PO merge"),
                           ("merge.l10n-po.driver", "l10n merge-driver %O %A %B %P")):
            subprocess.run(["git", "-C", str(root), "config", key, value], check=False,
                           capture_output=True)
        changed.append(".git/config (merge.l10n-po)")
    return changed
