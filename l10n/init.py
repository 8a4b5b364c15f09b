"""`l10n init DIR`: a new, empty project."""
from __future__ import annotations

from pathlib import Path

from .config import CONFIG_NAME, DEFAULT_CONFIG
from .errors import UsageError
from .gitsetup import configure_git
from .storage import atomic_write

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


REVIEWERS_HELP = """\
To prove approvals (l10n audit, l10n build --audited), list the reviewers' SSH signing
keys in a file in git's allowed-signers format, one line per reviewer, the principal
being the name their approvals carry (git config user.name), and name it in l10n.yaml:
  echo "\\"Aiko Tanaka\\" namespaces=\\"git\\" $(cat ~/.ssh/id_ed25519.pub)" >> .l10n-reviewers
  review: {reviewers: .l10n-reviewers}            # in l10n.yaml
then commit it signed (git commit -S). See README, "Proving approvals"."""


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
        if rel == ".gitignore" and p.exists():
            existing = p.read_text("utf-8")
            missing = [ln for ln in text.splitlines() if ln not in existing.splitlines()]
            if not missing:
                continue
            text = existing.rstrip("\n") + "\n" + "\n".join(missing) + "\n"
        atomic_write(p, text.encode("utf-8"))
        created.append(rel)
    created += configure_git(root)
    return created
