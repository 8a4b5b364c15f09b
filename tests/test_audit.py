"""`l10n audit`: approvals proven through signed git commits (issue 17).

A real git repository in a temporary folder, real SSH keys made by ssh-keygen, real
signed commits. Every test is an attack on the promise: an approval line that names a
reviewer is proven only by a commit that reviewer signed.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from l10n import audit as audit_mod
from l10n import catalog as po
from l10n import gitrun, review
from l10n.audit import audit
from l10n.init import init_project
from l10n.project import Project
from l10n.storage import atomic_write
from l10n.sync import sync
from tests.conftest import REPO

needs_ssh = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                               reason="ssh-keygen (openssh-client) is not installed: no SSH "
                                      "signatures can be made (scripts/test installs it)")
A1, A2 = "2026-02/first", "2026-02/second"
WHEN = "2026-02-03T09:12:00Z"
ARTICLE = """---
title: 大分県の交流
date: 2026-02-01
---

大分県は交流を続けています。知事は市長と会談しました。

今後も協力します。
"""


def git(root: Path, *args: str, key: Path | None = None, check: bool = True) -> str:
    cmd = ["git", "-C", str(root)]
    if key is not None:
        cmd += ["-c", f"user.signingkey={key}"]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run(cmd + list(args), capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {p.stdout}{p.stderr}")
    return p.stdout


def commit(root: Path, msg: str, key: Path | None = None) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", *(["-S"] if key else []), "-m", msg, key=key)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen (openssh-client) is not installed")
    d = tmp_path_factory.mktemp("keys")
    out = {}
    for who in ("aiko", "ken", "eve"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who,
                        "-f", str(d / who)], check=True)
        out[who] = d / who
    return out


def signers_line(name: str, key: Path) -> str:
    return f'"{name}" namespaces="git" {key.with_suffix(".pub").read_text().strip()}\n'


@pytest.fixture
def proj(tmp_path, keys) -> Project:
    return make_project(tmp_path / "news", tmp_path / "news", keys)


def make_project(top: Path, root: Path, keys) -> Project:
    """A project in a git repository (its top folder `top`): two articles synced (en, ko),
    every entry translated by Tom, the reviewers file listing Aiko and Ken, created by
    Aiko, signed."""
    init_project(root)
    cfg = root / "l10n.yaml"
    cfg.write_text(cfg.read_text().replace("review:\n  four_eyes: false\n",
                                           "review:\n  four_eyes: false\n  reviewers: .l10n-reviewers\n")
                   .replace("  es:\n    deepl: ES\n    formality: prefer_more\n", ""))
    for aid in (A1, A2):
        p = root / "content" / f"{aid}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(ARTICLE.replace("大分県", "奈良県" if aid == A2 else "大分県"), "utf-8")
    (root / ".l10n-reviewers").write_text(signers_line("Aiko Tanaka", keys["aiko"])
                                          + signers_line("Ken Mori", keys["ken"]))
    git(top.parent, "init", "-q", "-b", "main", str(top))
    for k, v in (("user.name", "Tom"), ("user.email", "tom@example.org"), ("gpg.format", "ssh")):
        git(root, "config", k, v)
    project = Project(root)
    sync(project)
    for aid in (A1, A2):
        for lang in ("en", "ko"):
            edit(project, aid, lang, lambda e, i, lang=lang: review.set_translation(
                e, f"{lang} text {i}", "Tom", when=WHEN))
    commit(root, "articles, translations and the reviewers", keys["aiko"])
    return project


def edit(project: Project, aid: str, lang: str, fn, only: set[int] | None = None) -> None:
    path = project.catalog_path(lang, aid)
    cat = po.read(path)
    for i, e in enumerate(cat.active()):
        if only is None or i in only:
            fn(e, i)
    atomic_write(path, po.serialize(cat))


def approve(project: Project, aid: str, lang: str, who: str, only: set[int] | None = None) -> None:
    edit(project, aid, lang, lambda e, i: review.approve(e, who, when=WHEN), only)


def statuses(report, aid=None, lang=None) -> list[str]:
    return [i.status for i in report.items
            if (aid is None or i.article == aid) and (lang is None or i.lang == lang)]


@needs_ssh
def test_a_project_in_a_subfolder_with_a_space(tmp_path, keys):
    proj = make_project(tmp_path / "repo", tmp_path / "repo" / "news letter", keys)
    approve(proj, A1, "ko", "Ken Mori")
    commit(proj.root, "review", keys["ken"])
    rep = audit(proj)
    assert rep.ok and rep.items and set(statuses(rep)) == {"proven"}
    assert rep.trust.root_signer == "Aiko Tanaka"
    approve(proj, A2, "ko", "Ken Mori")
    commit(proj.root, "review 2", keys["aiko"])
    gitrun.CALLS.clear()
    rep = audit(proj)
    assert [c[-1] for c in gitrun.CALLS if "blame" in c] == [f"news letter/locales/ko/{A2}.po"]
    assert set(statuses(rep, A2)) == {"wrong-principal"} and set(statuses(rep, A1)) == {"proven"}


def blames() -> int:
    return sum(1 for c in gitrun.CALLS if "blame" in c)


# ------------------------------------------------------------------ proven, and each attack
@needs_ssh
def test_approval_committed_signed_by_its_reviewer_is_proven(proj, keys, cli):
    approve(proj, A1, "en", "Aiko Tanaka")
    c = commit(proj.root, "review A1 en", keys["aiko"])
    rep = audit(proj)
    assert rep.items and statuses(rep) == ["proven"] * len(rep.items)
    assert {i.commit for i in rep.items} == {c} and {i.signer for i in rep.items} == {"Aiko Tanaka"}
    assert rep.trust.problems == [] and rep.trust.root_signer == "Aiko Tanaka"
    r = cli("-C", str(proj.root), "audit", "--json")
    assert r.code == 0, r.out + r.err
    data = json.loads(r.out)
    assert data["ok"] and data["counts"]["proven"] == len(rep.items)


@needs_ssh
def test_forged_line_with_a_correct_hash_committed_unsigned_is_not_proven(proj, keys, cli):
    approve(proj, A1, "en", "Aiko Tanaka")  # Eve writes Aiko's name; the hash is right
    assert all(review.is_approved(e) for e in po.read(proj.catalog_path("en", A1)).active())
    rep = audit(proj)
    assert set(statuses(rep)) == {"uncommitted"}
    commit(proj.root, "looks like a review")
    rep = audit(proj)
    assert set(statuses(rep)) == {"unsigned"} and not rep.ok
    r = cli("-C", str(proj.root), "audit", A1, "--lang", "en")
    assert r.code == 1 and "unsigned" in r.out and "0 proven" in r.out


@needs_ssh
def test_signed_by_a_key_not_in_the_reviewers_file_is_not_proven(proj, keys):
    approve(proj, A1, "en", "Aiko Tanaka")
    commit(proj.root, "signed by eve", keys["eve"])
    rep = audit(proj)
    assert set(statuses(rep)) == {"unknown-key"}
    assert ".l10n-reviewers" in rep.items[0].message


@needs_ssh
def test_signed_by_another_reviewer_than_the_line_names_is_not_proven(proj, keys):
    approve(proj, A1, "en", "Aiko Tanaka")
    commit(proj.root, "ken commits aiko's approvals", keys["ken"])
    rep = audit(proj)
    assert set(statuses(rep)) == {"wrong-principal"}
    assert rep.items[0].signer == "Ken Mori" and "Aiko Tanaka" in rep.items[0].message


@needs_ssh
def test_adding_a_key_to_the_reviewers_file_without_a_reviewer_proves_nothing(proj, keys, cli):
    """Eve adds her own key under Aiko's name, then signs her forged approvals with it."""
    path = proj.root / ".l10n-reviewers"
    path.write_text(path.read_text() + signers_line("Aiko Tanaka", keys["eve"]))
    commit(proj.root, "add a reviewer", keys["eve"])
    approve(proj, A1, "en", "Aiko Tanaka")
    commit(proj.root, "forged review", keys["eve"])
    rep = audit(proj)
    assert not rep.ok and rep.trust.problems
    assert "not signed by a key listed in the file before that change" in rep.trust.problems[0]
    r = cli("-C", str(proj.root), "audit")
    assert r.code == 1 and "reviewers file: .l10n-reviewers was changed in commit" in r.out
    out = proj.root / "out"
    r = cli("-C", str(proj.root), "build", "--audited", "--lang", "en", "--out", str(out))
    assert not (out / "en" / f"{A1}.html").exists()


