"""What every command shares: the parser, finding the project, paths, words, printing.

Printing: every line goes through `say` (stdout) or `warn` (stderr), which make text
from outside inert (display.inert: control characters shown as `\\x1b`), and JSON
through `print_json`. Paths the user typed (`--out DIR`, `tm export FILE`, `init DIR`)
are relative to the directory the user is in, whatever `-C` says: `-C` only tells
where the project is.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

from ..display import inert, json_text, plural  # noqa: F401 (plural: for every command module)
from ..errors import UsageError
from ..project import Project

C_HELP = "run as if l10n was started in DIR (the project, or a folder inside it)"


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on bad usage: keep that, say it our way
        self.print_usage(sys.stderr)
        raise UsageError(message)


def add_c(parser: argparse.ArgumentParser) -> None:
    """`-C DIR` on a (sub)command, so it works before or after the command's name."""
    parser.add_argument("-C", metavar="DIR", default=argparse.SUPPRESS, help=C_HELP)


def lang_option(sp, *, required: bool = False, repeat: bool = False) -> None:
    if repeat:
        sp.add_argument("--lang", action="append", metavar="L",
                        help="only this target language, e.g. ko (repeatable; default: all)")
    else:
        sp.add_argument("--lang", required=required, metavar="L",
                        help="the target language of the catalog, e.g. ko")


def project_of(args) -> Project:
    return Project.find(Path(args.C) if getattr(args, "C", None) else None)


def user_path(raw: str) -> Path:
    """A path the user typed, relative to the directory they are in (not to -C)."""
    return Path(raw).expanduser().absolute()


def output_file(raw: str) -> Path:
    """A file to write: its folder must exist (never created behind the user's back)."""
    path = user_path(raw)
    if path.is_dir():
        raise UsageError(f"{raw} is a folder; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist (create it first)")
    return path


def output_dir(raw: str) -> Path:
    """A folder to write into: it may be created, but its parent must exist."""
    path = user_path(raw)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{raw} exists and is not a folder")
    if not path.exists() and not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist (create it first)")
    return path


_CATALOG_PATH = re.compile(r"^(?:.*/)?locales/(?:templates|[A-Za-z-]+)/(.+)\.pot?$")


def article_id(project: Project, raw: str) -> str:
    """An existing article, named by its id (`2026-02/oita-bay-area`), its file
    (`content/2026-02/oita-bay-area.md`) or one of its catalogs or its template
    (`locales/ko/2026-02/oita-bay-area.po`, as git and pre-commit name changed files).
    An unknown id says which ids come close ("did you mean ...")."""
    m = _CATALOG_PATH.match(raw.replace("\\", "/"))
    aid = project.check_id(m.group(1) if m else raw)
    path = project.content_dir / f"{aid}.md"
    if path.is_file():
        project.article_path(aid)  # the confinement check
        return aid
    ids = project.article_ids()
    near = [a for a in ids if a.rsplit("/", 1)[-1] == aid.rsplit("/", 1)[-1]]
    near += [a for a in difflib.get_close_matches(aid, ids, n=3, cutoff=0.6) if a not in near]
    hint = f"; did you mean {' or '.join(near[:3])}?" if near else ""
    raise UsageError(f"no article {aid!r} (looked for {project.rel(path)}){hint}")


def article_ids(project: Project, raws: list[str]) -> list[str] | None:
    """Several ARTICLE arguments, each once; None when none was given (all articles)."""
    return list(dict.fromkeys(article_id(project, a) for a in raws)) or None


def said(text: str) -> str:
    """What `say(text)` prints, as a string."""
    return inert(text, keep_newlines=True) + "\n"


def say(text: str, file=None) -> None:
    """Print a message; any text from outside in it is made inert (line breaks stay)."""
    (file or sys.stdout).write(said(text))


def warn(text: str) -> None:
    say(text, file=sys.stderr)


def short(text: str, width: int = 60) -> str:
    """One line of at most `width` characters, for a msgid or a translation."""
    one = " ".join(str(text).split())
    return one if len(one) <= width else one[: width - 1] + "…"


def print_json(data) -> None:
    """JSON on stdout. json escapes C0 controls itself; the C1 controls and bidi
    controls it leaves raw are escaped too (\\u009b), so the document stays the same
    value and inert on a terminal."""
    sys.stdout.write(json_text(data, indent=2) + "\n")


def print_findings(findings, out=None) -> None:
    for f in findings:
        say(f"    [{f.severity}] {f.check}: {f.message}", file=out or sys.stderr)
