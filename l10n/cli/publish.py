"""`l10n build`: the published editions."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import print_json, project_of


def args_build(sp) -> None:
    sp.add_argument("--out", metavar="DIR", help="output folder (default: publishing.out, build/)")
    sp.add_argument("--lang", action="append", metavar="L", help="only this language (repeatable)")
    sp.add_argument("--partial", action="store_true",
                    help="exit 0 even if some articles are incomplete (they are skipped)")
    sp.add_argument("--prune", action="store_true",
                    help="take down stale editions: pages published earlier whose article is "
                         "no longer complete (by default they are kept and reported as stale)")
    sp.add_argument("--json", action="store_true", help="machine-readable report")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def cmd_build(args) -> int:
    from ..publishing import build

    project = project_of(args)
    out = None
    if args.out:
        out = Path(args.out)
        if args.C and not out.is_absolute():
            out = Path(args.C) / out
    report = build(project, out, args.lang, prune=args.prune)
    code = 1 if report.skipped and not args.partial else 0
    if args.json:
        print_json(dict(report.as_json(), out=project.rel(report.out)))
        return code
    stream = sys.stderr if code else sys.stdout
    for job in report.built:
        print(f"built {job.aid} [{job.lang}]")
    for job in report.skipped:
        if job.stale:
            print(f"stale: {job.message()}; the last published edition is kept "
                  "(--prune takes it down)", file=stream)
            for e in job.blocking[:10]:
                print(f"  {e['msgctxt']}: {e['msgid'][:60]!r} ({e['state']})", file=stream)
            if len(job.blocking) > 10:
                print(f"  ... and {len(job.blocking) - 10} more", file=stream)
        else:
            print(f"not built: {job.message()}", file=stream)
    for rel in report.removed:
        print(f"removed {rel} (no longer published)")
    for rel in report.left:
        print(f"left {rel} (changed since the build wrote it; not removed)")
    stale = len(report.stale)
    print(f"{len(report.built)} built, {len(report.skipped) - stale} not built, {stale} stale; "
          f"{_plural(len(report.written), 'file', 'files')} written, "
          f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, "
          f"in {project.rel(report.out)}")
    if code:
        print("l10n: some articles are incomplete; approve them, or build the rest with "
              "--partial", file=sys.stderr)
    return code
