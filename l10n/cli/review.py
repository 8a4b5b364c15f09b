"""`l10n approve`, `reject` and `resolve`: a reviewer's decisions on entries.

An entry is named by `--msgid TEXT` (the exact Japanese source, or the start of exactly
one: `--msgid "今回の訪問は、…"`) or by `--entry N`, its number: the 1-based position
among the catalog's active entries in document order, as `l10n status ARTICLE --lang L`
and the TUI's `#` column show it.
"""
from __future__ import annotations

import sys

from ..errors import UsageError
from .common import article_id, lang_option, plural, print_findings, project_of, say, short, warn

ARTICLE_HELP = "article id, e.g. 2026-02/oita-bay-area"
MSGID_HELP = ("the entry's Japanese source: the whole text, or the start of exactly one "
              "(a trailing … is allowed)")
ENTRY_HELP = "the entry's number, as `l10n status ARTICLE --lang L` and the TUI show it"


def args_approve(sp) -> None:
    sp.add_argument("article", metavar="ARTICLE", help=ARTICLE_HELP)
    lang_option(sp, required=True)
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--all", action="store_true", help="every translated or draft entry")
    g.add_argument("--msgid", action="append", metavar="TEXT", help=MSGID_HELP + " (repeatable)")
    g.add_argument("--entry", action="append", type=int, metavar="N", help=ENTRY_HELP + " (repeatable)")
    sp.add_argument("--as", dest="as_name", metavar="NAME",
                    help="reviewer name (default: L10N_USER, then git config user.name)")
    sp.add_argument("--override", metavar="REASON",
                    help="approve despite error findings; the reason is recorded")


def args_reject(sp) -> None:
    sp.add_argument("article", metavar="ARTICLE", help=ARTICLE_HELP)
    lang_option(sp, required=True)
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--msgid", metavar="TEXT", help=MSGID_HELP)
    g.add_argument("--entry", type=int, metavar="N", help=ENTRY_HELP)
    sp.add_argument("--msgctxt", metavar="ROLE",
                    help="the entry's role (title, body, caption...) when one text has several")
    sp.add_argument("--note", required=True, metavar="TEXT",
                    help="what the translator should fix (recorded in the catalog)")
    sp.add_argument("--as", dest="as_name", metavar="NAME",
                    help="reviewer name (default: L10N_USER, then git config user.name)")


def args_resolve(sp) -> None:
    sp.add_argument("article", metavar="ARTICLE", help=ARTICLE_HELP)
    lang_option(sp, required=True)
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--all", action="store_true", help="every conflict of the catalog, header included")
    g.add_argument("--msgid", action="append", metavar="TEXT", help=MSGID_HELP + " (repeatable)")
    g.add_argument("--entry", action="append", type=int, metavar="N", help=ENTRY_HELP + " (repeatable)")
    g.add_argument("--header", action="store_true", help="the header's conflicting fields")
    sp.add_argument("--msgctxt", metavar="ROLE", help="only the entry with this msgctxt")
    sp.add_argument("--take", required=True, choices=("ours", "theirs"),
                    help="the side whose version comes back exactly (approval included)")
    sp.add_argument("--as", dest="as_name", metavar="NAME", help="who resolves (reported)")


def _num(res, e) -> str:
    n = res.numbers.get(e.key)
    return f"#{n}" if n else "#?"


def cmd_approve(args) -> int:
    from ..actions import approve, identity

    project = project_of(args)
    aid = article_id(project, args.article)
    project.check_lang(args.lang)
    if args.override is not None and not args.override.strip():
        raise UsageError("--override needs a reason (it was empty)")
    reviewer = identity(args.as_name, str(project.root))
    res = approve(project, aid, args.lang, reviewer, msgids=args.msgid, numbers=args.entry,
                  all_entries=args.all, override=args.override)
    named = not args.all
    say(f"{aid} [{args.lang}]: {len(res.approved)} approved by {reviewer}; "
        f"{len(res.already)} already approved; {len(res.skipped)} untranslated skipped; "
        f"{len(res.refused)} refused")
    for e, findings in res.warnings:
        say(f"  warning on {_num(res, e)}: {short(e.msgid)}")
        print_findings(findings, out=sys.stdout)
    if named:  # the person named these entries: say why each one was not approved
        for e in res.already:
            say(f"  {_num(res, e)} already approved: {short(e.msgid)}")
        for e in res.skipped:
            warn(f"  skipped {_num(res, e)} (untranslated: nothing to approve): {short(e.msgid)}")
    elif res.skipped:
        nums = ", ".join(_num(res, e) for e in res.skipped[:20])
        more = ", …" if len(res.skipped) > 20 else ""
        say(f"  skipped {plural(len(res.skipped), 'untranslated entry')}: {nums}{more}")
    if res.refused:
        warn(f"{plural(len(res.refused), 'entry')} refused:")
        for r in res.refused:
            warn(f"  {_num(res, r.entry)} {short(r.entry.msgid)}")
            if r.reason:
                warn("    " + r.reason)
            print_findings(r.findings)
        if any(r.findings for r in res.refused):
            warn("Fix the translation, or approve anyway with --override REASON.")
        return 1
    if named and res.skipped:
        return 1  # something asked for was not approved
    if args.all and res.skipped and not res.approved and not res.already:
        warn("nothing to approve: every entry is untranslated")
        return 1
    return 0


def cmd_reject(args) -> int:
    from ..actions import identity, reject

    project = project_of(args)
    aid = article_id(project, args.article)
    project.check_lang(args.lang)
    reviewer = identity(args.as_name, str(project.root))
    e = reject(project, aid, args.lang, reviewer, args.note, msgid=args.msgid, number=args.entry,
               msgctxt=args.msgctxt)
    say(f"{aid} [{args.lang}]: sent back to draft: {short(e.msgid)}")
    return 0


def cmd_resolve(args) -> int:
    from ..actions import given_name, resolve
    from ..gitmerge import EntryConflict

    project = project_of(args)
    aid = article_id(project, args.article)
    project.check_lang(args.lang)
    name = given_name(args.as_name)
    who = f" by {name}" if name else ""
    res = resolve(project, aid, args.lang, args.take, msgids=args.msgid, msgctxt=args.msgctxt,
                  numbers=args.entry, all_entries=args.all, header=args.header)
    fields = f"; header fields: {', '.join(res.header)}" if res.header else ""
    say(f"{aid} [{args.lang}]: {plural(len(res.resolved), 'conflict')} resolved{who}, "
        f"taking {args.take}{fields}")
    for key, e in res.resolved:
        say(f"  {short(key[1])}\n    -> {short(EntryConflict.describe(e), 100)}")
    path = project.rel(project.catalog_path(args.lang, aid))
    if res.remaining:
        say(f"{plural(res.remaining, 'conflict')} {'remains' if res.remaining == 1 else 'remain'} "
            f"in {path}")
    elif res.resolved or res.header:
        say(f"no conflicts left; `git add {path}` to mark it resolved")
    return 0
