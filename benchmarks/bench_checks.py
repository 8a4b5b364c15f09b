"""Quality checks: per-entry speed, pathological entries, and `l10n check` at scale.

* every check over 10,000 realistic entries, time per 1,000 (issue 4)
* the errors-only run (the dashboard's err column, issue 15) and every check, per entry,
  against the same run with every shortcut off (`l10n.checks.text.LONG_WAY`)
* one 200,000-character entry of each pathological shape (no spaces, backticks,
  brackets, digits, ...): the worst shape's time, <= 1 s (issue 13)
* warm `l10n check --json` on the 1,000-article archive vs polib parsing every
  catalog, <= 0.3x (issue 16)
* peak memory of a cold `l10n check --json` on 3,000 articles, <= 300 MB (issue 16)
"""
from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_memory import japanese_sentences
from l10n.checks import check_consistency, check_entry, clear_caches
from l10n.glossary import Glossary, Term

GLOSSARY = Glossary([
    Term("大分県", {"en": "Oita Prefecture", "ko": "오이타현", "es": "prefectura de Oita"}),
    Term("奈良県", {"en": "Nara Prefecture", "ko": "나라현", "es": "prefectura de Nara"}),
    Term("外務省", {"en": "Ministry of Foreign Affairs", "ko": "외무성",
                  "es": "Ministerio de Asuntos Exteriores"}),
])
TARGETS = {
    "en": "On November 17, 2025, Oita Prefecture welcomed 19 guests from 14 countries, see [the site](https://www.pref.oita.jp/).",
    "ko": "2025년 11월 17일, 오이타현은 14개국에서 온 19명을 맞이했습니다.",
    "es": "El 17 de noviembre de 2025, la prefectura de Oita recibió a 19 invitados de 14 países.",
}
ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
L10N = [sys.executable, "-m", "l10n"]


def entries(n: int) -> list[tuple[str, str, str]]:
    rng = random.Random(11)
    src = japanese_sentences(n, 9)
    out = []
    for i, s in enumerate(src):
        lang = ("en", "ko", "es")[i % 3]
        t = TARGETS[lang]
        if rng.random() < 0.2:
            t = t.replace("19", "18")
        out.append((s, t, lang))
    return out


def row(name, ours, anchor, target, ok, unit="s", ratio=None, note=""):
    return {"name": name, "ours": ours, "anchor": anchor, "unit": unit,
            "ratio": ratio if ratio is not None else (ours / anchor if anchor else None),
            "target": target, "ok": ok, "note": note}


def bench_entries(quick: bool) -> list[dict]:
    n = 2_000 if quick else 10_000
    data = entries(n)
    times = []
    for _ in range(5):
        clear_caches()
        t = time.perf_counter()
        for s, tr, lang in data:
            check_entry(s, tr, lang, GLOSSARY)
        check_consistency((f"a{i % 50}", lang, s, tr) for i, (s, tr, lang) in enumerate(data))
        times.append(time.perf_counter() - t)
    per_1000 = statistics.median(times) / n * 1000 * 1000  # ms per 1,000 entries
    return [row(f"every check over {n:,} entries (per 1,000)", per_1000, None, "reported", True, unit="ms",
                note=f"{statistics.median(times):.2f} s for all {n:,} entries")]


def _per_entry(data, severity, long_way: bool) -> float:
    from l10n.checks import text

    text.LONG_WAY = long_way
    try:
        clear_caches()
        t = time.process_time()
        for s, tr, lang in data:
            check_entry(s, tr, lang, GLOSSARY, severity=severity)
        return (time.process_time() - t) / len(data) * 1e6
    finally:
        text.LONG_WAY = False
        clear_caches()


def bench_shortcuts(quick: bool) -> list[dict]:
    """CPU per entry, cold caches, with the shortcuts and the long way alternating."""
    n = 2_000 if quick else 10_000
    data = entries(n)
    rows = []
    for severity, what, factor in (("error", "errors only (the dashboard's err column)", 0.8),
                                   (None, "every check", 1.0)):
        ours, anchor = [], []
        for _ in range(5):
            ours.append(_per_entry(data, severity, False))
            anchor.append(_per_entry(data, severity, True))
        o, a = statistics.median(ours), statistics.median(anchor)
        rows.append(row(f"check_entry, {what}, per entry", o, a, f"<= {factor}x the long way", o <= factor * a,
                        unit="µs", note=f"CPU per entry over {n:,} entries, caches cleared; anchor: the same "
                                        "with every shortcut off (text.LONG_WAY)"))
    return rows


# ------------------------------------------------------------------ pathological entries

SOURCE = "大分県は2025年11月17日、14か国から19名を迎えました。"


