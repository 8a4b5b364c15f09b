"""`kill -9` at random moments of a sync, an approve and a save loses nothing.

A project of 30 articles (the sample and 25 generated ones) with drafts in every
catalog and some entries approved beforehand. Then, in parallel lanes:

* **sync**: the articles were edited (a sentence changed, a paragraph added), and
  `python -m l10n sync --no-mt` is killed (SIGKILL) after a random delay within its
  run, again and again on the same copy. After every kill each template and catalog
  is byte for byte either as it was before the sync or as a complete sync writes it
  (never truncated, never half of each), and a final sync reaches that reference.
* **approve**: chains of `l10n approve ARTICLE --lang L --all` are killed; every
  catalog is either untouched or completely approved, and every approve that reported
  success before the kill is on disk.
* **save** (what the TUI does): a process saving translations one by one
  (actions.save_translation) is killed; every save it reported is on disk.

Every approval made before the kills is still there, with its hash valid, and no
temporary file is left behind once the catalog is written again.

The delays come from seeded generators (L10N_KILL_SEED, default below), so a failure
can be replayed; the test asserts that a good share of the kills hit a sync halfway
through its writes, so they did land inside the work.
"""
from __future__ import annotations

import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from l10n import catalog as po
from l10n import review
from l10n.project import Project
from l10n.storage import atomic_write
from tests.conftest import REPO, copy_sample, run

SEED = int(os.environ.get("L10N_KILL_SEED", "20260203"))
SYNC_KILLS = (17, 17, 16)  # three lanes
APPROVE_KILLS = (25, 25)  # two lanes: 100 kills of sync and approve in all
CHAIN = 2  # approve commands run one after the other in each killed shell
SAVE_KILLS = 10
EARLY = "Early Reviewer"
WHEN = "2026-01-15T08:00:00Z"
ADDED = "第{i}号の追加記事として、この段落を書き加えました。読者の皆さまに感謝します。"
CHANGED = "第{i}号の追加記事として、この段落を書き直しました。読者の皆さまに感謝します。"
NEW = "改訂版では、新しい段落を一つ加えました。番号は{i}です。"


# =========================================================================== helpers

def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(REPO))


def _spawn(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                            start_new_session=True, text=True)


def _kill_after(proc: subprocess.Popen, delay: float) -> tuple[bool, str, str]:
    """SIGKILL the process group after `delay` s unless it finished; (killed, out, err)."""
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        killed = True
    out, err = proc.communicate()
    return killed, out, err


def _timed(argv: list[str]) -> float:
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, env=_env())
    assert p.returncode == 0, p.stderr
    return time.monotonic() - t0


def _files(root: Path) -> dict[str, bytes]:
    """Templates and catalogs, by path."""
    loc = root / "locales"
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(loc.rglob("*")) if p.suffix in (".po", ".pot")}


def _temps(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in (root / "locales").rglob("*.tmp")]


def _copy(src: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, symlinks=True)
    return dest


def _approvals(root: Path, only: set[str] | None = None) -> dict:
    """(catalog, key) -> approval line of every valid approval (in the `only` catalogs)."""
    out = {}
    for rel, data in _files(root).items():
        if rel.endswith(".po") and (only is None or rel in only):
            for e in po.parse(data, rel).active():
                if review.is_approved(e):
                    out[(rel, e.key)] = [c for c in e.comments if c.startswith("l10n: approved")][0]
    return out


def _check_early_approvals(root: Path, early: dict, only: set[str] | None = None) -> None:
    now = _approvals(root, only)
    lost = [k for k, line in early.items() if (only is None or k[0] in only) and now.get(k) != line]
    assert not lost, f"approvals lost: {lost[:5]}"


