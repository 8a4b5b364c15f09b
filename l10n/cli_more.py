"""Subcommands beyond the core workflow, registered with `cli.command`."""
from __future__ import annotations

import sys
from pathlib import Path

from .cli import _print_json, _project, command


@command
def _check(add) -> None:
    from .checks import CHECKS

    lines = "\n".join(f"  {cid:<16} {sev:<8} {desc}" for cid, (sev, desc) in CHECKS.items())
    import argparse

    sp = add("check", cmd_check, "quality findings; exit 1 if any has severity error",
             epilog="checks:\n" + lines, formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("article", nargs="*", metavar="ARTICLE", help="only these articles")
    sp.add_argument("--lang", action="append", metavar="L")
    sp.add_argument("--json", action="store_true")


def cmd_check(args) -> int:
    from .quality import check_project

    project = _project(args)
    articles = [project.check_id(a) for a in args.article] or None
    for a in articles or []:
        project.article_path(a)
    found = check_project(project, args.lang, articles)
    errors = sum(1 for f in found if f.finding.severity == "error")
    if args.json:
        _print_json({"findings": [f.as_json() for f in found]})
    else:
        for f in found:
            print(f"{f.article} [{f.lang}] {f.finding.severity} {f.finding.check}: "
                  f"{f.finding.message}\n    {f.msgid}")
        print(f"{len(found)} findings: {errors} errors, {len(found) - errors} warnings")
    return 1 if errors else 0


@command
def _tm(add) -> None:
    sp = add("tm", lambda a: sp.print_help() or 2, "translation memory in TMX 1.4")
    tm_sub = sp.add_subparsers(dest="tm_command", metavar="ACTION")
    ex = tm_sub.add_parser("export", help="write every pair of the memory to FILE.tmx")
    ex.add_argument("file", metavar="FILE.tmx")
    ex.set_defaults(func=cmd_tm_export)
    im = tm_sub.add_parser("import", help="add the pairs of FILE.tmx to the project memory")
    im.add_argument("file", metavar="FILE.tmx")
    im.set_defaults(func=cmd_tm_import)


def cmd_tm_export(args) -> int:
    from .engines import ProjectMemory
    from .memory import export_tmx

    project = _project(args)
    tm = ProjectMemory(project).load()
    n = export_tmx(tm, Path(args.file))
    print(f"wrote {n} translation units to {args.file}")
    return 0


def cmd_tm_import(args) -> int:
    from .engines import ProjectMemory
    from .errors import InputError
    from .memory import TranslationMemory, export_tmx, import_tmx

    project = _project(args)
    src = Path(args.file)
    if not src.is_file():
        raise InputError("no such file", src)
    incoming = TranslationMemory()
    n = import_tmx(src, incoming)
    store = ProjectMemory(project).tmx_path()
    kept = TranslationMemory()
    if store.exists():
        import_tmx(store, kept)
    langs = set(project.languages)
    added = 0
    for lang, s, t, origin in incoming.pairs():
        if lang in langs:
            kept.add(lang, s, t, origin)
            added += 1
    export_tmx(kept, store)
    print(f"read {n} pairs from {args.file}; {added} in this project's languages kept in "
          f"{project.rel(store)}")
    return 0


__all__ = ["_print_json", "sys"]
