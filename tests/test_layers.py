"""The shape of the code, checked by import-linter with the contracts in pyproject.toml.

The contracts: only the TUI imports Textual or Rich; only the CLI imports the TUI; the
layers of the data flow (every module of l10n listed; a module imports only from its
own layer and the ones below); no import cycle between the modules of any package.
Each attack plants one forbidden import in a copy of the package and expects the
contract that forbids it to break.
"""
from __future__ import annotations

import pytest

from tests.lint_imports import lint_imports


def test_every_contract_is_kept():
    r = lint_imports()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout and "4 kept" in r.stdout, r.stdout


def test_lint_imports_in_the_source_tree_keeps_every_contract():
    """What a developer runs by hand (`lint-imports` at the repository's root) passes too:
    the contracts of pyproject.toml hold whether or not l10n.tui is in the graph."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.lint_imports import REPO

    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter's lint-imports is not installed"
    r = subprocess.run([exe, "--no-cache"], cwd=REPO, capture_output=True, text=True,
                       timeout=300, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout, r.stdout


def _append(rel: str, line: str):
    def change(pkg):
        path = pkg / rel
        path.write_text(path.read_text("utf-8") + "\n" + line + "\n", "utf-8")
    return change


def _new(rel: str, text: str):
    def change(pkg):
        (pkg / rel).write_text(text, "utf-8")
    return change


@pytest.mark.parametrize("change, contract", [
    # the core loads Textual (even lazily, inside a function)
    (_append("catalog.py", "def _f():\n    import textual.app"), "Only the TUI imports Textual"),
    (_append("status.py", "import rich"), "Only the TUI imports Textual"),
    # the CLI may open the TUI, but not import Textual itself
    (_append("cli/common.py", "import textual"), "Only the TUI imports Textual"),
    # something other than the CLI opens the TUI
    (_append("session.py", "def _f():\n    from .tui import app"), "Only the CLI opens the TUI"),
    # a lower layer reaches up: the model imports a workflow, the project imports the CLI
    (_append("review.py", "def _f():\n    from . import sync"), "Layers follow the data flow"),
    (_append("errors.py", "def _f():\n    from . import cli"), "Layers follow the data flow"),
    # a module nobody placed in a layer
    (_new("stray.py", "X = 1\n"), "Layers follow the data flow"),
    # a cycle between two modules of one layer
    (_append("catalog.py", "def _f():\n    from . import review"), "No import cycles"),
    # a cycle inside the CLI package
    (_append("cli/common.py", "def _f():\n    from . import review"), "No import cycles"),
], ids=["core-textual", "core-rich", "cli-textual", "tui-from-session", "model-imports-workflow",
        "errors-imports-cli", "module-outside-layers", "cycle-in-a-layer", "cycle-in-cli"])
def test_a_planted_import_breaks_its_contract(change, contract):
    r = lint_imports(change=change)
    assert r.returncode == 1, r.stdout + r.stderr
    broken = [ln for ln in r.stdout.splitlines() if " BROKEN" in ln]
    assert any(ln.startswith(contract) for ln in broken), r.stdout