# =========================================================================== the project

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """S0: 30 synced articles, drafts everywhere, every 4th entry approved.
    S1: S0 with every article edited (its catalogs are S0's). R: S1 after a complete
    sync (the reference)."""
    base = tmp_path_factory.mktemp("kills")
    s0 = copy_sample(base / "s0")
    samples = sorted((s0 / "content" / "2026-02").glob("*.md"))
    for i in range(25):
        src = samples[i % len(samples)]
        text = src.read_text("utf-8").replace("date: 2026-02-01", "date: 2026-03-01")
        d = s0 / "content" / f"2026-{3 + i // 10:02d}"
        d.mkdir(exist_ok=True)
        (d / f"{src.stem}-{i}.md").write_text(text + "\n" + ADDED.format(i=i) + "\n", "utf-8")
    r = run(["-C", str(s0), "sync", "--no-mt"])
    assert r.code == 0, r.err
    project = Project(s0)
    ids = project.article_ids()
    assert len(ids) == 30
    for aid in ids:
        for lang in project.languages:
            path = project.catalog_path(lang, aid)
            cat = po.read(path)
            for n, e in enumerate(cat.active()):
                review.set_draft(e, f"{lang} draft {n}: {e.msgid[:12]}", "deepl")
                if n % 4 == 1 and "追加記事" not in e.msgid:
                    review.approve(e, EARLY, when=WHEN)
            atomic_write(path, po.serialize(cat))
    r = run(["-C", str(s0), "sync", "--no-mt"])  # settles the sync state; changes nothing
    assert r.code == 0, r.err
    early = _approvals(s0)
    assert len(early) > 150

    s1 = _copy(s0, base / "s1")
    for i, aid in enumerate(ids):
        p = s1 / "content" / f"{aid}.md"
        text = p.read_text("utf-8")
        text = re.sub(r"第(\d+)号の追加記事として、この段落を書き加えました。読者の皆さまに感謝します。",
                      lambda m: CHANGED.format(i=m.group(1)), text)
        p.write_text(text + "\n" + NEW.format(i=i) + "\n", "utf-8")
    ref = _copy(s1, base / "ref")
    t0 = time.monotonic()
    r = run(["-C", str(ref), "sync", "--no-mt"])
    t_sync = time.monotonic() - t0
    assert r.code == 0, r.err
    before, after = _files(s1), _files(ref)
    assert before.keys() == after.keys()
    assert sum(before[k] != after[k] for k in before) == 120  # 30 templates, 90 catalogs
    _check_early_approvals(ref, early)
    return {"base": base, "s1": s1, "ref": ref, "before": before, "after": after,
            "early": early, "ids": ids, "t_sync": t_sync}


# =========================================================================== lanes

def _sync_lane(w: dict, lane: int, kills: int, stats: dict) -> None:
    rng = random.Random(f"{SEED}-sync-{lane}")
    p = _copy(w["s1"], w["base"] / f"sync-lane-{lane}")
    before, after = w["before"], w["after"]
    # how long a whole sync takes here, with the other lanes running
    t = _timed([sys.executable, "-m", "l10n", "-C", str(p), "sync", "--no-mt"])
    assert _files(p) == after
    p = _copy(w["s1"], p)
    done = runs = 0
    while done < kills:
        runs += 1
        assert runs <= 6 * kills, f"lane {lane}: the runs end before the kills ({done} kills)"
        pre = _files(p)
        # the run starts with the interpreter, reading every article and catalog, then
        # writes: aim at the whole run, past the first fifth
        delay = rng.uniform(0.2, 1.05) * t
        t0 = time.monotonic()
        killed, out, err = _kill_after(
            _spawn([sys.executable, "-m", "l10n", "-C", str(p), "sync", "--no-mt"]), delay)
        if not killed:  # the machine got faster: aim shorter
            t = (t + time.monotonic() - t0) / 2
        now = _files(p)
        if os.environ.get("L10N_KILL_DEBUG"):
            print(f"sync lane {lane}: delay {delay:.2f} killed {killed} "
                  f"changed {sum(now[f] != pre[f] for f in now)} "
                  f"after {sum(now[f] == after[f] for f in now)}/{len(now)}", flush=True)
        assert now.keys() == before.keys(), sorted(set(now) ^ set(before))
        bad = [f for f, data in now.items() if data != before[f] and data != after[f]]
        assert not bad, f"lane {lane}: after a kill at {delay:.2f}s, neither before nor after: {bad}"
        if killed:
            done += 1
            stats["sync_kills"] += 1
            if now != pre and now != after:
                stats["sync_halfway"] += 1
        else:
            assert now == after, err
        if now == after:
            _check_early_approvals(p, w["early"])
            p = _copy(w["s1"], p)
    r = run(["-C", str(p), "sync", "--no-mt"])  # a rerun finishes the work, whatever was left
    assert r.code == 0, r.err
    assert _files(p) == after
    assert _temps(p) == []
    _check_early_approvals(p, w["early"])


def _fully_approved(data: bytes, before: bytes, rel: str) -> bool:
    cat, old = po.parse(data, rel), po.parse(before, rel)
    assert [(e.key, e.msgstr) for e in cat.entries] == [(e.key, e.msgstr) for e in old.entries], rel
    return all(review.is_approved(e) for e in cat.active() if e.msgstr)


