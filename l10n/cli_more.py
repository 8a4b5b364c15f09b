"""Subcommands beyond the core workflow, registered with `cli.command`."""
from __future__ import annotations

import sys
from pathlib import Path

from .cli import _print_json, _project, command


@command
def _check(add) -> None:
    import argparse

    sp = add("check", cmd_check, "quality findings; exit 1 if any has severity error",
             formatter_class=argparse.RawDescriptionHelpFormatter)
    plain_help = sp.format_help

    def format_help() -> str:  # the list of checks, loaded only when help is asked for
        from .checks import CHECKS

        lines = "\n".join(f"  {cid:<16} {sev:<8} {desc}" for cid, (sev, desc) in CHECKS.items())
        return plain_help() + "\nchecks:\n" + lines + "\n"

    sp.format_help = format_help
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


# ---------------------------------------------------------------------------- git merges
@command
def _merge_driver(add) -> None:
    import argparse

    sp = add("merge-driver", cmd_merge_driver,
             "the git merge driver for PO catalogs: merges entry by entry",
             formatter_class=argparse.RawDescriptionHelpFormatter, epilog=(
                 "Git runs `l10n merge-driver %O %A %B %P` for every *.po file it merges\n"
                 "(.gitattributes: `*.po merge=l10n-po`). Run `l10n merge-driver --install`\n"
                 "once per clone: it writes .gitattributes and sets merge.l10n-po.driver in\n"
                 "the repository's git config to this Python (absolute path) running l10n,\n"
                 "so the driver works even where `l10n` is not on PATH.\n\n"
                 "Entries changed on one side are taken; an entry changed differently on\n"
                 "both sides stays in the file as a conflict (fuzzy, both sides recorded in\n"
                 "`# l10n: conflict` comments), exit 1, and git reports the conflict.\n"
                 "`l10n status` counts them; `l10n resolve` or the TUI picks a side.\n"
                 "A version that does not parse: exit 2, the file is left as ours."))
    sp.add_argument("files", nargs="*", metavar="FILE",
                    help="%%O %%A %%B [%%P]: the common ancestor, ours (the result is written "
                         "there), theirs, and the file's path in the repository")
    sp.add_argument("--install", action="store_true",
                    help="set up the driver in this project's git repository")


def cmd_merge_driver(args) -> int:
    from .errors import UsageError

    if args.install:
        from .gitsetup import configure_git, driver_command

        if args.files:
            raise UsageError("--install takes no files")
        project = _project(args)
        changed = configure_git(project.root, any_repo=True)
        if not any(c.startswith(".git/") for c in changed):
            raise UsageError(f"{project.root} is not inside a git repository (git init first)")
        print(f"merge driver for *.po set up in {project.root}:")
        print("  .gitattributes: *.po merge=l10n-po")
        print(f"  git config merge.l10n-po.driver: {driver_command()}")
        return 0
    if len(args.files) not in (3, 4):
        raise UsageError("git runs `l10n merge-driver %O %A %B %P`; "
                         "to set it up, run `l10n merge-driver --install`")
    from .gitmerge import merge_files

    base, ours, theirs = (Path(f) for f in args.files[:3])
    name = args.files[3] if len(args.files) == 4 else str(ours)
    return merge_files(base, ours, theirs, name)


@command
def _resolve(add) -> None:
    sp = add("resolve", cmd_resolve,
             "settle merge conflicts in a catalog by taking one side")
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


def cmd_resolve(args) -> int:
    from .actions import resolve
    from .errors import UsageError
    from .gitmerge import EntryConflict

    project = _project(args)
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


# ---------------------------------------------------------------------------- build
@command
def _build(add) -> None:
    sp = add("build", cmd_build, "publish the complete, approved articles: Markdown, HTML "
             "and (publishing.mo) .mo files per language")
    sp.add_argument("--out", metavar="DIR", help="output folder (default: publishing.out, build/)")
    sp.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
    sp.add_argument("--partial", action="store_true",
                    help="exit 0 even if some articles are incomplete (they are skipped)")
    sp.add_argument("--json", action="store_true", help="machine-readable report")
    sp.add_argument("--audited", action="store_true",
                    help="only articles whose every approval `l10n audit` proves "
                         "(always so with publishing.require_audit)")


