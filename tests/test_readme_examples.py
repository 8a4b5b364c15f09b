"""Every command example in the README runs, exactly as written, with the exit code it
should have.

How examples are picked: every line that starts with `l10n ` inside a ```sh block of
README.md (a trailing `# comment` is part of the line; bash drops it). Other lines of
those blocks (`scripts/test`, `export DEEPL_AUTH_KEY=...`) are not l10n commands: the
test provides what they stand for (the key and server of tests/fake_deepl.py in
DEEPL_AUTH_KEY / DEEPL_SERVER_URL, a reviewer name in L10N_USER, HOME in a temporary
folder for `~/...`).

How they run: in README order, each with `bash -c LINE` (so quoting, `~` and `>` work as
a user's shell does them), in one copy of the sample newsletter with its committed
catalogs, made a git repository. Before the first `l10n tm import` the file it names is
made; before the first `l10n resolve` the Korean catalog of oita-bay-area gets real
merge conflicts (through `l10n merge-driver`) on entries 7 and 11, the ones the examples
name. Every example must exit 0, except those listed in EXIT with the code the README
promises for them.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, copy_sample

README = (REPO / "README.md").read_text("utf-8")
ART = "2026-02/oita-bay-area"

# Examples whose documented outcome is not 0.
EXIT = {
    # the sample has error findings in es (the README says: exit 1 on an error finding)
    "l10n check --lang es": 1,
    "l10n check 2026-02/nara-diplomats-tour --json": 1,
    # the examples before it changed catalogs since HEAD (sync, approve...): their articles
    # are checked, and the sample has error findings
    "l10n check --changed HEAD": 1,
    # the sync examples before it filled the untranslated summary with the fake DeepL's
    # draft, "[KO] <the Japanese source>": Japanese left in a translation is an error
    # finding, so approve --all approves the rest and refuses that one (exit 1, as the
    # README says)
    "l10n approve 2026-02/oita-bay-area --lang ko --all": 1,
    "l10n check --json > l10n-check.json  # exit 1 on an error finding: the job fails": 1,
    # not every article is approved: build says what is missing and exits 1 without --partial
    "l10n build --out build": 1,
    # the sample newsletter has no reviewers file (review.reviewers): nothing can be proven
    # there, and audit and build --audited say so with exit 2, as the README says; the
    # proving itself is tested with real keys and signed commits in tests/test_audit.py
    "l10n build --audited": 2,
    "l10n audit": 2,
    "l10n audit 2026-02/oita-bay-area --lang es --json": 2,
}


def examples() -> list[str]:
    out = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        out += [ln.strip() for ln in block.splitlines() if ln.strip().startswith("l10n ")]
    return out


def _tmx(path: Path) -> None:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="OmegaT" '
        'creationtoolversion="6" segtype="sentence" o-tmf="omt" adminlang="en" srclang="ja" '
        'datatype="plaintext"/><body><tu><tuv xml:lang="ja"><seg>外務省</seg></tuv>'
        '<tuv xml:lang="ko"><seg>외무성</seg></tuv></tu></body></tmx>\n', "utf-8")


def _conflicts(root: Path, env: dict) -> None:
    """Two reviewers changed entries 7 and 11 of the Korean catalog differently."""
    from l10n import catalog as po

    path = root / "locales/ko" / f"{ART}.po"
    base = path.read_bytes()
    sides = []
    for word in ("하나", "둘"):
        cat = po.parse(base, path)
        active = cat.active()
        for n in (7, 11):
            active[n - 1].msgstr = f"{active[n - 1].msgstr} ({word})"
        sides.append(po.serialize(cat))
    tmp = root.parent / "merge"
    tmp.mkdir()
    (tmp / "base.po").write_bytes(base)
    (tmp / "theirs.po").write_bytes(sides[1])
    path.write_bytes(sides[0])
    r = subprocess.run([sys.executable, "-m", "l10n", "merge-driver", str(tmp / "base.po"),
                        str(path), str(tmp / "theirs.po"), f"locales/ko/{ART}.po"],
                       cwd=root, env=env, capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr  # 1: conflicts left in the file


def test_readme_has_examples_for_the_review_commands():
    lines = examples()
    for name in ("init", "sync", "status", "check", "approve", "reject", "build", "tm",
                 "merge-driver", "resolve"):
        assert any(ln.startswith(f"l10n {name} ") for ln in lines), name
    assert set(EXIT) <= set(lines), set(EXIT) - set(lines)


def test_every_readme_example_runs_as_written(tmp_path, deepl_server):
    root = copy_sample(tmp_path / "news", with_catalogs=True)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), L10N_USER="Readme Reviewer",
               DEEPL_AUTH_KEY=deepl_server.auth_key, DEEPL_SERVER_URL=deepl_server.url,
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               PYTHONPATH=str(REPO), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    assert shutil.which("l10n", path=env["PATH"]), "the l10n console script is not installed"
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=root, env=env, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-qm", "sample"], cwd=root, env=env, check=True)

    ran, failures = [], []
    for line in examples():
        if line.startswith("l10n tm import") and not any(x.startswith("l10n tm import") for x in ran):
            _tmx(root / line.split()[3])
        if line.startswith("l10n resolve") and not any(x.startswith("l10n resolve") for x in ran):
            _conflicts(root, env)
        r = subprocess.run(["bash", "-c", line], cwd=root, env=env, capture_output=True,
                           text=True, timeout=300)
        ran.append(line)
        want = EXIT.get(line, 0)
        if r.returncode != want or "Traceback" in r.stderr:
            failures.append(f"{line}\n  exit {r.returncode}, expected {want}\n"
                            f"  stdout: {r.stdout[-600:]}\n  stderr: {r.stderr[-600:]}")
    assert not failures, "\n\n".join(failures)
    assert (home / "newsletter" / "l10n.yaml").is_file()  # `l10n init ~/newsletter`
    assert (root / "memory.tmx").is_file()  # `l10n tm export memory.tmx`, in the shell's folder
