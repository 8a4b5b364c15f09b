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

    def __reduce__(self):  # keep file and line across processes (parallel sync)
        return (type(self), (self.message, self.path, self.line))

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


def yaml_loader():
    """libyaml's safe loader when PyYAML was built with it (the wheels are): the same
    documents and marks, errors worded a little differently, several times faster."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_error_line(exc: Exception, text: str, offset: int = 0) -> int | None:
    """The 1-based line of a YAML error, pointing at the construct that is broken.

    When the parser only notices the problem at the end of the text (an unclosed
    bracket or quote), the line where that construct began is more useful."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    mark = problem or context
    if problem is not None and context is not None:
        rest = text[problem.index:] if problem.index is not None else ""
        if not rest.strip():
            mark = context
    if mark is not None:
        return mark.line + 1 + offset
    position = getattr(exc, "position", None)  # yaml.reader.ReaderError
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1 + offset
    return None


class DiskError(L10nError, OSError):
    """The disk refused a read or a write (full, read-only, permission): exit 1.

    Raised by the file door (`workspace`/`storage`) in place of the raw OSError, after the
    temporary file is removed, so the target keeps its old bytes. It is still an OSError,
    so code that treats a cache write as best-effort keeps working."""

    exit_code = 1

    def __init__(self, path: str | Path, action: str, reason: str, errno: int | None = None):
        self.path = str(path)
        self.action = action
        self.reason = reason
        OSError.__init__(self, errno, reason)

    def __reduce__(self):
        return (type(self), (self.path, self.action, self.reason, self.errno))

    def __str__(self) -> str:
        return (f"{self.path}: cannot {self.action}: {self.reason} "
                "(nothing was half-written; fix this and run the command again)")

    @classmethod
    def of(cls, exc: OSError, path: str | Path, action: str) -> "DiskError":
        if isinstance(exc, DiskError):
            return exc
        return cls(path, action, exc.strerror or str(exc), exc.errno)


def checked_construct(loader, node, path: str | Path, offset: int = 0):
    """`loader.construct_document(node)`, with a value PyYAML cannot build (a date like
    2026-13-45, an integer of over 4,300 digits) reported as bad input at its line."""
    try:
        return loader.construct_document(node)
    except (ValueError, OverflowError) as exc:
        bad = _failing_node(node)
        line = bad.start_mark.line + 1 + offset if bad is not None else None
        value = getattr(bad, "value", "")
        shown = value if len(value) <= 40 else f"{value[:20]}...({len(value):,} characters)"
        raise InputError(f"{shown!r} is not a valid value ({_short(exc)})", path, line) from None


def _short(exc: Exception) -> str:
    text = str(exc).split(";")[0]
    return text if len(text) <= 100 else text[:100] + "..."


def _failing_node(node):
    """The first scalar in the tree that PyYAML's safe constructor cannot build."""
    import yaml

    stack = [node]
    while stack:
        n = stack.pop(0)
        if isinstance(n, yaml.ScalarNode):
            try:
                yaml.constructor.SafeConstructor().construct_object(n)
            except (ValueError, OverflowError, yaml.YAMLError):
                return n
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack += [k, v]
        elif isinstance(n, yaml.SequenceNode):
            stack += list(n.value)
    return None
