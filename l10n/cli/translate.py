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
    """Renders what the one sync driver (engines.run_sync) reports."""
    import sys

    from ..engines import render_report, run_sync

    project = project_of(args)
    show = _progress_printer(sys.stderr.isatty() and not args.json)

    def progress(aid: str, n: int, total: int) -> None:
        bar = "#" * int(20 * n / max(total, 1))
        show(f"sync [{bar:<20}] {n}/{total} {aid}")

    try:
        report = run_sync(project, langs=args.lang, use_mt=not args.no_mt,
                          dry_run=args.dry_run, refresh=args.refresh,
                          progress=progress if show else None, detail=show)
    finally:
        if show:
            sys.stderr.write("\r\x1b[K")
    if args.json:
        print_json(report.as_json())
    else:
        sys.stdout.write(render_report(report))
        if report.error:
            print(f"l10n: error: {report.error}", file=sys.stderr)
    return 1 if report.error else 0


def _progress_printer(enabled: bool):
    if not enabled:
        return None
    import sys

    def show(msg: str) -> None:
        sys.stderr.write(f"\r\x1b[K{msg[:100]}")
        sys.stderr.flush()

    return show


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

        lines = "\n".join(f"  {cid:<16} {sev:<8} {desc}" for cid, (sev, desc) in CHECKS.items())
        return plain_help() + "\nchecks:\n" + lines + "\n"

    sp.format_help = format_help
    sp.add_argument("article", nargs="*", metavar="ARTICLE", help="only these articles")
    sp.add_argument("--lang", action="append", metavar="L")
    sp.add_argument("--json", action="store_true")


def cmd_check(args) -> int:
    from ..quality import check_project

    project = project_of(args)
    articles = [project.check_id(a) for a in args.article] or None
    for a in articles or []:
        project.article_path(a)
    found = check_project(project, args.lang, articles)
    errors = sum(1 for f in found if f.finding.severity == "error")
    if args.json:
        print_json({"findings": [f.as_json() for f in found]})
    else:
        for f in found:
            print(f"{f.article} [{f.lang}] {f.finding.severity} {f.finding.check}: "
                  f"{f.finding.message}\n    {f.msgid}")
        print(f"{len(found)} findings: {errors} errors, {len(found) - errors} warnings")
    return 1 if errors else 0
