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
    sp.add_argument("--json", action="store_true", help="machine-readable report")


def cmd_build(args) -> int:
    from ..publishing import build

    project = project_of(args)
    out = None
    if args.out:
        out = Path(args.out)
        if args.C and not out.is_absolute():
            out = Path(args.C) / out
    report = build(project, out, args.lang)
    code = 1 if report.skipped and not args.partial else 0
    if args.json:
        print_json(dict(report.as_json(), out=project.rel(report.out)))
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
