"""A person's own settings, kept between sessions: today only the name the TUI asked for.

They live in the user's config folder (`$XDG_CONFIG_HOME/l10n/user.yaml`, by default
`~/.config/l10n/user.yaml`), not in the project: a name belongs to a person, not to a
repository that several people share. This is the one file l10n writes outside a project,
and only when the TUI had to ask who is working (nothing else named them: no --as, no
L10N_USER, no `git config user.name`).
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from .storage import atomic_write


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base.strip() and Path(base).is_absolute() else Path.home() / ".config"
    return root / "l10n"


def _path() -> Path:
    return config_dir() / "user.yaml"


def remembered_name() -> str | None:
    """The name given last time, or None (a missing or unreadable file is no name)."""
    try:
        data = yaml.safe_load(_path().read_text("utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    if isinstance(name, str) and name.strip() and name.isprintable():
        return " ".join(name.split())
    return None


def remember_name(name: str) -> bool:
    """Keep `name` for the next session; False if the folder cannot be written (the
    name still holds for this session)."""
    name = " ".join(name.split())
    try:
        _path().parent.mkdir(parents=True, exist_ok=True)
        atomic_write(_path(), yaml.safe_dump({"name": name}, allow_unicode=True).encode("utf-8"))
    except OSError:
        return False
    return True