@needs_ssh
def test_a_new_reviewer_added_by_a_listed_reviewer_is_trusted(proj, keys):
    path = proj.root / ".l10n-reviewers"
    path.write_text(path.read_text() + signers_line("Eve Ito", keys["eve"]))
    rep = audit(proj)
    assert rep.trust.problems and "uncommitted changes" in rep.trust.problems[0]
    commit(proj.root, "Ken adds Eve", keys["ken"])
    approve(proj, A1, "en", "Eve Ito")
    commit(proj.root, "Eve reviews", keys["eve"])
    rep = audit(proj)
    assert rep.ok and set(statuses(rep)) == {"proven"}
    assert rep.trust.root_signer == "Aiko Tanaka"
    # deleting the file and creating it again is a change like any other
    path.unlink()
    dropped = commit(proj.root, "drop the reviewers")
    path.write_text(signers_line("Eve Ito", keys["eve"]) + signers_line("Aiko Tanaka", keys["eve"]))
    commit(proj.root, "only eve now", keys["eve"])  # Eve is listed: her change is checked
    rep = audit(proj)
    assert rep.trust.problems == [f".l10n-reviewers was changed in commit {dropped[:12]}, "
                                  "which is not signed"] and not rep.ok


# ------------------------------------------------------------------ four eyes
@needs_ssh
def test_four_eyes_reports_a_reviewer_who_signed_the_translation(proj, keys):
    cfg = proj.root / "l10n.yaml"
    cfg.write_text(cfg.read_text().replace("four_eyes: false", "four_eyes: true"))
    proj = Project(proj.root)
    edit(proj, A1, "en", lambda e, i: review.set_translation(e, f"Aiko's {i}", "Aiko Tanaka",
                                                                when=WHEN), only={0})
    commit(proj.root, "aiko translates", keys["aiko"])
    edit(proj, A1, "en", lambda e, i: review.set_translation(e, f"Ken's {i}", "Ken Mori",
                                                                when=WHEN), only={2})
    commit(proj.root, "ken translates", keys["ken"])
    approve(proj, A1, "en", "Aiko Tanaka", only={0, 2})
    commit(proj.root, "aiko reviews", keys["aiko"])
    approve(proj, A1, "en", "Ken Mori", only={1})  # Tom's text, in the first commit
    edit(proj, A1, "en", lambda e, i: review.set_translation(e, "Ken's own", "Ken Mori",
                                                                when=WHEN), only={3})
    approve(proj, A1, "en", "Ken Mori", only={3})
    commit(proj.root, "ken reviews and translates in one commit", keys["ken"])
    got = {i.msgid: i.status for i in audit(proj, [A1], ["en"]).items}
    es = po.read(proj.catalog_path("en", A1)).active()
    assert [got[e.msgid] for e in es] == ["four-eyes", "proven", "proven", "four-eyes"]
    # without the rule, the same history is proven
    cfg.write_text(cfg.read_text().replace("four_eyes: true", "four_eyes: false"))
    assert set(statuses(audit(Project(proj.root), [A1], ["en"]))) == {"proven"}


