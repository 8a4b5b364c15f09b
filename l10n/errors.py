"""Errors the CLI turns into exit codes.

`InputError` is bad usage, configuration or input: exit 2, and the message names the
file and, where known, the line. Nothing is written once one is raised.
"""
from __future__ import annotations

from pathlib import Path


class L10nError(Exception):
    """Base class for every error the core raises on purpose."""

    exit_code = 2


class InputError(L10nError):
    """Bad input: a file, a key or an argument that cannot be used as it is."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message


class UsageError(InputError):
    """A command line that cannot be carried out (an unknown article, a bad language)."""


class ServiceError(L10nError):
    """The translation service failed (quota, key, network); drafts received are kept."""

    exit_code = 1
