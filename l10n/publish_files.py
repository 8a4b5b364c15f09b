"""The build's files under OUT: what it owns, how it writes, what it may remove (issue 13).

`OUT/.l10n-build.json` (the manifest, version 2) records every file the build wrote with
the SHA-256 of the bytes it wrote, and each published edition (language, article) with its
title and date (for the index, while the edition is kept as stale):

    {"version": 2, "generator": "l10n build",
     "files": {"en/2026-02/kanra.html": "<sha256>", ...},
     "editions": {"en": {"2026-02/kanra": {"title": "...", "date": "2026-02-01"}}}}

Rules:

* a file is removed only if the manifest lists it AND its bytes still hash to what the
  build wrote; a file changed since (or never written by the build, merely named like an
  article page) is left alone and dropped from the manifest;
* manifest paths are checked before use: relative, `/`-separated, no `.`/`..`/empty part,
  no backslash or control character, under a language folder, ending `.md`, `.html` or
  `.mo`; anything else is ignored (a planted manifest cannot name a path outside OUT);
* no write or removal goes through a symbolic link: before the first write, every folder
  on the way to every file the build writes or removes, and the file itself, are checked
  with lstat; a link anywhere there stops the build (exit 2) with nothing written;
* an older manifest (version 1: paths without hashes) owns nothing: it cannot prove what
  the build wrote, and a planted one would name any file. The files it lists are left in
  place (a complete article's are overwritten by the next build, which owns them then).

Every write goes through `write_file` (storage.atomic_write) and every removal through
`remove_file`: the two doors to redirect for confinement.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .workspace import write_output

MANIFEST = ".l10n-build.json"
MANIFEST_VERSION = 2
OWN_SUFFIXES = (".md", ".html", ".mo")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    files: dict[str, str] = field(default_factory=dict)  # rel path -> sha256 written
    editions: dict[str, dict[str, dict]] = field(default_factory=dict)  # lang -> aid -> info

    def as_bytes(self) -> bytes:
        body = {"version": MANIFEST_VERSION, "generator": "l10n build",
                "files": dict(sorted(self.files.items())),
                "editions": {lang: dict(sorted(eds.items()))
                             for lang, eds in sorted(self.editions.items()) if eds}}
        return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def safe_rel(rel: object, langs: set[str] | None = None) -> str | None:
    """`rel` if it is a path the build could own under OUT, else None."""
    if not isinstance(rel, str) or not rel or len(rel) > 1000:
        return None
    if "\\" in rel or any(ord(c) < 32 or c == "\x7f" for c in rel):
        return None
    parts = rel.split("/")
    if len(parts) < 2 or any(p in ("", ".", "..") for p in parts):
        return None
    if langs is not None and parts[0] not in langs:
        return None
    if not rel.endswith(OWN_SUFFIXES):
        return None
    return rel


def check_path(out: Path, rel: str) -> Path:
    """out/rel, refusing a symbolic link on the way or at the end (exit 2)."""
    path = out
    for part in rel.split("/"):
        path = path / part
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            break  # what does not exist yet is made by the build, as a real folder
        except OSError as exc:
            raise InputError(f"cannot use {path}: {exc.strerror}") from None
        if stat.S_ISLNK(st.st_mode):
            raise InputError(f"{path} is a symbolic link; l10n build never writes or removes "
                             "through a link in the output folder (remove the link, or choose "
                             "another --out)")
    return out / rel


def read_manifest(out: Path, langs: set[str]) -> Manifest:
    path = check_path(out, MANIFEST)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, ValueError):
        return Manifest()  # unreadable: owns nothing, so nothing is removed
    if not isinstance(data, dict):
        return Manifest()
    m = Manifest()
    files = data.get("files")
    if data.get("version") == MANIFEST_VERSION and isinstance(files, dict):
        for rel, digest in files.items():
            if safe_rel(rel, langs) and isinstance(digest, str) and len(digest) == 64:
                m.files[rel] = digest
        editions = data.get("editions")
        if isinstance(editions, dict):
            for lang, eds in editions.items():
                if lang in langs and isinstance(eds, dict):
                    m.editions[lang] = {aid: info for aid, info in eds.items()
                                        if isinstance(aid, str) and isinstance(info, dict)
                                        and safe_rel(f"{lang}/{aid}.html", langs)}
    return m


def unchanged(out: Path, rel: str, digest: str) -> bool:
    """Whether out/rel is a regular file (not a link) holding what the build wrote."""
    try:
        path = check_path(out, rel)
        st = os.lstat(path)
        return stat.S_ISREG(st.st_mode) and sha256(path.read_bytes()) == digest
    except (InputError, OSError):
        return False


def write_file(out: Path, rel: str, data: bytes) -> bool:
    """The one door for writing under OUT. True if the bytes changed. (workspace's
    write_output makes the folders one by one, re-checking each for a planted link.)"""
    return write_output(out, check_path(out, rel), data)


def remove_file(out: Path, rel: str, digest: str) -> bool:
    """The one door for removing under OUT: only a file the build wrote, unchanged since."""
    if not unchanged(out, rel, digest):
        return False
    path = out / rel
    path.unlink()
    _prune(path.parent, out / rel.split("/", 1)[0])
    return True


def _prune(d: Path, stop: Path) -> None:
    """Remove empty folders from d up to (not including) stop."""
    while d != stop and stop in d.parents:
        try:
            d.rmdir()
        except OSError:
            return
        d = d.parent
