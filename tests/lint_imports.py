"""Run import-linter (`lint-imports`) on the package as it installs.

The TUI's sources live in the repository's `tui/` folder and install as `l10n.tui`
(pyproject's package-dir), so the source tree has no `l10n/tui/` folder for grimp to
walk: an editable install finds `l10n.tui` through setuptools' import hook, which
grimp does not consult. This lays the two folders out as a wheel would (a copy of
`l10n/` with `tui/` inside as `l10n/tui/`, .py files only) in a temporary folder and
runs `lint-imports` there with the contracts of pyproject.toml.

    python -m tests.lint_imports          # exit 0 when every contract is kept
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def stage(dest: Path) -> Path:
    """The installed layout of the package under `dest`; returns dest."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.tcss")
    shutil.copytree(REPO / "l10n", dest / "l10n", ignore=ignore)
    shutil.copytree(REPO / "tui", dest / "l10n" / "tui", ignore=ignore)
    return dest


# Needs l10n.tui in the graph, so only the installed layout can check it (pyproject.toml's
# contracts hold in the source tree too; this one is added here).
TUI_CONTRACT = """
[[tool.importlinter.contracts]]
id = "tui-only-from-cli"
name = "Only the CLI opens the TUI (l10n.tui is imported by l10n.cli alone)"
type = "protected"
protected_modules = ["l10n.tui"]
allowed_importers = ["l10n.cli"]
"""


def lint_imports(*args: str, change=None) -> subprocess.CompletedProcess:
    """`lint-imports` on a staged copy; `change(root)` may edit the copy first (the tests
    plant forbidden imports that way to see the contracts break)."""
    with tempfile.TemporaryDirectory(prefix="l10n-layers-") as tmp:
        root = stage(Path(tmp))
        if change is not None:
            change(root / "l10n")
        config = root / "importlinter.toml"
        config.write_text((REPO / "pyproject.toml").read_text("utf-8") + TUI_CONTRACT, "utf-8")
        env = dict(os.environ, PYTHONPATH=str(root), COLUMNS="200", NO_COLOR="1")
        code = ("import sys; from importlinter.cli import lint_imports_command; "
                "sys.argv = ['lint-imports'] + sys.argv[1:]; lint_imports_command()")
        return subprocess.run(
            [sys.executable, "-c", code, "--config", str(config), "--no-cache", *args],
            cwd=root, env=env, capture_output=True, text=True, timeout=300)


def main() -> int:
    r = lint_imports(*sys.argv[1:])
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
