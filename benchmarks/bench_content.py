"""Pathological sources are linear (issue 13: "2,000 backticks in a source take 27 s").

Rows: segmenting a 200,000-character paragraph made of the worst shapes we know
(backtick runs with and without closers, brackets, quotes, emphasis runs, complete
bracketed sentences), against an ordinary Japanese paragraph of the same length; and
reading a whole article whose body is 200,000 characters of backticks (front matter,
markdown-it-py, segmentation). The time at 200,000 characters over the time at 100,000
shows the growth: about 2 is linear, 4 would be quadratic. Target: at most 1 s (as
issue 13 asks of `check` on one 200,000-character entry) and linear growth; the anchor,
ordinary text cut into as many sentences, shows what the shape itself costs."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from l10n.article import parse_article
from l10n.segmenter import segment

N = 200_000


def shapes(n: int) -> dict[str, str]:
    return {
        "backticks": "`" * n,
        "backtick pairs": "`a" * (n // 2),
        "backtick runs 1..500": "".join("`" * (i % 500 + 1) + "あ。" for i in range(n))[:n],
        "link brackets": "[`" * (n // 2),
        "quotes": '「"' * (n // 2),
        "emphasis": "*_" * (n // 2),
        "bracketed sentences": "（。）" * (n // 3),
        "quotations": "「。」" * (n // 3),
    }


def ordinary(n: int) -> str:
    """Short ordinary sentences: as many units per character as the worst shapes make."""
    s = "晴れ。"
    return (s * (n // len(s) + 1))[:n]


def _time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)  # the least disturbed run: the machine is shared


def _article(body: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    p = d / "a.md"
    lines = [body[i:i + 19_000] for i in range(0, len(body), 19_000)]  # under MAX_LINE
    p.write_text("---\ntitle: 題\ndate: 2026-02-01\n---\n\n" + "\n".join(lines) + "\n", "utf-8")
    return p


def run(quick: bool = False) -> list[dict]:
    n = N // 4 if quick else N
    runs = 3 if quick else 5
    anchor = _time(lambda: segment(ordinary(n)), runs)
    worst_name, worst, growth = "", 0.0, 0.0
    for name, text in shapes(n).items():
        half = shapes(n // 2)[name]
        t = _time(lambda: segment(text), runs)
        t_half = _time(lambda: segment(half), runs)
        if t > worst:
            worst_name, worst, growth = name, t, t / max(t_half, 1e-9)
    rows = [{"name": f"segment a {n:,}-character pathological paragraph (worst shape)",
             "ours": worst, "anchor": anchor, "unit": "s", "ratio": worst / anchor,
             "target": "<= 1 s, linear", "ok": worst <= 1.0 and growth <= 2.8,
             "note": f"worst shape: {worst_name}; time at {n:,} / at {n // 2:,} = {growth:.2f} "
                     "(2 is linear); anchor: the same length of short ordinary sentences "
                     "(晴れ。 repeated: one unit per 3 characters)"}]
    big, half = _article("`" * n), _article("`" * (n // 2))
    t = _time(lambda: parse_article(big, "x/a"), runs)
    t_half = _time(lambda: parse_article(half, "x/a"), runs)
    rows.append({"name": f"read an article of {n:,} backticks (front matter, Markdown, units)",
                 "ours": t, "anchor": None, "unit": "s", "ratio": None, "target": "<= 1 s",
                 "ok": t <= 1.0,
                 "note": f"time at {n:,} / at {n // 2:,} = {t / max(t_half, 1e-9):.2f} (2 is linear); "
                         "was 27 s for 2,000 backticks in `check` (checks.py's code-span regex, "
                         "not the source side)"})
    return rows


if __name__ == "__main__":
    from benchmarks.run import main_for

    raise SystemExit(main_for(run))
