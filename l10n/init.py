"""`l10n init DIR`: a new, empty project."""
from __future__ import annotations

from pathlib import Path

from .config import CONFIG_NAME, DEFAULT_CONFIG
from .errors import UsageError
from .gitsetup import configure_git
from .storage import atomic_write, create_new

GLOSSARY = """\
# The project glossary: one item per term.
#
# - ja: 大分県
#   en: Oita Prefecture
#   ko: 오이타현
#   es: prefectura de Oita
#   note: optional
[]
"""


def init_project(root: Path) -> list[str]:
    root = root.resolve()
    if (root / CONFIG_NAME).exists():
        raise UsageError(f"{root / CONFIG_NAME} already exists; this is a project already")
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a directory")
    root.mkdir(parents=True, exist_ok=True)
    created = []
    files = {
        CONFIG_NAME: DEFAULT_CONFIG.format(name=root.name or "newsletter"),
        "locales/glossary.yaml": GLOSSARY,
        "content/.gitkeep": "",
        ".gitignore": ".l10n/\nbuild/\n",
    }
    for rel, text in files.items():
        p = root / rel
        if rel == ".gitignore" and p.exists():  # the one file init adds to (lines, never removes)
            existing = p.read_text("utf-8")
            missing = [ln for ln in text.splitlines() if ln not in existing.splitlines()]
            if not missing:
                continue
            text = existing.rstrip("\n") + "\n" + "\n".join(missing) + "\n"
            atomic_write(p, text.encode("utf-8"))
        elif rel == "content/.gitkeep" and p.parent.exists():
            continue  # a content folder is there already: nothing to keep
        elif not create_new(p, text.encode("utf-8")):
            continue  # a file that exists is never overwritten (e.g. a glossary)
        created.append(rel)
    created += configure_git(root)
    return created
