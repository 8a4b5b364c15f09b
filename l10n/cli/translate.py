"""`l10n init`, `sync`, `status` and `check`: from articles to catalogs, and how far they are."""
from __future__ import annotations

from pathlib import Path

from .common import print_json, project_of


def args_init(sp) -> None:
    sp.add_argument("dir", metavar="DIR")


def cmd_init(args) -> int:
    from ..init import init_project

    root = Path(args.dir)
    if args.C and not root.is_absolute():
        root = Path(args.C) / root
    created = init_project(root)
    print(f"Initialised an l10n project in {root}")
    for p in created:
        print(f"  created {p}")
    return 0


def args_sync(sp) -> None:
    sp.add_argument("--no-mt", action="store_true", help="no machine translation")
    sp.add_argument("--dry-run", action="store_true",
                    help="write nothing; report what would be sent to DeepL, per language")
    sp.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
    sp.add_argument("--json", action="store_true", help="machine-readable report")
    sp.add_argument("--refresh", action="store_true",
                    help="ask DeepL again even for texts it already translated")


def cmd_sync(args) -> int:
    from ..engines import run_sync

    project = project_of(args)
    return run_sync(project, langs=args.lang, no_mt=args.no_mt, dry_run=args.dry_run,
                    as_json=args.json, refresh=args.refresh)


def args_status(sp) -> None:
    sp.add_argument("article", nargs="*", metavar="ARTICLE", help="only these articles")
    sp.add_argument("--lang", action="append", metavar="L")
    sp.add_argument("--json", action="store_true")


def cmd_status(args) -> int:
    from ..status import status

    project = project_of(args)
    articles = [project.check_id(a) for a in args.article] if args.article else None
    if articles:
        for a in articles:
            project.article_path(a)
    data = status(project, args.lang, articles)
    if args.json:
        print_json(data)
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


def args_check(sp) -> None:
    plain_help = sp.format_help

    def format_help() -> str:  # the list of checks, loaded only when help is asked for
        from ..checks import CHECKS

        lines = "\n".join(f"  {cid:<20} {sev:<8} {desc}" for cid, (sev, desc) in CHECKS.items())
        return plain_help() + "\nchecks:\n" + lines + "\n"

    sp.format_help = format_help
    sp.add_argument("article", nargs="*", metavar="ARTICLE", help="only these articles")
    sp.add_argument("--lang", action="append", metavar="L")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--changed", metavar="REF",
                    help="only articles whose article or catalogs changed since the git revision REF (for CI)")


def cmd_check(args) -> int:
    import sys

    from ..quality import Checker, changed_articles
    from .check_output import render_json, render_plain

    project = project_of(args)
    articles = [project.check_id(a) for a in args.article] or None
    for a in articles or []:
        project.article_path(a)
    if args.changed:
        changed = changed_articles(project, args.changed)
        articles = [a for a in changed if articles is None or a in articles]
    checker = Checker(project, args.lang, articles)
    if args.json:
        render_json(checker, sys.stdout, {"changed_since": args.changed} if args.changed else None)
    else:
        render_plain(checker, sys.stdout)
    return 1 if checker.totals.errors else 0
