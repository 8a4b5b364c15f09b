"""Messages that workers post to the app. Workers never touch widgets."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from pathlib import Path

    from l10n.dashboard import Dashboard
    from l10n.sync import SyncReport


def failure(exc: BaseException, root: Path | None = None) -> str:
    """What a worker's failure says on the status line, the DeepL key masked: an l10n
    error as it is written for the user (it names the file and the line); anything
    else with its type, which says more than its text alone ("KeyError: 'x'"). Files
    of the project at `root` are named from it (locales/ko/...po:132), so that the
    status line's three lines hold the rest."""
    from l10n.errors import L10nError
    from l10n.secrets import redact

    text = str(exc) if isinstance(exc, L10nError) else f"{type(exc).__name__}: {exc}"
    if root is not None:
        text = text.replace(f"{root}{os.sep}", "")
    return redact(text)


def files_failing(errors: list, root: Path | None = None) -> str:
    """Files that do not read, for the status line: the first one's error (its file and
    line) and how many more."""
    more = len(errors) - 1
    rest = f" (and {more} more file{'s' if more > 1 else ''})" if more else ""
    return f"{failure(errors[0], root)}{rest}"


def left_out(errors: list, root: Path | None = None) -> str:
    """What the status line says of the files the translation memory could not read."""
    return (f"the translation memory left out {files_failing(errors, root)}; "
            "its suggestions come back once the file is fixed")


class StatsLoaded(Message):
    def __init__(self, dash: Dashboard | None, with_errors: bool) -> None:
        super().__init__()
        self.dash = dash
        self.with_errors = with_errors


class MemoryLoaded(Message):
    def __init__(self, left_out: list | None = None, root: Path | None = None) -> None:
        super().__init__()
        self.left_out = left_out or []  # the errors of the files the memory left out
        self.root = root


class SyncProgress(Message):
    def __init__(self, article: str, n: int, total: int) -> None:
        super().__init__()
        self.article = article
        self.n = n
        self.total = total


class SyncDetail(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SyncDone(Message):
    """The sync driver's report, and its text summary as the core renders it."""

    def __init__(self, report: SyncReport, summary: str) -> None:
        super().__init__()
        self.report = report
        self.summary = summary


class WorkerFailed(Message):
    def __init__(self, what: str, error: str) -> None:
        super().__init__()
        self.what = what
        self.error = error


class AuditDone(Message):
    """The audit of one article in one language (l10n.audit), for the article screen:
    `proof` maps each approved entry's key to (proven, what git says); `problem` is why
    nothing could be proven (a bad reviewers file, no git), if so."""

    def __init__(self, article: str, lang: str, proof: dict | None, problem: str | None) -> None:
        super().__init__()
        self.article = article
        self.lang = lang
        self.proof = proof
        self.problem = problem


class DeepLSuggested(Message):
    """DeepL's translation of one entry (`d`), or why there is none."""

    def __init__(self, article: str, lang: str, key, text: str | None, paid_before: bool = False,
                 error: str | None = None) -> None:
        super().__init__()
        self.article = article
        self.lang = lang
        self.key = key
        self.text = text
        self.paid_before = paid_before
        self.error = error


class SuggestionsFound(Message):
    """The memory's suggestions for an entry are in (Session.known_suggestions has them)."""

    def __init__(self, lang: str, key) -> None:
        super().__init__()
        self.lang = lang
        self.key = key
