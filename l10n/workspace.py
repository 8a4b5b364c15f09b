"""The one door for every file the project reads or writes: catalogs, templates, the TMX
memory and the caches under `.l10n/`.

Every read of a catalog or template goes through `load_catalog` (it exists -> it is inside
the project -> parse); every write through `write_file` (inside the project -> atomic
write, see `storage.atomic_write`), under the file's lock where it is a read-modify-write
(`update_catalog`, `write_catalog`, `update_memory_tmx`). Build output goes through
`write_output`, which keeps every file under the output folder even when a folder inside
it is a symlink. Refusals are exit 2 (`InputError`, naming the path) for a file or folder
that leads out of the project, exit 1 (`DiskError`) when the disk says no.

`update_catalog` is the only way the core changes a catalog. It takes the file's lock,
reads the catalog as it is on disk *now*, lets the caller change entries, and writes the
result atomically. Because the read happens under the lock, two writers that change
different entries of one catalog both keep their change: the second one reads the
first one's result. The TUI relies on the same call, so its saves can never overwrite
what a sync, a `l10n approve` or another translator wrote in the meantime.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Callable, TypeVar

from . import catalog as po
from .catalog import Catalog
from .errors import DiskError, InputError
from .filestat import stat_key  # noqa: F401 - part of this module's interface
from .project import Project
from .storage import atomic_write, locked

T = TypeVar("T")
_LONG_NUMBER = re.compile(rb"[0-9]{4000,}")

__all__ = ["stat_key", "load_catalog", "read_catalog", "update_catalog", "write_catalog",
           "write_file", "write_cache", "write_output", "check_output", "read_memory_tmx", "update_memory_tmx",
           "locked", "project_lock", "EditJournals"]


# ------------------------------------------------------------------------------ reading
def load_catalog(project: Project, path: Path, what: str = "catalog",
                 keep_bytes: bool = False) -> Catalog | None:
    """The catalog (or template) at `path`, or None if there is none. A file that leads
    out of the project is refused (exit 2); a file that does not parse is exit 2 naming
    the file and the line. `keep_bytes`: the catalog keeps the file's bytes (for
    `update_catalog(seen=...)`)."""
    if not path.exists():
        return None
    project.inside(path, what)
    return _parse(path, keep_bytes)


def _parse(path: Path, keep_bytes: bool = False) -> Catalog:
    try:
        return po.read(path, keep_bytes)
    except (ValueError, OverflowError) as exc:  # e.g. an index of over 4,300 digits
        line = None
        try:
            data = path.read_bytes()
            m = _LONG_NUMBER.search(data)
            if m:
                line = data.count(b"\n", 0, m.start()) + 1
        except OSError:
            pass
        raise InputError(f"cannot read this catalog: {str(exc).split(';')[0][:120]}",
                         path, line) from None
    except OSError as exc:
        raise DiskError.of(exc, path, "read") from None


def read_catalog(project: Project, lang: str, article_id: str,
                 keep_bytes: bool = False) -> Catalog | None:
    return load_catalog(project, project.catalog_path(lang, article_id), keep_bytes=keep_bytes)


# ------------------------------------------------------------------------------ writing
def write_file(project: Project, path: Path, data: bytes, what: str = "file",
               mode: int = 0o644) -> bool:
    """Write `data` to `path` inside the project, atomically. The caller holds the file's
    lock where the write depends on what it read."""
    project.inside(path, what)
    return atomic_write(path, data, mode=mode)


def write_catalog(project: Project, path: Path, cat: Catalog, what: str = "catalog") -> bool:
    """Write a whole catalog or template under its lock (sync writes templates)."""
    with locked(project.cache_dir, path):
        return write_file(project, path, po.serialize(cat), what)


def write_cache(project: Project, path: Path, data: bytes) -> bool:
    """Write a cache file under `.l10n/` (checked to be inside the project)."""
    project.cache_dir  # noqa: B018 (creates and checks .l10n)
    return write_file(project, path, data, "cache file")


def update_catalog(project: Project, lang: str, article_id: str,
                   change: Callable[[Catalog], T], create: bool = False,
                   seen: Catalog | None = None) -> T:
    """Run `change` on the current catalog under its lock, then write it if it changed.

    `seen` is the catalog as the caller last wrote or read it (with its `disk_key`): it
    is changed in place instead of parsing the file again, but only if the file is still
    exactly that one (same stat key, taken under the lock; and when `seen` kept its
    bytes, the same bytes: an edit in place that keeps the size and the time cannot
    slip through). Then `seen` is what was written: its new `disk_key`, and its bytes."""
    path = project.catalog_path(lang, article_id)
    with locked(project.cache_dir, path):
        if seen is not None and seen.disk_key and seen.disk_key == stat_key(path) \
                and (seen.disk_bytes is None or _same_bytes(path, seen.disk_bytes)):
            project.inside(path, "catalog")
            cat = seen
        else:
            cat = load_catalog(project, path)
        if cat is None:
            if not create:
                raise InputError(f"no catalog for {article_id} in {lang}; run `l10n sync` first",
                                 path)
            cat = Catalog(headers=po.make_headers(lang, project.config.project))
        result = change(cat)
        data = po.serialize(cat)
        write_file(project, path, data, "catalog")
        cat.disk_key = stat_key(path)
        if cat is seen and seen.disk_bytes is not None:
            cat.disk_bytes = data
    return result


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def project_lock(project: Project, path: Path):
    """The lock of a project file (for a read-modify-write outside this module)."""
    project.inside(path)
    return locked(project.cache_dir, path)


def read_memory_tmx(project: Project, path: Path, tm) -> int:
    """Add the pairs of the project's TMX memory file to `tm` (it must be inside the project)."""
    from .tmx import import_tmx

    project.inside(path, "memory file")
    return import_tmx(path, tm)


