"""`l10n build`: the published editions."""
from __future__ import annotations

import sys

from .common import lang_option, output_dir, plural, print_json, project_of, say


def args_build(sp) -> None:
    sp.add_argument("--out", metavar="DIR",
                    help="output folder, relative to the folder you are in; its parent must exist "
                         "(default: publishing.out in l10n.yaml, build/ in the project)")
    lang_option(sp, repeat=True)
    sp.add_argument("--partial", action="store_true",
                    help="exit 0 even if some articles are incomplete (they are skipped)")
    sp.add_argument("--json", action="store_true", help="machine-readable report")


def cmd_build(args) -> int:
    from ..publishing import build

    project = project_of(args)
    out = output_dir(args.out) if args.out else None
    report = build(project, out, args.lang)
    code = 1 if report.skipped and not args.partial else 0
    if args.json:
        print_json(dict(report.as_json(), out=project.rel(report.out)))
        return code
    for job in report.built:
        say(f"built {job.aid} [{job.lang}]")
    for job in report.skipped:
        say(f"not built: {job.message()}", file=sys.stderr if code else sys.stdout)
    for rel in report.removed:
        say(f"removed {rel} (no longer complete)")
    say(f"{len(report.built)} built, {len(report.skipped)} not built; "
        f"{plural(len(report.written), 'file')} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, in {project.rel(report.out)}")
    if code:
        say("l10n: some articles are incomplete; approve them, or build the rest with "
            "--partial", file=sys.stderr)
    return code
