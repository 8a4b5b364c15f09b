"""`l10n init`, `sync`, `status` and `check`: from articles to catalogs, and how far they are."""
from __future__ import annotations

from .common import (article_ids, lang_option, plural, print_json, project_of, said, say, short,
                     user_path)


def args_init(sp) -> None:
    sp.add_argument("dir", metavar="DIR",
                    help="the new project's folder (created if missing; relative to the folder "
                         "you are in)")


def cmd_init(args) -> int:
    from ..init import init_project

    root = user_path(args.dir)
    res = init_project(root)
    say(f"Initialised an l10n project in {root}")
    for p in res.created:
        say(f"  created {p}")
    for p in res.kept:
        say(f"  kept {p} (it exists; not overwritten)")
    if res.in_repo and not res.git:
        say(f"{root} is inside a git repository: to merge catalogs entry by entry, run "
            f"`l10n -C {root} merge-driver --install`.")
    elif not res.git:
        say("Not a git repository: to merge catalogs entry by entry, run `git init` in "
            f"{root}, then `l10n -C {root} merge-driver --install`.")
    from ..init import REVIEWERS_HELP

    say(REVIEWERS_HELP)
    return 0


def args_sync(sp) -> None:
    sp.add_argument("--no-mt", action="store_true", help="no machine translation")
    sp.add_argument("--dry-run", action="store_true",
                    help="write nothing; report what would be sent to DeepL, per language")
    lang_option(sp, repeat=True)
    sp.add_argument("--json", action="store_true", help="machine-readable report")
    sp.add_argument("--refresh", action="store_true",
                    help="ask DeepL again even for texts it already translated")
    sp.add_argument("--max-characters", type=_positive, metavar="N",
                    help="stop before DeepL would bill more than N characters in this sync "
                         "(default: deepl.max_characters_per_sync in l10n.yaml)")


def _positive(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of characters, found {text!r}")
    return n


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
                          progress=progress if show else None, detail=show,
                          max_characters=args.max_characters)
    finally:
        if show:
            sys.stderr.write("\r\x1b[K")
    if args.json:
        print_json(report.as_json())
    else:
        say(render_report(report).rstrip("\n"))
        if report.error:
            say(f"l10n: error: {report.error}", file=sys.stderr)
    if not args.dry_run:
        _record_noop(project, report)
    return 1 if report.error else 0


def _record_noop(project, report) -> None:
    """Write what the next `sync --no-mt` prints if nothing changes, with every fact
    that rests on (sync_noop.py): that sync is then answered without loading the rest."""
    from ..engines import noop_report, render_report
    from ..sync_noop import certify

    noop = noop_report(report)
    certify(project, report.noop_basis if noop is not None else None,
            said(render_report(noop).rstrip("\n")) if noop is not None else "")


def _progress_printer(enabled: bool):
    if not enabled:
        return None
    import sys

    def show(msg: str) -> None:
        sys.stderr.write(f"\r\x1b[K{msg[:100]}")
        sys.stderr.flush()

    return show


def args_status(sp) -> None:
    sp.add_argument("article", nargs="*", metavar="ARTICLE",
                    help="only these articles (ids like 2026-02/oita-bay-area)")
    lang_option(sp, repeat=True)
    sp.add_argument("--json", action="store_true", help="machine-readable counts")


def cmd_status(args) -> int:
    from ..status import status

    project = project_of(args)
    articles = article_ids(project, args.article)
    data = status(project, args.lang, articles)
    if args.json:
        print_json(data)
        return 0
    _status_table(data)
    if articles and len(articles) == 1 and args.lang and len(set(args.lang)) == 1:
        _entry_list(project, articles[0], args.lang[0])
    return 0


def _entry_list(project, aid: str, lang: str) -> None:
    """The entries of one catalog with their numbers (what --entry N names)."""
    from ..review import state
    from ..workspace import read_catalog

    cat = read_catalog(project, lang, aid)
    if cat is None:
        return
    say(f"\n{aid} [{lang}]: {plural(len(cat.active()), 'entry')} (# is what --entry N names)")
    for i, e in enumerate(cat.active(), 1):
        say(f"{i:>4}  {state(e):<12} {e.msgctxt or '':<8} {short(e.msgid, 40)}"
            + (f"  →  {short(e.msgstr, 40)}" if e.msgstr else ""))


def _status_table(data) -> None:
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
        say(f"{a['id']:<{w}}  {cells(a['languages'])}")
    say(f"{'total':<{w}}  {cells(data['total'])}")
    for lang in langs:
        t = data["total"][lang]
        say(f"{lang}: {t['approved']}/{t['entries']} approved; approved machine drafts: "
            f"{t['approved_unedited']} unedited, {t['approved_post_edited']} post-edited")
        if t["conflicts"]:
            say(f"{lang}: {plural(t['conflicts'], 'merge conflict')} to resolve (l10n resolve)")


def args_check(sp) -> None:
    plain_help = sp.format_help

    def format_help() -> str:  # the list of checks, loaded only when help is asked for
        from ..checks import CHECKS

        lines = "\n".join(f"  {cid:<20} {sev:<8} {desc}" for cid, (sev, desc) in CHECKS.items())
        return plain_help() + "\nchecks:\n" + lines + "\n"

    sp.format_help = format_help
    sp.add_argument("article", nargs="*", metavar="ARTICLE",
                    help="only these articles: ids, or their files (content/..., locales/...)")
    lang_option(sp, repeat=True)
    sp.add_argument("--json", action="store_true", help="machine-readable findings")
    sp.add_argument("--changed", metavar="REF",
                    help="only articles whose article or catalogs changed since the git revision REF (for CI)")


def cmd_check(args) -> int:
    import sys

    from ..quality import Checker, changed_articles
    from .check_output import render_json, render_plain

    project = project_of(args)
    articles = article_ids(project, args.article)
    if args.changed:
        changed = changed_articles(project, args.changed)
        articles = [a for a in changed if articles is None or a in articles]
    checker = Checker(project, args.lang, articles)
    if args.json:
        render_json(checker, sys.stdout, {"changed_since": args.changed} if args.changed else None)
    else:
        render_plain(checker, sys.stdout)
    return 1 if checker.totals.errors else 0
