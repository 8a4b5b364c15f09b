"""A person's own settings, kept between sessions: the name the TUI asked for, and the
language each project's TUI was left in.

They live in the user's config folder (`$XDG_CONFIG_HOME/l10n/user.yaml`, by default
`~/.config/l10n/user.yaml`), not in the project: a name and a working language belong to
a person, not to a repository that several people share. This is the one file l10n
writes outside a project, and only `l10n tui` writes it: the name when it had to ask who
is working (nothing else named them: no --as, no L10N_USER, no `git config user.name`),
the language when a session ends in another one than it began with.
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


def _read() -> dict:
    """The file's settings; a missing or unreadable file holds none."""
    try:
        data = yaml.safe_load(_path().read_text("utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(**changes) -> bool:
    """Change some settings and keep the others; False if the folder cannot be written
    (the setting still holds for this session)."""
    data = _read()
    data.update(changes)
    try:
        _path().parent.mkdir(parents=True, exist_ok=True)
        atomic_write(_path(), yaml.safe_dump(data, allow_unicode=True, sort_keys=True).encode("utf-8"))
    except OSError:
        return False
    return True


def remembered_name() -> str | None:
    """The name given last time, or None."""
    name = _read().get("name")
    if isinstance(name, str) and name.strip() and name.isprintable():
        return " ".join(name.split())
    return None


def remember_name(name: str) -> bool:
    """Keep `name` for the next session."""
    return _write(name=" ".join(name.split()))


def _project_key(root: Path) -> str:
    return os.path.realpath(root)


def remembered_lang(root: Path, languages: list[str]) -> str | None:
    """The language this project's TUI was left in last time, if it is still one of the
    project's `languages`."""
    langs = _read().get("languages")
    lang = langs.get(_project_key(root)) if isinstance(langs, dict) else None
    return lang if isinstance(lang, str) and lang in languages else None


def remember_lang(root: Path, lang: str) -> bool:
    """Start this project's TUI in `lang` next time."""
    langs = _read().get("languages")
    langs = dict(langs) if isinstance(langs, dict) else {}
    langs[_project_key(root)] = lang
    return _write(languages=langs)
