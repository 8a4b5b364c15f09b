"""The registry of quality checks: id -> severity, description, function.

A per-entry check is a function ``fn(entry: EntryText) -> Iterable[Finding]`` registered
with the `check` decorator; `check_entry` (in ``__init__``) runs every registered
per-entry check in registration order, which is the order of the modules imported by
``l10n/checks/__init__.py`` and, inside a module, the order of definition. A
cross-entry check (consistency) is registered with ``fn=None`` by `register`: it is
listed (for ``l10n check --help``) but `check_entry` does not run it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..glossary import Glossary


@dataclass(frozen=True)
class Finding:
    check: str  # check id, a key of REGISTRY
    severity: str  # "error" | "warning"
    message: str  # one sentence for the translator


@dataclass(slots=True)  # not frozen: built once per checked entry, and a frozen one costs 5x more to build
class EntryText:
    """One (source, target) pair as every per-entry check sees it (built by check_entry;
    the checks only read it)."""

    source: str  # NFC
    target: str  # NFC, not empty
    src: object  # text.Inline of the source
    tgt: object  # text.Inline of the target
    lang: str  # as given ("en", "es", "en-GB", ...)
    base: str  # base language, lower case ("en")
    role: str  # msgctxt: title, summary, caption, tag, heading, body
    glossary: Glossary | None
    severity: str | None = None  # check_entry's: "error" drops warnings (a check may skip making them)


@dataclass(frozen=True)
class Check:
    id: str
    severity: str  # the severity of its findings ("error" for punctuation, whose style sub-checks warn)
    description: str
    fn: Callable[[EntryText], Iterable[Finding]] | None  # None: not a per-entry check

    def finding(self, message: str, severity: str | None = None) -> Finding:
        return Finding(self.id, severity or self.severity, message)


REGISTRY: dict[str, Check] = {}


def register(check_id: str, severity: str, description: str,
             fn: Callable[[EntryText], Iterable[Finding]] | None = None) -> Check:
    if check_id in REGISTRY:
        raise ValueError(f"check {check_id!r} registered twice")
    if severity not in ("error", "warning"):
        raise ValueError(f"check {check_id!r}: severity must be error or warning")
    c = Check(check_id, severity, " ".join(description.split()), fn)
    REGISTRY[check_id] = c
    return c


def check(check_id: str, severity: str, description: str):
    """Decorator: register a per-entry check function under `check_id`."""

    def deco(fn: Callable[[EntryText], Iterable[Finding]]):
        register(check_id, severity, description, fn)
        return fn

    return deco


def finding(check_id: str, message: str, severity: str | None = None) -> Finding:
    """A finding of a registered check, with the check's severity unless given."""
    return REGISTRY[check_id].finding(message, severity)
