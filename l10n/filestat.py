"""The stat key: how every cache and every re-read check recognises a file it has seen.

(mtime in ns, size, inode): an atomic write (a rename) changes the inode, an edit in
place changes the time or the size. Kept in a module of its own, with no imports, so
that a no-op sync, which compares thousands of them, loads nothing else.
"""
from __future__ import annotations

import os
from pathlib import Path


def stat_key(path: Path | str) -> list[int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]