# ------------------------------------------------------------------ publishing
@needs_ssh
def test_build_audited_publishes_only_proven_articles(proj, keys, cli):
    approve(proj, A1, "en", "Aiko Tanaka")
    commit(proj.root, "aiko reviews A1", keys["aiko"])
    approve(proj, A2, "en", "Aiko Tanaka")  # forged: Eve commits Aiko's name unsigned
    commit(proj.root, "A2 'reviewed'")
    out = proj.root / "build"
    r = cli("-C", str(proj.root), "build", "--lang", "en", "--out", str(out))
    assert r.code == 0 and (out / "en" / f"{A2}.html").is_file()  # complete, not audited
    r = cli("-C", str(proj.root), "build", "--audited", "--lang", "en", "--out", str(out), "--json")
    assert r.code == 1
    data = json.loads(r.out)
    assert data["built"] == [{"article": A1, "lang": "en"}]
    assert [s["article"] for s in data["skipped"]] == [A2]
    assert "not proven" in data["skipped"][0]["problem"] and "unsigned" in data["skipped"][0]["problem"]
    assert (out / "en" / f"{A1}.html").is_file() and not (out / "en" / f"{A2}.html").exists()
    # publishing.require_audit does the same without the flag
    cfg = proj.root / "l10n.yaml"
    cfg.write_text(cfg.read_text().replace("  mo: false\n", "  mo: false\n  require_audit: true\n"))
    r = cli("-C", str(proj.root), "build", "--lang", "en", "--out", str(out), "--partial")
    assert r.code == 0 and "not built: 2026-02/second [en]" in r.out
    assert not (out / "en" / f"{A2}.html").exists()


