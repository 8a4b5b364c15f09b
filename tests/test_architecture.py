"""The shape of the code: the core never imports Textual."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "l10n"


def test_no_module_of_the_core_imports_textual_or_the_tui():
    offenders = []
    for f in sorted(CORE.rglob("*.py")):
        tree = ast.parse(f.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for n in names:
                if n.split(".")[0] in ("textual", "tui", "rich"):
                    if not (f.name == "cli_more.py" and n.split(".")[0] == "tui"):
                        offenders.append(f"{f.name}: {n}")
    assert offenders == []


def test_importing_every_core_module_loads_no_textual():
    mods = [f"l10n.{p.stem}" for p in CORE.glob("*.py") if p.stem not in ("__main__",)]
    code = ("import sys, importlib\n"
            f"for m in {mods!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=CORE.parent)
    assert r.returncode == 0, r.stdout + r.stderr
