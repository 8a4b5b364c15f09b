"""The `l10n` command line. `main` is the console script's entry point.

Exit codes (the brief's contract): 0 success; 1 the command ran and found problems;
2 bad usage, configuration or input, with a message naming the file and the line.

The command table and every command live in `commands.py` and the modules it names.
This module imports nothing else at first: a no-op `l10n sync --no-mt` is answered
from its record (sync_noop.py) before argparse, PyYAML or the command table load; any
other command, and any sync the record cannot vouch for, goes to `commands.run`.
"""
import sys

INTERRUPTED = "l10n: interrupted; everything saved so far is kept"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        text = _noop_sync(list(args), split=argv is None)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    if text is not None:
        sys.stdout.write(text)
        if argv is None:  # the process is this command: end it without the teardown
            _exit_now()
        return 0
    from .commands import run

    return run(argv)


def _exit_now() -> None:
    """Exit 0 at once once stdout is out: the answer opened nothing, and the
    interpreter's teardown (freeing every module) is a tenth of such a run. If stdout
    cannot take it (a closed pipe), return: the usual exit then reports that as always."""
    import os

    try:
        sys.stdout.flush()
    except OSError:
        return
    os._exit(0)


def _noop_sync(args: list[str], split: bool = False) -> str | None:
    """What a plain `sync --no-mt` prints when its record vouches that there is nothing
    to do (sync_noop.replay); None for any other command line, or when the full sync
    must decide. Accepted: `sync --no-mt` with `-C DIR` before or after the name, or
    without it. `split`: the process is this command alone (sync_noop.replay)."""
    import os

    if args == ["sync", "--no-mt"]:
        try:
            start = os.getcwd()
        except OSError:
            return None
    elif len(args) == 4 and "-C" in args[:3]:
        i = args.index("-C")
        start = args[i + 1]
        if args[:i] + args[i + 2:] != ["sync", "--no-mt"] or not start or start.startswith("-"):
            return None
    else:
        return None
    from ..sync_noop import replay

    return replay(start, split)


def __getattr__(name: str):
    """`from l10n.cli import build_parser` (or COMMANDS) loads the command table."""
    if name in ("build_parser", "COMMANDS", "run"):
        from . import commands

        return getattr(commands, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