# ------------------------------------------------------------------ merges and rewrites
def _install_driver(proj: Project, cli) -> None:
    assert cli("-C", str(proj.root), "merge-driver", "--install").code == 0
    assert "l10n-po" in (proj.root / ".gitattributes").read_text()


@needs_ssh
def test_merge_through_the_po_driver_keeps_signed_approvals_provable(proj, keys, cli):
    """git blame passes each line of a merge result that is identical in a parent to
    that parent, so approvals merged cleanly by the driver stay with the commits that
    signed them, whoever makes (or signs) the merge commit."""
    _install_driver(proj, cli)
    git(proj.root, "checkout", "-q", "-b", "aiko")
    approve(proj, A1, "en", "Aiko Tanaka", only={1})
    commit(proj.root, "aiko reviews", keys["aiko"])
    git(proj.root, "checkout", "-q", "-b", "ken", "main")
    approve(proj, A1, "en", "Ken Mori", only={2})  # the neighbour: a line merge conflicts
    commit(proj.root, "ken reviews", keys["ken"])
    git(proj.root, "checkout", "-q", "main")
    git(proj.root, "merge", "-q", "--no-ff", "--no-edit", "aiko")
    m = subprocess.run(["git", "-C", str(proj.root), "merge", "--no-edit", "ken"],
                       capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert m.returncode == 0, m.stdout + m.stderr  # the driver merged it, unsigned merge
    assert len(git(proj.root, "log", "--format=%P", "-1").split()) == 2
    rep = audit(proj, [A1], ["en"])
    got = {i.reviewer: i for i in rep.items}
    assert set(got) == {"Aiko Tanaka", "Ken Mori"} and set(statuses(rep)) == {"proven"}
    assert git(proj.root, "log", "-1", "--format=%s", got["Ken Mori"].commit).strip() == "ken reviews"


@needs_ssh
def test_squash_keeps_approvals_only_when_the_squasher_is_the_reviewer(proj, keys):
    git(proj.root, "checkout", "-q", "-b", "work")
    approve(proj, A1, "en", "Ken Mori")
    commit(proj.root, "ken reviews", keys["ken"])
    approve(proj, A1, "ko", "Aiko Tanaka")
    commit(proj.root, "aiko reviews", keys["aiko"])
    assert set(statuses(audit(proj))) == {"proven"}
    git(proj.root, "checkout", "-q", "main")
    git(proj.root, "merge", "-q", "--squash", "work")
    commit(proj.root, "squash-merge, signed by Aiko", keys["aiko"])
    rep = audit(proj)
    assert set(statuses(rep, lang="ko")) == {"proven"}
    assert set(statuses(rep, lang="en")) == {"wrong-principal"}  # Ken's, now Aiko's commit


# ------------------------------------------------------------------ speed: the caches
@needs_ssh
def test_second_audit_reads_no_blame_and_a_new_commit_reblames_only_what_it_touched(proj, keys):
    approve(proj, A1, "en", "Aiko Tanaka")
    commit(proj.root, "review", keys["aiko"])
    gitrun.CALLS.clear()
    first = audit(proj)
    assert blames() == 4 and first.blamed == 4  # 2 articles x 2 languages
    assert sum(1 for c in gitrun.CALLS if "--no-walk=unsorted" in c) == 2  # approvals + trust
    gitrun.CALLS.clear()
    again = audit(proj)
    assert blames() == 0 and again.blamed == 0 and again.checked == 0
    assert len(gitrun.CALLS) <= 3 and again.items == first.items
    approve(proj, A2, "ko", "Ken Mori")
    commit(proj.root, "ken reviews A2 ko", keys["ken"])
    gitrun.CALLS.clear()
    third = audit(proj)
    blamed = [c[-1] for c in gitrun.CALLS if "blame" in c]
    assert blamed == [f"locales/ko/{A2}.po"] and set(statuses(third)) == {"proven"}
    # an edit in the working tree: that catalog again, its approvals uncommitted
    edit(proj, A1, "en", lambda e, i: review.approve(e, "Aiko Tanaka", when="2026-03-01T00:00:00Z"),
         only={0})
    gitrun.CALLS.clear()
    fourth = audit(proj)
    assert [c[-1] for c in gitrun.CALLS if "blame" in c] == [f"locales/en/{A1}.po"]
    assert statuses(fourth, A1, "en").count("uncommitted") == 1


@needs_ssh
def test_a_committed_cache_is_never_read(proj, keys):
    """Eve commits an audit cache claiming her unsigned commit was signed by Aiko."""
    approve(proj, A1, "en", "Aiko Tanaka")
    c = commit(proj.root, "forged review")
    assert set(statuses(audit(proj))) == {"unsigned"}
    cache = proj.root / ".l10n" / audit_mod.CACHE_NAME
    data = json.loads(cache.read_text())
    data["sigs"][c] = ["G", "SHA256:forged", "Aiko Tanaka"]
    cache.write_text(json.dumps(data))
    assert set(statuses(audit(proj))) == {"proven"}  # a local cache is trusted like .git
    git(proj.root, "add", "-f", str(cache))
    commit(proj.root, "cache")
    cache.write_text(json.dumps(data))
    rep = audit(proj)
    assert set(statuses(rep)) == {"unsigned"} and "not used" in rep.warnings[0]


# ------------------------------------------------------------------ configuration and usage
def test_audit_without_a_reviewers_file_is_bad_usage(sample, cli):
    r = cli("-C", str(sample), "audit")
    assert r.code == 2 and "no reviewers file is configured" in r.err and "l10n.yaml" in r.err
    cfg = sample / "l10n.yaml"
    text = cfg.read_text()
    cfg.write_text(text.replace("review:", "review:\n  reviewers: .l10n-reviewers\n ", 1)
                   if "review:" in text else text + "review: {reviewers: .l10n-reviewers}\n")
    r = cli("-C", str(sample), "audit")
    assert r.code == 2 and "does not exist" in r.err


@pytest.mark.parametrize("yaml_text, key", [
    ("review: {reviewers: ../outside}\n", "review.reviewers"),
    ("review: {reviewers: [a]}\n", "review.reviewers"),
    ("publishing: {require_audit: yes please}\n", "publishing.require_audit"),
    ("publishing: {require_audit: true}\n", "publishing.require_audit"),
])
def test_bad_audit_configuration_names_the_key_and_line(tmp_path, cli, yaml_text, key):
    root = tmp_path / "p"
    init_project(root)
    cfg = root / "l10n.yaml"
    base = "\n".join(ln for ln in cfg.read_text().split("\n")
                     if not ln.startswith(("review:", "  four_eyes", "publishing:", "  policy",
                                           "  out:", "  mo:")))
    cfg.write_text(base.rstrip("\n") + "\n" + yaml_text)
    line = len(base.rstrip("\n").split("\n")) + 1
    r = cli("-C", str(root), "status")
    assert r.code == 2 and f"l10n.yaml:{line}: {key}" in r.err


def test_audit_outside_git_is_bad_usage(tmp_path, cli):
    root = tmp_path / "p"
    init_project(root)
    (root / ".l10n-reviewers").write_text("")
    cfg = root / "l10n.yaml"
    cfg.write_text(cfg.read_text().replace("  four_eyes: false", "  four_eyes: false\n  reviewers: .l10n-reviewers"))
    r = cli("-C", str(root), "audit")
    assert r.code == 2 and "not inside a git repository" in r.err


def test_init_says_how_to_make_the_reviewers_file(tmp_path, cli):
    r = cli("init", str(tmp_path / "p"))
    assert r.code == 0 and ".l10n-reviewers" in r.out and 'namespaces=\\"git\\"' in r.out


# ------------------------------------------------------------------ the TUI
@needs_ssh
@pytest.mark.asyncio
async def test_tui_marks_unproven_approvals_when_the_project_requires_audits(proj, keys):
    from l10n.tui.app import L10nApp
    from l10n.tui.article import ArticleScreen

    approve(proj, A1, "en", "Aiko Tanaka", only={0})
    commit(proj.root, "aiko reviews", keys["aiko"])
    approve(proj, A1, "en", "Aiko Tanaka", only={1})
    commit(proj.root, "forged, unsigned")
    cfg = proj.root / "l10n.yaml"
    cfg.write_text(cfg.read_text().replace("  mo: false\n", "  mo: false\n  require_audit: true\n"))
    project = Project(proj.root)
    es = po.read(project.catalog_path("en", A1)).active()
    app = L10nApp(project, lang="en", article=A1, poll_interval=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.proof is not None
        assert screen.proof[es[0].key][0] and not screen.proof[es[1].key][0]
        assert "not signed" in screen.proof[es[1].key][1]
        assert not screen.unproven(es[0]) and screen.unproven(es[1])
        marks = [screen.render_row(e, [3, 6, 30, 30])[1].plain for e in es[:3]]
        assert marks[0].startswith("ok") and not marks[0].endswith("?")
        assert marks[1].startswith("ok") and marks[1].endswith("?")
        assert not marks[2].endswith("?")  # translated, not approved: nothing to prove
        assert screen.proof_line(es[1])[0].startswith("? not proven: commit")
        assert screen.proof_line(es[0])[0].startswith("✓ signed by Aiko Tanaka")
        # an approval made here is not proven either, as soon as it is written (the
        # screen's view takes what it wrote without reading the file again: the audit
        # runs after the action itself)
        # (entry 1, proven: its text changed and approved again, here, is not)
        app.session.user = "Ken Mori"
        screen.move_to(0)
        await pilot.pause()
        await pilot.press("enter", "end", *" Now.", "ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.session.user = "Bea Reviewer"
        screen.move_to(0)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        e0 = screen.view.entries[0]
        assert e0.msgstr.endswith(" Now.") and review.state(e0) == review.APPROVED
        assert not screen.view.changed_on_disk()
        assert screen.unproven(e0)
        assert screen.render_row(e0, [3, 6, 30, 30])[1].plain.endswith("?")
    # without require_audit, no audit runs and nothing is marked
    cfg.write_text(cfg.read_text().replace("  require_audit: true\n", ""))
    gitrun.CALLS.clear()
    app = L10nApp(Project(proj.root), lang="en", article=A1, poll_interval=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.screen.proof is None and not any("blame" in c for c in gitrun.CALLS)


@needs_ssh
def test_blame_ignore_revs_in_the_repository_cannot_hide_a_forger(proj, keys):
    """A forged approval replaces a signed one; the forger lists their commit in a
    .git-blame-ignore-revs file that the repository's config names."""
    approve(proj, A1, "en", "Aiko Tanaka", only={0})
    commit(proj.root, "aiko reviews", keys["aiko"])
    approve(proj, A1, "en", "Aiko Tanaka", only={0, 1})  # 0 re-approved, 1 forged
    edit(proj, A1, "en", lambda e, i: review.approve(e, "Aiko Tanaka", when="2026-02-04T00:00:00Z"),
         only={0, 1})
    forged = commit(proj.root, "forged")
    (proj.root / ".git-blame-ignore-revs").write_text(forged + "\n")
    git(proj.root, "config", "blame.ignoreRevsFile", ".git-blame-ignore-revs")
    shown = git(proj.root, "blame", "--porcelain", "--", f"locales/en/{A1}.po")
    assert forged not in shown  # git itself now blames someone else
    assert set(statuses(audit(proj), A1, "en")) == {"unsigned"}


@needs_ssh
def test_catalogs_git_does_not_track_and_a_repository_without_commits(proj, keys, tmp_path):
    new = proj.root / "content" / "2026-03" / "third.md"
    new.parent.mkdir()
    new.write_text(ARTICLE.replace("大分県", "奈良市"), "utf-8")
    proj = Project(proj.root)  # a new Project sees the article added since
    sync(proj)
    edit(proj, "2026-03/third", "en", lambda e, i: review.set_translation(e, f"t{i}", "Tom"))
    approve(proj, "2026-03/third", "en", "Aiko Tanaka")
    rep = audit(proj, ["2026-03/third"], ["en"])
    assert rep.items and set(statuses(rep)) == {"uncommitted"}
    shutil.rmtree(proj.root / ".git")
    git(proj.root.parent, "init", "-q", str(proj.root))
    rep = audit(proj)
    assert rep.items and set(statuses(rep)) == {"uncommitted"}
    assert "not committed" in rep.trust.problems[0]
