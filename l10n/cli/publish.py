"""`l10n build` and `l10n audit`: the published editions, and the proof of their approvals."""
from __future__ import annotations

import sys

from .common import article_ids, lang_option, output_dir, plural, print_json, project_of, say


def args_build(sp) -> None:
    sp.add_argument("--out", metavar="DIR",
                    help="output folder, relative to the folder you are in; its parent must exist "
                         "(default: publishing.out in l10n.yaml, build/ in the project)")
    lang_option(sp, repeat=True)
    sp.add_argument("--partial", action="store_true",
                    help="exit 0 even if some articles are incomplete (they are skipped)")
    sp.add_argument("--prune", action="store_true",
                    help="take down stale editions: pages published earlier whose article is "
                         "no longer complete (by default they are kept and reported as stale)")
    sp.add_argument("--json", action="store_true", help="machine-readable report")
    sp.add_argument("--audited", action="store_true",
                    help="only articles whose every approval `l10n audit` proves "
                         "(always so with publishing.require_audit)")


def cmd_build(args) -> int:
    from ..publishing import build

    project = project_of(args)
    out = output_dir(args.out) if args.out else None
    report = build(project, out, args.lang, audited=args.audited, prune=args.prune)
    code = 1 if report.skipped and not args.partial else 0
    if args.json:
        print_json(dict(report.as_json(), out=project.rel(report.out)))
        return code
    stream = sys.stderr if code else sys.stdout
    for job in report.built:
        say(f"built {job.aid} [{job.lang}]")
    for job in report.skipped:
        if job.stale:
            say(f"stale: {job.message()}; the last published edition is kept "
                "(--prune takes it down)", file=stream)
            for e in job.blocking[:10]:
                say(f"  {e['msgctxt']}: {e['msgid'][:60]!r} ({e['state']})", file=stream)
            if len(job.blocking) > 10:
                say(f"  ... and {len(job.blocking) - 10} more", file=stream)
        else:
            say(f"not built: {job.message()}", file=stream)
    for rel in report.removed:
        say(f"removed {rel} (no longer published)")
    for rel in report.left:
        say(f"left {rel} (changed since the build wrote it; not removed)")
    stale = len(report.stale)
    say(f"{len(report.built)} built, {len(report.skipped) - stale} not built, {stale} stale; "
        f"{plural(len(report.written), 'file')} written, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, "
        f"in {project.rel(report.out)}")
    if code:
        say("l10n: some articles are incomplete; approve them, or build the rest with "
            "--partial", file=sys.stderr)
    return code


AUDIT_EPILOG = (
    "For every approval line, git blame finds the commit that introduced it;\n"
    "the approval is proven when that commit has a good SSH signature from a\n"
    "key whose principal in the reviewers file (review.reviewers, git's\n"
    "allowed-signers format) is the reviewer the line names. Otherwise it is\n"
    "uncommitted, unsigned, unknown-key, bad-signature or wrong-principal;\n"
    "with review.four_eyes, four-eyes when the same signer also last changed\n"
    "the translation. Exit 0 when every approval checked is proven, 1\n"
    "otherwise, 2 on bad usage or when no reviewers file is configured.")


def args_audit(sp) -> None:
    sp.add_argument("article", nargs="*", metavar="ARTICLE", help="only these articles")
    lang_option(sp, repeat=True)
    sp.add_argument("--json", action="store_true", help="machine-readable report")


def cmd_audit(args) -> int:
    from ..audit import PROVEN, audit

    project = project_of(args)
    report = audit(project, article_ids(project, args.article), args.lang)
    code = 0 if report.ok else 1
    if args.json:
        print_json(report.as_json())
        return code
    for w in report.warnings:
        say(f"warning: {w}", file=sys.stderr)
    for i in report.items:
        if i.status != PROVEN:
            say(f"{i.article} [{i.lang}] {i.status}: {i.message}\n"
                f"    approved by {i.reviewer}: {i.msgid[:60]}")
    t = report.trust
    for p in t.problems:
        say(f"reviewers file: {p}")
    if t.root_commit:
        say(f"reviewers file {report.reviewers}: first signed by {t.root_signer or '?'} "
            f"in commit {t.root_commit[:12]} (the root of trust)")
    c = report.counts()
    rest = ", ".join(f"{n} {k}" for k, n in c.items() if n and k != PROVEN)
    say(f"{plural(len(report.items), 'approval')}: {c[PROVEN]} proven" + (f", {rest}" if rest else ""))
    return code
