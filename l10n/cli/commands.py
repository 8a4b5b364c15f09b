"""The `l10n` command line: one explicit table of commands (the package's `main` comes
here for everything but a no-op `sync --no-mt` answered from its record).

Exit codes (the brief's contract): 0 success; 1 the command ran and found problems;
2 bad usage, configuration or input, with a message naming the file and the line.

Each command is a pair in a submodule: `args_<name>(subparser)` declares its options and
`cmd_<name>(args) -> int` runs it by calling the core. A new command is one row in
`COMMANDS` below.
"""
from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..display import inert
from ..errors import L10nError
from ..secrets import redact
from . import INTERRUPTED, publish, review, tools, translate
from .common import C_HELP, Parser, add_c

RAW = argparse.RawDescriptionHelpFormatter

# name, help, declare options, run, extra add_parser keywords
COMMANDS = [
    ("init", "create a new, empty project in DIR", translate.args_init, translate.cmd_init, {}),
    ("sync", "segment new and changed articles, update templates and catalogs, fill drafts "
     "from memory and DeepL", translate.args_sync, translate.cmd_sync, {}),
    ("status", "entries per state, per article and language",
     translate.args_status, translate.cmd_status, {}),
    ("check", "quality findings; exit 1 if any has severity error",
     translate.args_check, translate.cmd_check, {"formatter_class": RAW}),
    ("approve", "approve translated or draft entries", review.args_approve, review.cmd_approve, {}),
    ("reject", "send an entry back to draft with a note", review.args_reject, review.cmd_reject, {}),
    ("resolve", "settle merge conflicts in a catalog by taking one side",
     review.args_resolve, review.cmd_resolve, {}),
    ("build", "publish the complete, approved articles: Markdown, HTML and (publishing.mo) "
     ".mo files per language", publish.args_build, publish.cmd_build, {}),
    ("audit", "prove every approval through the signed git commit that introduced it",
     publish.args_audit, publish.cmd_audit, {"formatter_class": RAW, "epilog": publish.AUDIT_EPILOG}),
    ("tm", "translation memory in TMX 1.4", tools.args_tm, None, {}),
    ("merge-driver", "the git merge driver for PO catalogs: merges entry by entry",
     tools.args_merge_driver, tools.cmd_merge_driver,
     {"formatter_class": RAW, "epilog": tools.MERGE_DRIVER_EPILOG}),
    ("tui", "the terminal UI: post-edit and review translations", tools.args_tui, tools.cmd_tui, {}),
]


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="l10n", description="Translate and review a Japanese newsletter "
               "into other languages, with gettext PO catalogs in git.")
    p.add_argument("-C", metavar="DIR", help=C_HELP)
    p.add_argument("--version", action="version", version=f"l10n {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, help, declare, run, kw in COMMANDS:
        sp = sub.add_parser(name, help=help, description=help, **kw)
        if run is not None:
            sp.set_defaults(func=run)
        add_c(sp)
        declare(sp)
    return p


def run(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return args.func(args)
    except L10nError as exc:
        print(f"l10n: error: {inert(redact(str(exc)), keep_newlines=True)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so without a traceback that could hold secrets
        if os.environ.get("L10N_DEBUG"):
            import traceback

            print(inert(redact(traceback.format_exc()), keep_newlines=True), file=sys.stderr)
        print(f"l10n: internal error: {type(exc).__name__}: {inert(redact(str(exc)))} "
              "(set L10N_DEBUG=1 for details)", file=sys.stderr)
        return 3

