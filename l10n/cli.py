"""The `l10n` command line.

Exit codes (the brief's contract): 0 success; 1 the command ran and found problems;
2 bad usage, configuration or input, with a message naming the file and the line.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import L10nError, UsageError
from .project import Project
from .secrets import redact


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on bad usage: keep that, say it our way
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _project(args) -> Project:
    return Project.find(Path(args.C) if args.C else None)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------------------- init
def cmd_init(args) -> int:
    from .init import init_project

    root = Path(args.dir)
    if args.C and not root.is_absolute():
        root = Path(args.C) / root
    created = init_project(root)
    print(f"Initialised an l10n project in {root}")
    for p in created:
        print(f"  created {p}")
    from .init import REVIEWERS_HELP

    print(REVIEWERS_HELP)
    return 0


# ---------------------------------------------------------------------------- sync
def cmd_sync(args) -> int:
    from .engines import run_sync

    project = _project(args)
    return run_sync(project, langs=args.lang, no_mt=args.no_mt, dry_run=args.dry_run,
                    as_json=args.json, refresh=args.refresh)


# ---------------------------------------------------------------------------- status
def cmd_status(args) -> int:
    from .status import status

    project = _project(args)
    articles = [project.check_id(a) for a in args.article] if args.article else None
    if articles:
        for a in articles:
            project.article_path(a)
    data = status(project, args.lang, articles)
    if args.json:
        _print_json(data)
        return 0
    langs = data["languages"]
    w = max([len(a["id"]) for a in data["articles"]] + [7])
    head = f"{'article':<{w}}  " + "  ".join(f"{lang:>22}" for lang in langs)
    print(head)
    print(f"{'':<{w}}  " + "  ".join(f"{'new draft done ok':>22}" for _ in langs))

    def cells(per):
        out = []
        for lang in langs:
            c = per[lang]
            if c.get("missing"):
                out.append(f"{'(not synced)':>22}")
                continue
            cell = f"{c['untranslated']:>3} {c['draft']:>5} {c['translated']:>4} {c['approved']:>3}/{c['entries']:<3}"
            if c.get("conflicts"):
                cell += f" !{c['conflicts']}"
            out.append(f"{cell:>22}")
        return "  ".join(out)

    for a in data["articles"]:
        print(f"{a['id']:<{w}}  {cells(a['languages'])}")
    print(f"{'total':<{w}}  {cells(data['total'])}")
    for lang in langs:
        t = data["total"][lang]
        print(f"{lang}: {t['approved']}/{t['entries']} approved; approved machine drafts: "
              f"{t['approved_unedited']} unedited, {t['approved_post_edited']} post-edited")
        if t["conflicts"]:
            print(f"{lang}: {t['conflicts']} merge conflicts to resolve (l10n resolve)")
    return 0


# ---------------------------------------------------------------------------- approve / reject
def _print_findings(findings, out=None) -> None:
    out = out or sys.stderr
    for f in findings:
        if isinstance(f, str):
            print(f"    {f}", file=out)
        else:
            print(f"    [{f.severity}] {f.check}: {f.message}", file=out)


def cmd_approve(args) -> int:
    from .actions import approve, identity

    project = _project(args)
    aid = project.check_id(args.article)
    project.article_path(aid)
    project.check_lang(args.lang)
    if not args.all and not args.msgid:
        raise UsageError("say which entries: --all or --msgid TEXT")
    reviewer = identity(args.as_name, str(project.root))
    res = approve(project, aid, args.lang, reviewer, msgids=args.msgid, all_entries=args.all,
                  override=args.override)
    print(f"{aid} [{args.lang}]: {len(res.approved)} approved by {reviewer}, "
          f"{len(res.already)} already approved, {len(res.skipped)} untranslated skipped")
    if res.refused:
        print(f"{len(res.refused)} refused:", file=sys.stderr)
        for e, findings in res.refused:
            print(f"  {e.msgid}", file=sys.stderr)
            _print_findings(findings)
        if any(not isinstance(f, str) for _, fs in res.refused for f in fs):
            print("Fix the translation, or approve anyway with --override REASON.", file=sys.stderr)
        return 1
    return 0


def cmd_reject(args) -> int:
    from .actions import identity, reject

    project = _project(args)
    aid = project.check_id(args.article)
    project.article_path(aid)
    reviewer = identity(args.as_name, str(project.root))
    e = reject(project, aid, args.lang, reviewer, args.note, msgid=args.msgid)
    print(f"{aid} [{args.lang}]: sent back to draft: {e.msgid[:60]}")
    return 0


# ---------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="l10n", description="Translate and review a Japanese newsletter "
                "into other languages, with gettext PO catalogs in git.")
    p.add_argument("-C", metavar="DIR", help="run as if started in DIR (the project or below it)")
    p.add_argument("--version", action="version", version=f"l10n {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, func, help: str, **kw):
        sp = sub.add_parser(name, help=help, description=help, **kw)
        sp.set_defaults(func=func)
        sp.add_argument("-C", metavar="DIR", default=argparse.SUPPRESS,
                        help="run as if started in DIR")
        return sp

    sp = add("init", cmd_init, "create a new, empty project in DIR")
    sp.add_argument("dir", metavar="DIR")

    sp = add("sync", cmd_sync, "segment new and changed articles, update templates and "
             "catalogs, fill drafts from memory and DeepL")
    sp.add_argument("--no-mt", action="store_true", help="no machine translation")
    sp.add_argument("--dry-run", action="store_true",
                    help="write nothing; report what would be sent to DeepL, per language")
    sp.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
    sp.add_argument("--json", action="store_true", help="machine-readable report")
    sp.add_argument("--refresh", action="store_true",
                    help="ask DeepL again even for texts it already translated")

    sp = add("status", cmd_status, "entries per state, per article and language")
    sp.add_argument("article", nargs="*", metavar="ARTICLE", help="only these articles")
    sp.add_argument("--lang", action="append", metavar="L")
    sp.add_argument("--json", action="store_true")

    sp = add("approve", cmd_approve, "approve translated or draft entries")
    sp.add_argument("article", metavar="ARTICLE", help="article id, e.g. 2026-02/oita-bay-area")
    sp.add_argument("--lang", required=True, metavar="L")
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--all", action="store_true", help="every translated or draft entry")
    g.add_argument("--msgid", action="append", metavar="TEXT", help="the entry's Japanese source")
    sp.add_argument("--as", dest="as_name", metavar="NAME", help="reviewer name")
    sp.add_argument("--override", metavar="REASON",
                    help="approve despite error findings; the reason is recorded")

    sp = add("reject", cmd_reject, "send an entry back to draft with a note")
    sp.add_argument("article", metavar="ARTICLE")
    sp.add_argument("--lang", required=True, metavar="L")
    sp.add_argument("--msgid", required=True, metavar="TEXT")
    sp.add_argument("--note", required=True, metavar="TEXT")
    sp.add_argument("--as", dest="as_name", metavar="NAME")

    for extra in _EXTRA:
        extra(add)
    return p


_EXTRA: list = []


def command(register):
    """Register more subcommands (used by modules that add commands)."""
    _EXTRA.append(register)
    return register


def main(argv: list[str] | None = None) -> int:
    from . import cli_more  # noqa: F401  registers the remaining commands

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return args.func(args)
    except L10nError as exc:
        print(f"l10n: error: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("l10n: interrupted; everything saved so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so without a traceback that could hold secrets
        if os.environ.get("L10N_DEBUG"):
            import traceback

            print(redact(traceback.format_exc()), file=sys.stderr)
        print(f"l10n: internal error: {type(exc).__name__}: {redact(str(exc))} "
              "(set L10N_DEBUG=1 for details)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
