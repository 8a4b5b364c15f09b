"""A project on disk: where its articles, templates, catalogs and caches are.

The root is the directory holding `l10n.yaml`, found by walking up from the working
directory (or `-C DIR`) the way git finds `.git`. Every path handed to the rest of the
core goes through here, so an article id such as `../../etc/passwd`, or a symlink that
points out of the project, is refused in one place.
"""
from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path

from . import config as config_mod
from .config import CONFIG_NAME, Config
from .errors import DiskError, InputError, UsageError
from .filestat import stat_key

CACHE_DIR = ".l10n"
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


def find_root(start: Path) -> Path:
    start = start.resolve()
    for d in (start, *start.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    raise InputError(f"no {CONFIG_NAME} here or in any parent directory (use -C DIR or `l10n init`)",
                     start)


class Project:
    def __init__(self, root: Path, config: Config | None = None):
        self.root = root.resolve()
        self._ids: list[str] | None = None
        self._real_dirs: dict[str, str] = {}
        self._ok_dirs: set[str] = set()
        # (l10n.yaml's stat key, review.four_eyes) as last read; None: a configuration
        # given, not read from a file
        self._rules: tuple[list[int] | None, bool] | None = None
        if config is None:
            path = self.root / CONFIG_NAME
            self.inside(path, "configuration file")
            key = stat_key(path)
            config = config_mod.load(path)
            self._rules = (key, config.four_eyes)
        self.config = config

    def four_eyes_now(self) -> bool:
        """`review.four_eyes` as l10n.yaml says it now. A TUI runs for a day: a team that
        turns the rule on must not find it still approving its translators' own work
        (the rest of the configuration is read at the start). The file is read again
        only when it changed; one that no longer reads is an InputError naming its line,
        and nothing is approved."""
        if self._rules is None:
            return self.config.four_eyes
        path = self.root / CONFIG_NAME
        key = stat_key(path)
        if key != self._rules[0]:
            self.inside(path, "configuration file")
            self._rules = (key, config_mod.load(path).four_eyes)
        return self._rules[1]

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        return cls(find_root(start or Path.cwd()))

    # ------------------------------------------------------------------ paths
    @property
    def content_dir(self) -> Path:
        return self.config.content_dir

    @property
    def locales_dir(self) -> Path:
        return self.config.locales_dir

    @property
    def languages(self) -> list[str]:
        return self.config.lang_codes

    @cached_property
    def cache_dir(self) -> Path:
        """`.l10n/`, created if missing. A `.l10n` (or an entry in it) that is a symlink
        leading out of the project is refused: caches, the memory database and lock files
        are never written outside the project."""
        from .storage import atomic_write

        d = self.root / CACHE_DIR
        self.inside(d, "cache folder .l10n")
        try:
            d.mkdir(exist_ok=True)
            names = os.listdir(d)
        except OSError as exc:
            raise DiskError.of(exc, d, "create the cache folder") from None
        for name in names:
            if os.path.islink(d / name):
                self.inside(d / name, f"cache entry .l10n/{name}")
        gi = d / ".gitignore"
        if not gi.exists():
            atomic_write(gi, b"*\n")
        return d

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def inside(self, path: Path, what: str = "file") -> Path:
        """The path, resolved, if it stays inside the project (symlinks followed).

        Resolved directories are remembered for the life of this object (sync checks
        thousands of files in a few hundred directories); the file itself is always
        checked, since a symlinked file is the usual way out."""
        parent = os.fspath(path.parent)
        real_parent = self._real_dirs.get(parent)
        if real_parent is None:
            real_parent = self._real_dirs[parent] = os.path.realpath(parent)
        full = os.path.join(parent, path.name)
        resolved = os.path.realpath(full) if os.path.islink(full) else os.path.join(real_parent, path.name)
        root = os.fspath(self.root)
        if resolved != root and not resolved.startswith(root + os.sep):
            raise InputError(f"the {what} points outside the project (to {resolved})", path)
        return Path(resolved)

    def check_id(self, article_id: str) -> str:
        aid = article_id.strip().removesuffix(".md")
        if aid.startswith("content/"):
            aid = aid[len("content/"):]
        if not _ID_RE.match(aid) or ".." in aid.split("/"):
            raise UsageError(f"{article_id!r} is not an article id (like 2026-02/oita-bay-area)")
        return aid

    def article_path(self, article_id: str) -> Path:
        aid = self.check_id(article_id)
        path = self.content_dir / f"{aid}.md"
        if not path.is_file():
            raise UsageError(f"no article {aid!r} (looked for {self.rel(path)})")
        self.inside(path, "article")
        return path

    def template_path(self, article_id: str) -> Path:
        return self._confined(self.locales_dir / "templates" / f"{article_id}.pot", "template")

    def catalog_path(self, lang: str, article_id: str) -> Path:
        return self._confined(self.locales_dir / lang / f"{article_id}.po", "catalog")

    def _confined(self, path: Path, what: str) -> Path:
        """`path` if its folder resolves inside the project (checked once per folder): a
        symlinked `locales/en` or `locales/templates` that leads out of the project is
        refused before anything is read or written through it."""
        parent = os.fspath(path.parent)
        if parent not in self._ok_dirs:
            real = self._real_dirs.get(parent) or os.path.realpath(parent)
            self._real_dirs[parent] = real
            root = os.fspath(self.root)
            if real != root and not real.startswith(root + os.sep):
                raise InputError(f"the {what} folder {self.rel_plain(path.parent)} leads outside "
                                 f"the project (to {real}); refusing to read or write through it",
                                 path.parent)
            self._ok_dirs.add(parent)
        return path

    def rel_plain(self, path: Path) -> str:
        """`path` relative to the root without resolving symlinks (for messages)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def check_lang(self, lang: str) -> str:
        if lang not in self.config.languages:
            raise UsageError(f"{lang!r} is not a target language of this project "
                             f"({', '.join(self.languages)})")
        return lang

    def langs(self, selected: list[str] | None) -> list[str]:
        return [self.check_lang(code) for code in selected] if selected else self.languages

    def rescan_articles(self) -> None:
        """Forget the article ids found so far: the next `article_ids` walks content/
        again (a long-lived Project, the TUI's, calls it when a folder changed)."""
        self._ids = None

    def article_ids(self) -> list[str]:
        """Every article under content/, sorted (issue folders sort by date). Cached for
        the life of this Project object (a new Project sees articles added since)."""
        if self._ids is None:
            ids: list[str] = []
            base = str(self.content_dir)
            if os.path.isdir(base):
                self._walk(base, "", ids, {os.path.realpath(base)})
            self._ids = sorted(ids)
        return list(self._ids)

    def _walk(self, path: str, prefix: str, out: list[str], seen: set[str]) -> None:
        """Collect article ids. A symlinked folder is followed only if it stays inside the
        project and does not lead back into a folder already being walked (a loop)."""
        try:
            entries = list(os.scandir(path))
        except OSError as exc:
            raise InputError(f"cannot read this folder: {exc.strerror}", path) from None
        for d in entries:
            if d.name.startswith("."):
                continue
            if d.is_symlink():
                real = os.path.realpath(d.path)
                if not os.path.exists(real):
                    if os.path.lexists(real):  # resolving ends on a link again: a loop
                        raise InputError("a symlink loop (the link never resolves)", d.path)
                    if d.name.endswith(".md"):
                        out.append(prefix + d.name[:-3])  # dangling: reading it says so
                    continue
                if os.path.isdir(real):
                    self.inside(Path(d.path), "folder")
                    if any(real == s or s.startswith(real + os.sep) for s in seen):
                        raise InputError(f"a symlink loop: this folder leads back to {real}",
                                         d.path)
                    self._walk(d.path, f"{prefix}{d.name}/", out, seen | {real})
                    continue
            if d.is_dir(follow_symlinks=False):
                self._walk(d.path, f"{prefix}{d.name}/", out, seen | {os.path.realpath(d.path)})
            elif d.name.endswith(".md"):
                out.append(prefix + d.name[:-3])

    def glossary_path(self) -> Path:
        return self.config.glossary_path
