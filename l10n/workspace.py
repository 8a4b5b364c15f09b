"""Reading and changing catalogs safely: the one place that writes a PO file.

`update_catalog` is the only way the core changes a catalog. It takes the file's lock,
reads the catalog as it is on disk *now*, lets the caller change entries, and writes the
result atomically. Because the read happens under the lock, two writers that change
different entries of one catalog both keep their change: the second one reads the
first one's result. The TUI relies on the same call, so its saves can never overwrite
what a sync, a `l10n approve` or another translator wrote in the meantime.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from . import catalog as po
from .catalog import Catalog
from .errors import InputError
from .filestat import stat_key  # noqa: F401 - part of this module's interface
from .project import Project
from .storage import atomic_write, locked

T = TypeVar("T")




def read_catalog(project: Project, lang: str, article_id: str) -> Catalog | None:
    path = project.catalog_path(lang, article_id)
    if not path.exists():
        return None
    project.inside(path, "catalog")
    return po.read(path)


def update_catalog(project: Project, lang: str, article_id: str,
                   change: Callable[[Catalog], T], create: bool = False,
                   seen: Catalog | None = None) -> T:
    """Run `change` on the current catalog under its lock, then write it if it changed.

    `seen` is the catalog as the caller last wrote or read it (with its `disk_key`): it
    is changed in place instead of parsing the file again, but only if the file is still
    exactly that one (same stat key, taken under the lock)."""
    path = project.catalog_path(lang, article_id)
    with locked(project.cache_dir, path):
        if path.exists():
            project.inside(path, "catalog")
            if seen is not None and seen.disk_key and seen.disk_key == stat_key(path):
                cat = seen
            else:
                cat = po.read(path)
        elif create:
            cat = Catalog(headers=po.make_headers(lang, project.config.project))
        else:
            raise InputError(f"no catalog for {article_id} in {lang}; run `l10n sync` first", path)
        result = change(cat)
        atomic_write(path, po.serialize(cat))
        cat.disk_key = stat_key(path)
    return result
