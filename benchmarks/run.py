"""Run every benchmark and print one table.

    python -m benchmarks.run            # the full set (about 10 minutes on 2 cores)
    python -m benchmarks.run --quick    # smaller inputs, for a smoke test

Each row: our figure, the anchor measured in the same run, the ratio, the target and
whether it holds. Medians of at least 5 runs. See docs/benchmarks.md.
"""
from __future__ import annotations

import importlib
import platform
import sys
import time

MODULES = ["benchmarks.bench_archive", "benchmarks.bench_memory", "benchmarks.bench_checks",
           "benchmarks.bench_tui", "benchmarks.bench_latency", "benchmarks.bench_deepl", "benchmarks.bench_audit",
           "benchmarks.bench_content"]


def fmt(v, unit: str) -> str:
    if v is None:
        return "-"
    if unit == "s":
        return f"{v:.3f} s"
    if unit == "ms":
        return f"{v:.2f} ms"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:.4g} {unit}"


def print_table(rows: list[dict], out=sys.stdout) -> None:
    head = ("benchmark", "ours", "anchor", "ratio", "target", "ok")
    table = [head]
    for r in rows:
        ratio = r.get("ratio")
        table.append((r["name"], fmt(r["ours"], r.get("unit", "s")),
                      fmt(r.get("anchor"), r.get("unit", "s")),
                      f"{ratio:.3f}x" if isinstance(ratio, (int, float)) else "-",
                      r["target"], "yes" if r["ok"] else "NO"))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]
    for i, row in enumerate(table):
        out.write("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |\n")
        if i == 0:
            out.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
    notes = [f"- {r['name']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        out.write("\n" + "\n".join(notes) + "\n")


def main_for(run) -> int:
    """`python -m benchmarks.bench_X [--quick]`: one module's rows as a table."""
    rows = run(quick="--quick" in sys.argv[1:])
    print_table(rows)
    return 0 if all(r["ok"] for r in rows) else 1


def main() -> int:
    quick = "--quick" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows: list[dict] = []
    t = time.time()
    for name in MODULES:
        if only and not any(o in name for o in only):
            continue
        mod = importlib.import_module(name)
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows += mod.run(quick=quick)
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores; {time.time() - t:.0f} s\n")
    print_table(rows)
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