def cmd_build(args) -> int:
    from .publishing import build

    project = _project(args)
    out = None
    if args.out:
        out = Path(args.out)
        if args.C and not out.is_absolute():
            out = Path(args.C) / out
    report = build(project, out, args.lang, audited=args.audited)
    code = 1 if report.skipped and not args.partial else 0
    if args.json:
        _print_json(dict(report.as_json(), out=project.rel(report.out)))
        return code
    for job in report.built:
        print(f"built {job.aid} [{job.lang}]")
    for job in report.skipped:
        print(f"not built: {job.message()}", file=sys.stderr if code else sys.stdout)
    for rel in report.removed:
        print(f"removed {rel} (no longer complete)")
    print(f"{len(report.built)} built, {len(report.skipped)} not built; "
          f"{len(report.written)} files written, {len(report.unchanged)} unchanged, "
          f"{len(report.removed)} removed, in {project.rel(report.out)}")
    if code:
        print("l10n: some articles are incomplete; approve them, or build the rest with "
              "--partial", file=sys.stderr)
    return code


@command
def _tui(add) -> None:
    sp = add("tui", cmd_tui, "the terminal UI: post-edit and review translations")
    sp.add_argument("article", nargs="?", metavar="ARTICLE", help="open this article at once")
    sp.add_argument("--lang", metavar="L", help="start in this language")
    sp.add_argument("--as", dest="as_name", metavar="NAME",
                    help="your name, recorded with approvals and translations")


def cmd_tui(args) -> int:
    from tui.app import run  # Textual is imported only when the TUI runs

    return run(Path(args.C) if args.C else None, user=args.as_name, lang=args.lang,
               article=args.article)


# ---------------------------------------------------------------------------- audit
# One self-contained block: the subcommand's registration and its command.
@command
def _audit(add) -> None:
    import argparse

    sp = add("audit", cmd_audit, "prove every approval through the signed git commit "
             "that introduced it", formatter_class=argparse.RawDescriptionHelpFormatter,
             epilog=(
                 "For every approval line, git blame finds the commit that introduced it;\n"
                 "the approval is proven when that commit has a good SSH signature from a\n"
                 "key whose principal in the reviewers file (review.reviewers, git's\n"
                 "allowed-signers format) is the reviewer the line names. Otherwise it is\n"
                 "uncommitted, unsigned, unknown-key, bad-signature or wrong-principal;\n"
                 "with review.four_eyes, four-eyes when the same signer also last changed\n"
                 "the translation. Exit 0 when every approval checked is proven, 1\n"
                 "otherwise, 2 on bad usage or when no reviewers file is configured."))
    sp.add_argument("article", nargs="*", metavar="ARTICLE", help="only these articles")
    sp.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
    sp.add_argument("--json", action="store_true", help="machine-readable report")


def cmd_audit(args) -> int:
    from .audit import PROVEN, audit

    project = _project(args)
    report = audit(project, args.article or None, args.lang)
    code = 0 if report.ok else 1
    if args.json:
        _print_json(report.as_json())
        return code
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for i in report.items:
        if i.status != PROVEN:
            print(f"{i.article} [{i.lang}] {i.status}: {i.message}\n"
                  f"    approved by {i.reviewer}: {i.msgid[:60]}")
    t = report.trust
    for p in t.problems:
        print(f"reviewers file: {p}")
    if t.root_commit:
        print(f"reviewers file {report.reviewers}: first signed by {t.root_signer or '?'} "
              f"in commit {t.root_commit[:12]} (the root of trust)")
    c = report.counts()
    rest = ", ".join(f"{n} {k}" for k, n in c.items() if n and k != PROVEN)
    print(f"{len(report.items)} approvals: {c[PROVEN]} proven" + (f", {rest}" if rest else ""))
    return code
