"""What every command shares: the parser class, finding the project, printing."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import UsageError
from ..project import Project


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on bad usage: keep that, say it our way
        self.print_usage(sys.stderr)
        raise UsageError(message)


def project_of(args) -> Project:
    return Project.find(Path(args.C) if args.C else None)


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_findings(findings, out=None) -> None:
    out = out or sys.stderr
    for f in findings:
        if isinstance(f, str):
            print(f"    {f}", file=out)
        else:
            print(f"    [{f.severity}] {f.check}: {f.message}", file=out)