def _approve_lane(w: dict, lane: int, kills: int, stats: dict) -> None:
    rng = random.Random(f"{SEED}-approve-{lane}")
    p = _copy(w["s1"], w["base"] / f"approve-lane-{lane}")
    project = Project(p)
    targets = [(aid, lang) for aid in w["ids"] for lang in project.languages]
    rng.shuffle(targets)
    pending = list(targets)
    original = _files(p)
    t = _timed([sys.executable, "-m", "l10n", "-C", str(p), "approve", targets[0][0], "--lang",
                targets[0][1], "--all", "--as", "Calibration", "--override", "kill test"])
    p = _copy(w["s1"], p)
    done = runs = 0
    while done < kills:
        runs += 1
        assert runs <= 6 * kills, f"lane {lane}: the runs end before the kills ({done} kills)"
        if len(pending) < CHAIN:
            p = _copy(w["s1"], p)
            pending = list(targets)
        chain = [pending.pop() for _ in range(CHAIN)]
        pre = _files(p)
        cmds = [shlex.join([sys.executable, "-m", "l10n", "-C", str(p), "approve", aid,
                            "--lang", lang, "--all", "--as", f"Lane {lane}", "--override", "kill test"])
                for aid, lang in chain]
        delay = rng.uniform(0.1, 1.05) * CHAIN * t
        t0 = time.monotonic()
        killed, out, err = _kill_after(_spawn(["sh", "-c", "; ".join(cmds)]), delay)
        if not killed:
            t = (t + (time.monotonic() - t0) / CHAIN) / 2
        acked = set(re.findall(r"^(\S+) \[(\w+)\]: \d+ approved by", out, re.M))
        now = _files(p)
        assert now.keys() == pre.keys()
        rels = {project.rel(project.catalog_path(lang, aid)): (aid, lang) for aid, lang in chain}
        changed = [f for f in now if now[f] != pre[f]]
        assert set(changed) <= set(rels), f"lane {lane}: untouched files changed: {changed}"
        for f in changed:
            assert _fully_approved(now[f], pre[f], f), f"lane {lane}: {f} half approved"
        for f, target in rels.items():
            if target in acked:
                assert _fully_approved(now[f], original[f], f), f"lane {lane}: reported approve lost: {f}"
        if killed:
            done += 1
            stats["approve_kills"] += 1
            stats["approves_acked_before_kill"] += len(acked)
        _check_early_approvals(p, w["early"], set(changed))
    # the next write of a catalog clears what a killed write left behind
    from l10n.workspace import update_catalog

    for aid, lang in targets:
        update_catalog(project, lang, aid, lambda cat: None)
    assert _temps(p) == []


SAVER = """
import sys
from pathlib import Path
from l10n import catalog as po
from l10n.actions import save_translation
from l10n.project import Project
p = Project(Path(sys.argv[1]))
aid, lang, tag = sys.argv[2], sys.argv[3], sys.argv[4]
for n, e in enumerate(po.read(p.catalog_path(lang, aid)).active()):
    save_translation(p, aid, lang, e.key, f"{tag} {n}", "Saver")
    print(n, flush=True)
"""


def _save_lane(w: dict, kills: int, stats: dict) -> None:
    rng = random.Random(f"{SEED}-save")
    p = _copy(w["s1"], w["base"] / "save-lane")
    project = Project(p)
    aid0 = w["ids"][0]
    t = _timed([sys.executable, "-c", SAVER, str(p), aid0, "en", "calibration"])
    done = runs = 0
    while done < kills:
        runs += 1
        assert runs <= 6 * kills, f"save lane: the runs end before the kills ({done} kills)"
        aid = rng.choice(w["ids"])
        lang = rng.choice(project.languages)
        path = project.catalog_path(lang, aid)
        delay = rng.uniform(0.2, 1.05) * t
        t0 = time.monotonic()
        killed, out, err = _kill_after(
            _spawn([sys.executable, "-c", SAVER, str(p), aid, lang, f"run{runs}"]), delay)
        if not killed:
            t = (t + time.monotonic() - t0) / 2
        acked = [int(x) for x in out.split()]
        active = po.read(path).active()  # parses
        for n in acked:
            assert active[n].msgstr == f"run{runs} {n}", (aid, lang, n)
            assert review.state(active[n]) == review.TRANSLATED
        if killed:
            done += 1
            stats["save_kills"] += 1
            stats["saves_acked_before_kill"] += len(acked)


def test_kill_9_during_sync_approve_and_save_loses_nothing(world):
    t0 = time.monotonic()
    lanes = [(_sync_lane, (world, i, n)) for i, n in enumerate(SYNC_KILLS)]
    lanes += [(_approve_lane, (world, i, n)) for i, n in enumerate(APPROVE_KILLS)]
    lanes.append((_save_lane, (world, SAVE_KILLS)))
    parts = [Counter() for _ in lanes]
    with ThreadPoolExecutor(len(lanes)) as pool:  # each lane waits on its subprocesses
        def timed(f, args, stats):
            t = time.monotonic()
            f(*args, stats)
            stats[f"{f.__name__}_seconds"] = round(time.monotonic() - t)

        futures = [pool.submit(timed, f, a, parts[i]) for i, (f, a) in enumerate(lanes)]
        for fut in futures:
            fut.result()
    stats = sum(parts, Counter())
    took = time.monotonic() - t0
    print(f"kills: {dict(stats)} in {took:.1f}s (a whole sync: {world['t_sync']:.2f}s alone; "
          f"seed {SEED})")
    assert stats["sync_kills"] + stats["approve_kills"] == 100
    # the delays really landed inside the work: many syncs were cut between two writes
    assert stats["sync_halfway"] >= stats["sync_kills"] // 5, stats
