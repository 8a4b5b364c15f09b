"""`l10n audit` on the 1,000-article archive, one signed commit per article (issue 17).

The archive (benchmarks/archive.py) is put in a git repository: a first commit holds
every article and catalog without approvals (unsigned, as a sync bot would make it),
then one commit per article, signed with a reviewer's SSH key, adds that article's
approvals in its three catalogs. The reviewers file lists that key.

Rows (median of at least 5 runs, `l10n audit` timed as a subprocess):

* first run (no cache): 3,000 `git blame --porcelain`, one signature check per commit
  vs `git log --show-signature` over the same commits (what a person would run to check
  the signatures by hand; it checks each commit's signature once, and blames nothing)
* cached rerun of an unchanged repository (no blame, no signature check) vs the same

The repository has a commit graph with changed-path Bloom filters (`git commit-graph
write --reachable --changed-paths`, what `git maintenance` keeps): without it each blame
walks every commit's tree, and the first run takes several times longer (README).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.bench_archive import ENV, L10N, archive, median_of, row
from l10n import catalog as po
from l10n import review
from l10n.project import Project

REVIEWER = "Bench Reviewer"
GIT_ENV = dict(ENV, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


def git(root: Path, *args: str, key: Path | None = None) -> None:
    cmd = ["git", "-C", str(root)] + (["-c", f"user.signingkey={key}"] if key else []) + list(args)
    subprocess.run(cmd, env=GIT_ENV, check=True, stdout=subprocess.DEVNULL)


def signed_archive(n: int, cache: Path) -> Path:
    """The archive with its git history (made once, kept in the cache)."""
    dest = cache / f"audit-{n}"
    if (dest / ".git" / "l10n-bench-done").exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(archive(n, cache), dest, ignore=shutil.ignore_patterns(".l10n", ".git"))
    key = dest.parent / f"audit-{n}-key"
    for f in (key, key.with_suffix(".pub")):
        f.unlink(missing_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench",
                    "-f", str(key)], check=True)
    (dest / ".l10n-reviewers").write_text(
        f'"{REVIEWER}" namespaces="git" {key.with_suffix(".pub").read_text().strip()}\n')
    cfg = dest / "l10n.yaml"
    cfg.write_text(cfg.read_text().replace("  four_eyes: false\n",
                                           "  four_eyes: false\n  reviewers: .l10n-reviewers\n"))
    project = Project(dest)
    reviewed: dict[Path, bytes] = {}
    for aid in project.article_ids():
        for lang in project.languages:
            path = project.catalog_path(lang, aid)
            reviewed[path] = path.read_bytes()
            cat = po.read(path)
            for e in cat.entries:
                review.clear_review(e)
            path.write_bytes(po.serialize(cat))
    git(dest.parent, "init", "-q", "-b", "main", str(dest))
    for k, v in (("user.name", REVIEWER), ("user.email", "r@example.org"), ("gpg.format", "ssh")):
        git(dest, "config", k, v)
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-S", "-m", "archive, drafts and translations", key=key)
    for aid in project.article_ids():
        for lang in project.languages:
            path = project.catalog_path(lang, aid)
            path.write_bytes(reviewed[path])
        git(dest, "commit", "-q", "-S", "-am", f"review {aid}", key=key)
    # what `git maintenance` (or fetch.writeCommitGraph) keeps in a working clone: the
    # commit graph with changed-path Bloom filters, which blame uses to skip commits
    git(dest, "commit-graph", "write", "--reachable", "--changed-paths")
    (dest / ".git" / "l10n-bench-done").write_text("")
    return dest


def timed_audit(root: Path, fresh: bool) -> float:
    if fresh:
        (root / ".l10n" / "audit-cache.json").unlink(missing_ok=True)
    t = time.perf_counter()
    p = subprocess.run(L10N + ["-C", str(root), "audit", "--json"], env=GIT_ENV,
                       stdout=subprocess.DEVNULL)
    took = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"l10n audit exited {p.returncode} on the benchmark archive")
    return took


def timed_log(root: Path) -> float:
    signers = root / ".l10n-reviewers"
    t = time.perf_counter()
    subprocess.run(["git", "-C", str(root), "-c", f"gpg.ssh.allowedSignersFile={signers}",
                    "log", "--show-signature"], env=GIT_ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def run(quick: bool = False) -> list[dict]:
    if shutil.which("ssh-keygen") is None:
        return [row("audit (skipped: no ssh-keygen)", None, None, "-", True)]
    n = 200 if quick else 1000
    runs = 5
    cache = Path(os.environ.get("L10N_BENCH_CACHE", Path(tempfile.gettempdir()) / "l10n-bench"))
    root = signed_archive(n, cache)
    anchor = median_of(lambda: timed_log(root), runs)
    first = median_of(lambda: timed_audit(root, True), runs)
    timed_audit(root, False)
    again = median_of(lambda: timed_audit(root, False), runs)
    catalogs = n * 3
    return [
        row(f"audit, first run, {n} articles ({catalogs} blames, {n + 1} signed commits)",
            first, anchor, "<= 2x git log --show-signature", first <= 2 * anchor,
            note=f"anchor: git log --show-signature over the same {n + 1} commits"),
        row(f"audit, cached rerun, {n} articles (no blame)", again, anchor,
            "<= 0.2x git log --show-signature", again <= 0.2 * anchor),
    ]


if __name__ == "__main__":
    from benchmarks.run import main_for

    raise SystemExit(main_for(run))
