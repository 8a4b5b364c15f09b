"""`l10n approve`, `reject` and `resolve`: a reviewer's decisions on entries."""
from __future__ import annotations

import sys

from ..errors import UsageError
from .common import print_findings, project_of


def args_approve(sp) -> None:
    sp.add_argument("article", metavar="ARTICLE", help="article id, e.g. 2026-02/oita-bay-area")
    sp.add_argument("--lang", required=True, metavar="L")
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--all", action="store_true", help="every translated or draft entry")
    g.add_argument("--msgid", action="append", metavar="TEXT", help="the entry's Japanese source")
    sp.add_argument("--as", dest="as_name", metavar="NAME", help="reviewer name")
    sp.add_argument("--override", metavar="REASON",
                    help="approve despite error findings; the reason is recorded")


def args_reject(sp) -> None:
    sp.add_argument("article", metavar="ARTICLE")
    sp.add_argument("--lang", required=True, metavar="L")
    sp.add_argument("--msgid", required=True, metavar="TEXT")
    sp.add_argument("--note", required=True, metavar="TEXT")
    sp.add_argument("--as", dest="as_name", metavar="NAME")


def args_resolve(sp) -> None:
    sp.add_argument("article", metavar="ARTICLE")
    sp.add_argument("--lang", required=True, metavar="L")
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--all", action="store_true", help="every conflict of the catalog, header included")
    g.add_argument("--msgid", action="append", metavar="TEXT", help="the entry's Japanese source")
    sp.add_argument("--msgctxt", metavar="ROLE", help="only the entry with this msgctxt")
    sp.add_argument("--header", action="store_true", help="the header's conflicting fields")
    sp.add_argument("--take", required=True, choices=("ours", "theirs"),
                    help="the side whose version comes back exactly (approval included)")
    sp.add_argument("--as", dest="as_name", metavar="NAME", help="who resolves (reported)")


def cmd_approve(args) -> int:
    from ..actions import approve, identity

    project = project_of(args)
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
            print_findings(findings)
        if any(not isinstance(f, str) for _, fs in res.refused for f in fs):
            print("Fix the translation, or approve anyway with --override REASON.", file=sys.stderr)
        return 1
    return 0


def cmd_reject(args) -> int:
    from ..actions import identity, reject

    project = project_of(args)
    aid = project.check_id(args.article)
    project.article_path(aid)
    reviewer = identity(args.as_name, str(project.root))
    e = reject(project, aid, args.lang, reviewer, args.note, msgid=args.msgid)
    print(f"{aid} [{args.lang}]: sent back to draft: {e.msgid[:60]}")
    return 0


def cmd_resolve(args) -> int:
    from ..actions import resolve
    from ..gitmerge import EntryConflict

    project = project_of(args)
    aid = project.check_id(args.article)
    project.check_lang(args.lang)
    if not (args.all or args.msgid or args.header):
        raise UsageError("say which conflicts: --all, --msgid TEXT or --header")
    res = resolve(project, aid, args.lang, args.take, msgids=args.msgid, msgctxt=args.msgctxt,
                  all_entries=args.all, header=args.header)
    who = f" by {' '.join(args.as_name.split())}" if args.as_name else ""
    print(f"{aid} [{args.lang}]: {len(res.resolved)} conflicts resolved{who}, taking {args.take}"
          + (f"; header fields: {', '.join(res.header)}" if res.header else ""))
    for key, e in res.resolved:
        print(f"  {key[1][:60]}\n    -> {EntryConflict.describe(e)[:100]}")
    path = project.rel(project.catalog_path(args.lang, aid))
    if res.remaining:
        print(f"{res.remaining} conflicts remain in {path}")
    elif res.resolved or res.header:
        print(f"no conflicts left; `git add {path}` to mark it resolved")
    return 0