def update_memory_tmx(project: Project, path: Path, change: Callable) -> T:
    """Read the project's TMX memory (`locales/memory.tmx`) under its lock, let `change`
    add to it, and write it back: two concurrent `tm import` runs both keep their units."""
    from .memory import TranslationMemory
    from .tmx import export_tmx, import_tmx

    project.inside(path, "memory file")
    with locked(project.cache_dir, path):
        kept = TranslationMemory()
        if path.exists():
            import_tmx(path, kept)
        result = change(kept)
        export_tmx(kept, path)
    return result


# ------------------------------------------------------------------------- build output
def _under(real_base: str, path: Path) -> str:
    parent = os.path.realpath(path.parent)
    if parent != real_base and not parent.startswith(real_base + os.sep):
        raise InputError(f"a folder on the way is a symlink that leads outside the output folder "
                         f"(to {parent}); refusing to write there", path)
    return parent


def check_output(out: Path, rels) -> None:
    """Refuse, before anything is written, a build whose files would land outside `out`
    (a symlinked folder inside the output)."""
    real_base = os.path.realpath(out)
    for rel in rels:
        _under(real_base, out / rel)


def write_output(out: Path, path: Path, data: bytes) -> bool:
    """Write a build file under the output folder `out` (which the user chose) atomically;
    a symlinked folder inside `out` that leads elsewhere is refused (exit 2)."""
    real_base = os.path.realpath(out)
    _under(real_base, path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DiskError.of(exc, out, "create the output folder") from None
    # create missing folders one by one, re-checking each (a link planted midway)
    rel_parts = path.parent.relative_to(out).parts if path.parent != out else ()
    d = out
    for part in rel_parts:
        d = d / part
        if not d.exists():
            try:
                d.mkdir()
            except FileExistsError:
                pass
            except OSError as exc:
                raise DiskError.of(exc, d, "create the folder") from None
        _under(real_base, d / "x")
    return atomic_write(path, data)


class EditJournals:
    """The TUI sessions' journals of unsaved edits: one file per running session in
    `.l10n/tui-edits/`, each held by its session's lock for as long as it runs. When one
    file was shared, two people's sessions overwrote each other's journal, and a killed
    session came back with the other person's text as its own.

    A journal whose lock is free belongs to a session that ended (quit with unsaved
    edits, or killed: the system frees a dead process's lock), and may be taken over by
    a new session: `orphans()` holds each such lock until `remove()` (or `release()`)."""

    DIR = "tui-edits"
    LEGACY = "tui-edits.json"  # the one shared journal of earlier versions

    def __init__(self, project: Project):
        from filelock import FileLock

        self.project = project
        self.dir = project.cache_dir / self.DIR
        name = f"{os.getpid()}-{time.time_ns()}"
        self.path = self.dir / f"{name}.json"
        self._lock = FileLock(str(self._lock_file(self.path)), timeout=0)
        try:
            self._lock.acquire()
        except OSError as exc:
            raise DiskError.of(exc, self.dir, "create the journal's lock") from None

    def _lock_file(self, path: Path) -> Path:
        """`path`'s lock, refused if it or the folder is a symlink (filelock truncates
        the file a planted link points to)."""
        lock = path.with_suffix(".lock")
        for p in (self.dir, lock):
            if os.path.islink(p):
                raise InputError(f"{p} is a symlink; l10n's journals must be plain files in "
                                 f".l10n/{self.DIR} (remove it)", p)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DiskError.of(exc, self.dir, "create the journal folder") from None
        return lock

    def write(self, data: bytes) -> None:
        write_cache(self.project, self.path, data)

    def orphans(self) -> list[tuple[Path, object]]:
        """(journal, its lock, held now) of every session that ended; the legacy journal
        comes first, with no lock."""
        from filelock import FileLock, Timeout

        out: list[tuple[Path, object]] = []
        legacy = self.project.cache_dir / self.LEGACY
        if legacy.is_file() and not legacy.is_symlink():
            out.append((legacy, None))
        for path in sorted(self.dir.glob("*.json")):
            if path == self.path or path.is_symlink():
                continue
            try:
                lock = FileLock(str(self._lock_file(path)), timeout=0)
                lock.acquire()
            except (Timeout, OSError, InputError):
                continue  # its session runs (or its lock is a planted link: left alone)
            out.append((path, lock))
        return out

    @staticmethod
    def read(path: Path) -> object:
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def remove(self, path: Path, lock) -> None:
        """A journal taken over (its edits are in this session's journal now)."""
        for p in (path, path.with_suffix(".lock") if lock is not None else None):
            if p is not None:
                try:
                    os.unlink(p)
                except OSError:
                    pass
        self.release(lock)

    @staticmethod
    def release(lock) -> None:
        if lock is not None:
            lock.release()

    def close(self, empty: bool) -> None:
        """The session ends: its lock is freed, and its journal removed if it holds
        nothing (one with edits waits for the next session)."""
        if empty:
            try:
                os.unlink(self.path)
            except OSError:
                pass
        self._lock.release()
        if empty:
            try:
                os.unlink(self.path.with_suffix(".lock"))
            except OSError:
                pass
