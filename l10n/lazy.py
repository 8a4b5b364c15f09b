"""`LazyModule`: a core module imported on first use.

The TUI's first frame needs none of the heavy core modules (catalog.py pulls in Babel),
so the modules it uses through this load after that frame, in the workers."""
from __future__ import annotations

import importlib


class LazyModule:
    def __init__(self, name: str, package: str = "l10n") -> None:
        self._name = name
        self._package = package
        self._mod = None

    def __getattr__(self, attr: str):
        if self._mod is None:
            self._mod = importlib.import_module(self._name, self._package)
        return getattr(self._mod, attr)
