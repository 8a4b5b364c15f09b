"""What `pip install l10n` (a regular, non-editable install) puts into site-packages."""
from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_subpackage_of_the_core_is_in_the_wheel():
    # `packages` listed l10n and l10n.tui only: a regular install had no l10n/cli/ and no
    # l10n/checks/, and its `l10n` console script died with ModuleNotFoundError
    # (editable installs map the whole folder, so only a real install showed it)
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
                 ["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(REPO).parts)
               for p in (REPO / "l10n").rglob("__init__.py") if "__pycache__" not in p.parts}
    assert on_disk <= listed, sorted(on_disk - listed)
    assert "l10n.tui" in listed
