"""Safe writes: a file lock per file, and atomic replacement.

Every write of a catalog, a template or a cache goes through `atomic_write`: the bytes go
to a temporary file in the same directory, are fsynced, and the temporary file is renamed
over the target (then the directory is fsynced). A kill at any moment leaves either the
old file or the new one, never a mix. A write whose bytes equal what is on disk is
skipped, so an unchanged file keeps its bytes and its modification time.

`locked(path)` takes an inter-process lock (filelock) on a lock file in the project's
cache directory, never next to the file itself, so that git never sees lock files.
Under the lock it also deletes the temporary files a killed writer of that path left
behind (`kill -9` between mkstemp and the rename), so none lingers for git to see.
"""
from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .errors import DiskError, InputError, L10nError

LOCK_TIMEOUT = 60.0


class LockTimeout(L10nError):
    exit_code = 1


_deferred: list[set] = []


@contextmanager
def deferred_dir_sync() -> Iterator[None]:
    """Within this block, fsync each directory once at the end instead of after every
    rename (a sync that writes thousands of files in a few hundred directories). The
    files themselves are still fsynced before their rename, so a kill at any moment
    leaves each file old or new; only durability across a power loss waits for the end."""
    dirs: set = set()
    _deferred.append(dirs)
    try:
        yield
    finally:
        _deferred.remove(dirs)
        for d in sorted(dirs):
            _fsync_dir(Path(d))


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _refuse_read_only(target: Path) -> None:
    """A catalog or folder the user made read-only is not changed behind their back, not
    even by root (whose writes the kernel would allow): the write bits are honoured."""
    for p, what in ((target, "file"), (target.parent, "folder")):
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        if not st.st_mode & 0o222 or not os.access(p, os.W_OK):
            raise DiskError(target, "write", f"the {what} {p} is read-only", errno.EACCES)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> bool:
    """Write `data` to `path` atomically. Returns False (and writes nothing) when the file
    already holds exactly these bytes.

    Any refusal of the disk (full, read-only, permission) is raised as `DiskError` (exit 1)
    after the temporary file is removed: the target keeps its old bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise DiskError.of(exc, path, "read") from None
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_read_only(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise DiskError.of(exc, path, "write") from None
        raise
    if _deferred:
        _deferred[-1].add(str(path.parent))
    else:
        _fsync_dir(path.parent)
    return True


def create_new(path: Path, data: bytes, *, mode: int = 0o644) -> bool:
    """Create `path` with `data` only if no file of that name exists; returns False and
    changes nothing if one does (even one created a moment ago by another process).

    The bytes go to a temporary file first, which is then hard-linked to the name (link(2)
    never replaces an existing name), so the file appears whole or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path):
            return False
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise DiskError.of(exc, path, "write") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
    except OSError as exc:
        raise DiskError.of(exc, path, "write") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _fsync_dir(path.parent)
    return True


def lock_path(cache_dir: Path, path: Path) -> Path:
    """The lock file of `path`, in `cache_dir/locks/`. A lock file or folder that is a
    symlink was planted (filelock opens lock files with O_TRUNC, which would empty the
    file it points to): refused."""
    d = cache_dir / "locks"
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:20]
    lock = d / f"{path.name}.{digest}.lock"
    for p in (d, lock):
        if os.path.islink(p):
            raise InputError(f"{p} is a symlink; l10n's lock files must be plain files in "
                             ".l10n/locks (remove it)", p)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DiskError.of(exc, d, "create the lock folder") from None
    return lock


def remove_stale_temps(path: Path) -> None:
    """Delete the temporary files that a killed writer of `path` left next to it.

    Only safe under `path`'s lock: every writer of a locked path holds that lock while
    its temporary file exists, so any temporary file found then is a dead writer's."""
    prefix = f".{path.name}."  # tempfile.mkstemp's names: .NAME.XXXXXXXX.tmp
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp") and len(name) == len(prefix) + 12:
            try:
                os.unlink(path.parent / name)
            except OSError:
                pass


@contextmanager
def locked(cache_dir: Path, path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    lp = lock_path(cache_dir, path)
    lock = FileLock(str(lp), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(f"{path}: another l10n process holds this file for more than "
                          f"{timeout:.0f} s; try again") from None
    except OSError as exc:
        raise DiskError.of(exc, lp, "create the lock file") from None
    try:
        remove_stale_temps(path)
        yield
    finally:
        lock.release()
