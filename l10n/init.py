"""`l10n init DIR`: a new, empty project."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_NAME, DEFAULT_CONFIG
from .errors import UsageError
from .gitsetup import configure_git, in_git_repo
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


REVIEWERS_HELP = """\
To prove approvals (l10n audit, l10n build --audited), list the reviewers' SSH signing
keys in a file in git's allowed-signers format, one line per reviewer, the principal
being the name their approvals carry (git config user.name), and name it in l10n.yaml:
  echo "\\"Aiko Tanaka\\" namespaces=\\"git\\" $(cat ~/.ssh/id_ed25519.pub)" >> .l10n-reviewers
  review: {reviewers: .l10n-reviewers}            # in l10n.yaml
then commit it signed (git commit -S). See README, "Proving approvals"."""


@dataclass
class InitResult:
    created: list[str] = field(default_factory=list)  # files written (and git settings)
    kept: list[str] = field(default_factory=list)  # files that existed: left as they were
    git: bool = False  # the merge driver is set up in a git repository
    in_repo: bool = False  # inside a git repository that starts above the project


def _enclosing_project(root: Path) -> Path | None:
    for d in (root, *root.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    return None


def init_project(root: Path) -> InitResult:
    """Create a project in `root`. Refuses to nest one inside another project (the inner
    one would hide the outer one's articles from every command run below it), and never
    overwrites a file that exists: an existing glossary or .gitignore is kept (the
    .gitignore gets the lines l10n needs appended)."""
    root = root.resolve()
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a directory")
    outer = _enclosing_project(root)
    if outer == root:
        raise UsageError(f"{root / CONFIG_NAME} already exists; this is a project already")
    if outer is not None:
        raise UsageError(f"{root} is inside the l10n project {outer} ({outer / CONFIG_NAME}); "
                         "a project cannot be nested in another: choose a folder outside it")
    root.mkdir(parents=True, exist_ok=True)
    res = InitResult()
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
                res.kept.append(rel)
                continue
            text = existing.rstrip("\n") + "\n" + "\n".join(missing) + "\n"
            atomic_write(p, text.encode("utf-8"))
        elif rel == "content/.gitkeep" and p.parent.exists():
            continue  # a content folder is there already: nothing to keep
        elif not create_new(p, text.encode("utf-8")):
            res.kept.append(rel)
            continue  # a file that exists is never overwritten (e.g. a glossary)
        res.created.append(rel)
    changed = configure_git(root)
    res.created += changed
    res.git = any(c.startswith(".git/") for c in changed)
    res.in_repo = res.git or in_git_repo(root)
    return res
