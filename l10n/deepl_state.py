"""What l10n keeps in `.l10n/` about DeepL (git ignores the folder; each file can be
deleted at any time, at the cost of a request or of a statistic):

* `deepl-state.json`: the multilingual glossaries made on DeepL's side, each recorded
  under everything it depends on: the server URL, a fingerprint of the key (16 hex
  digits of a salted SHA-256: it tells two keys apart and cannot give the key back),
  the language pairs it has dictionaries for and the project glossary's version. A
  rotated key, another account, another server or a changed glossary therefore never
  reuses a glossary id that the server does not know; one the server has forgotten is
  recreated once, automatically (machine_translation.py).
* `deepl-usage.json`: the characters DeepL billed, per calendar month (UTC) and
  language; `l10n status --json` reports this month's as `deepl_characters`.
* `mt-cache.sqlite`: every text DeepL translated (machine_translation.SentRecord).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from .storage import atomic_write, locked

STATE_FILE = "deepl-state.json"
USAGE_FILE = "deepl-usage.json"
STATE_VERSION = 2


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class GlossaryState:
    """The glossary ids made on DeepL's side, keyed by what each depends on."""

    def __init__(self, cache_dir: Path, server: str, key_fp: str):
        self.cache_dir = cache_dir
        self.path = cache_dir / STATE_FILE
        self.server = server
        self.key_fp = key_fp

    def _entries(self) -> dict:
        data = _read(self.path)
        if data.get("version") != STATE_VERSION or not isinstance(data.get("glossaries"), dict):
            return {}
        return data["glossaries"]

    def _save(self, entries: dict) -> None:
        body = {"version": STATE_VERSION, "glossaries": dict(sorted(entries.items()))}
        atomic_write(self.path, json.dumps(body, indent=1, sort_keys=True).encode())

    def slot(self, pairs: list[str], version: str) -> str:
        return f"{self.server}|{self.key_fp}|{','.join(pairs)}|{version}"

    def get(self, pairs: list[str], version: str) -> str | None:
        rec = self._entries().get(self.slot(pairs, version))
        gid = rec.get("id") if isinstance(rec, dict) else None
        return gid if isinstance(gid, str) and gid else None

    def put(self, pairs: list[str], version: str, gid: str) -> list[str]:
        """Record `gid`; returns the ids it replaces on the same server and account
        (an older glossary version), which the caller may delete there."""
        new = self.slot(pairs, version)
        with locked(self.cache_dir, self.path):
            entries = self._entries()
            old = []
            for slot, rec in list(entries.items()):
                if isinstance(rec, dict) and rec.get("server") == self.server \
                        and rec.get("key") == self.key_fp:
                    # the same slot filled meanwhile is a concurrent sync's twin, in use
                    # right now: left on the server rather than pulled from under it
                    if slot != new and isinstance(rec.get("id"), str) and rec["id"] != gid:
                        old.append(rec["id"])
                    del entries[slot]
            entries[new] = {
                "server": self.server, "key": self.key_fp, "pairs": pairs,
                "glossary_version": version, "id": gid,
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            self._save(entries)
        return old

    def forget(self, pairs: list[str], version: str) -> None:
        with locked(self.cache_dir, self.path):
            entries = self._entries()
            if entries.pop(self.slot(pairs, version), None) is not None:
                self._save(entries)


def this_month() -> str:
    return time.strftime("%Y-%m", time.gmtime())


def add_usage(cache_dir: Path, lang: str, chars: int) -> None:
    """Add billed characters to this month's running total (under a lock)."""
    if chars <= 0:
        return
    path = cache_dir / USAGE_FILE
    with locked(cache_dir, path):
        data = _read(path)
        months = data.get("months") if isinstance(data.get("months"), dict) else {}
        m = months.get(this_month())
        if not isinstance(m, dict):
            m = {}
        m["characters"] = int(m.get("characters", 0) or 0) + chars
        per = m.get("languages") if isinstance(m.get("languages"), dict) else {}
        per[lang] = int(per.get(lang, 0) or 0) + chars
        m["languages"] = dict(sorted(per.items()))
        months[this_month()] = m
        atomic_write(path, json.dumps({"version": 1, "months": dict(sorted(months.items()))},
                                      indent=1, sort_keys=True).encode())


def month_usage(cache_dir: Path, month: str | None = None) -> dict:
    """{"month", "characters", "languages"} billed by DeepL in `month` (this one by default)."""
    month = month or this_month()
    data = _read(cache_dir / USAGE_FILE)
    months = data.get("months") if isinstance(data.get("months"), dict) else {}
    m = months.get(month) if isinstance(months.get(month), dict) else {}
    chars = m.get("characters", 0)
    langs = m.get("languages") if isinstance(m.get("languages"), dict) else {}
    return {"month": month, "characters": chars if isinstance(chars, int) else 0,
            "languages": {k: v for k, v in langs.items() if isinstance(v, int)}}