def _rep(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def shapes(n: int) -> dict[str, tuple[str, str]]:
    rng = random.Random(3)
    numbers = " ".join(str(rng.randrange(10 ** rng.randint(1, 7))) for _ in range(n // 4))[:n]
    return {
        "no spaces": (SOURCE, _rep("a", n)),
        "Japanese without spaces": (_rep("交流", n), "Exchange."),
        "backticks in the source": (_rep("`", n), "Hello."),
        "backtick pairs": (SOURCE, _rep("`a", n)),
        "brackets": (SOURCE, _rep("[", n)),
        "link openers": (SOURCE, _rep("[a](" + "x" * 200, n)),
        "image openers": (SOURCE, _rep("![", n)),
        "angle brackets": (SOURCE, _rep("<a ", n)),
        "digits": (SOURCE, _rep("1", n)),
        "one huge number in the source": (_rep("1", n), "One."),
        "digit lists": (_rep("1,", n), _rep("1.", n)),
        "random numbers in the source": (numbers, "Numbers."),
        "random numbers in both": (numbers, numbers),
        "kanji numerals and ranges": (_rep("一・", n), "One."),
        "kanji numerals with counters": (_rep("三十基", n), "Thirty."),
        "stars": (SOURCE, _rep("*a", n)),
        "spaced underscores": (SOURCE, _rep(" _a", n)),
        "double spaces": (SOURCE, _rep("a  ", n)),
        "entities": (SOURCE, _rep("&#x73;", n)),
        "line breaks": (SOURCE, _rep("a\n", n)),
        "colons": (SOURCE, _rep("x:", n)),
        "Korean units": (SOURCE, _rep("1만 ", n)),
        "invisible characters": (SOURCE, _rep("a\u200b", n)),
        "number words": (SOURCE, _rep("twenty one ", n)),
    }


def bench_pathological(quick: bool) -> list[dict]:
    n = 200_000
    runs = 3 if quick else 5
    results = []
    for name, (source, target) in shapes(n).items():
        cpu, wall = [], []
        for lang in ("en", "ko", "es"):
            for _ in range(runs):
                clear_caches()
                c, w = time.process_time(), time.perf_counter()
                check_entry(source, target, lang, GLOSSARY)
                cpu.append(time.process_time() - c)
                wall.append(time.perf_counter() - w)
        results.append((statistics.median(cpu), statistics.median(wall), name))
    results.sort(reverse=True)
    worst_cpu, worst_wall, worst = results[0]
    top = "; ".join(f"{name} {c:.2f} s" for c, _w, name in results[:4])
    return [row(f"check on one {n:,}-character entry, worst of {len(results)} shapes", worst_cpu, 1.0,
                "<= 1 s", worst_cpu <= 1.0,
                note=f"CPU time of check_entry, median over en/ko/es x {runs} runs, caches cleared; "
                     f"worst: {top}; wall time of the worst {worst_wall:.2f} s")]


# ------------------------------------------------------------------ `l10n check` at scale


def _cache() -> Path:
    cache = Path(os.environ.get("L10N_BENCH_CACHE", Path(tempfile.gettempdir()) / "l10n-bench"))
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def _archive(n: int) -> Path:
    from benchmarks.archive import generate

    src = _cache() / f"archive-{n}"
    if not (src / "l10n.yaml").exists():
        shutil.rmtree(src, ignore_errors=True)
        generate(src, n)
    return src


def _fresh_copy(n: int, name: str) -> Path:
    work = _cache() / name
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(_archive(n), work, ignore=shutil.ignore_patterns(".l10n"))
    return work


def _polib_parse_all(root: Path) -> tuple[float, float]:
    import polib

    files = sorted((root / "locales").glob("[a-z][a-z]/**/*.po"))
    w, c = time.perf_counter(), time.process_time()
    for f in files:
        polib.pofile(str(f))
    return time.perf_counter() - w, time.process_time() - c


def _timed_check(root: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(L10N + ["-C", str(root), "check", "--json"], env=ENV, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_warm(quick: bool) -> list[dict]:
    n = 200 if quick else 1000
    runs = 5 if quick else 7
    work = _fresh_copy(n, "check-work")
    cold_wall, cold_cpu = _timed_check(work)  # fills the cache
    anchors = [_polib_parse_all(work) for _ in range(runs)]
    warm = [_timed_check(work) for _ in range(runs)]
    anchor = statistics.median(a[0] for a in anchors)
    anchor_cpu = statistics.median(a[1] for a in anchors)
    ours = statistics.median(w[0] for w in warm)
    ours_cpu = statistics.median(w[1] for w in warm)
    return [row(f"warm check --json, {n} articles", ours, anchor, "<= 0.3x polib parse", ours <= 0.3 * anchor,
                note=f"CPU {ours_cpu:.3f} s vs polib {anchor_cpu:.3f} s ({ours_cpu / anchor_cpu:.2f}x); cold "
                     f"check {cold_wall:.1f} s wall, {cold_cpu:.1f} s CPU; {runs} runs each")]


_PEAK = """
import sys
from l10n.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as f:
    peak = next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))
print(peak, file=sys.stderr)
"""


def bench_memory(quick: bool) -> list[dict]:
    n = 300 if quick else 3000
    work = _fresh_copy(n, "check-memory")
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _PEAK, "-C", str(work), "check", "--json"], env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    peak = float(p.stderr.strip().splitlines()[-1])
    return [row(f"check peak memory, {n} articles (cold)", peak, 300.0, "<= 300 MB", peak <= 300, unit="MB",
                note=f"VmHWM of the check process (its own peak RSS), no cache; {wall:.0f} s wall")]


def run(quick: bool = False) -> list[dict]:
    return bench_entries(quick) + bench_shortcuts(quick) + bench_pathological(quick) + bench_warm(quick) \
        + bench_memory(quick)


if __name__ == "__main__":
    from benchmarks.run import main_for

    raise SystemExit(main_for(run))
