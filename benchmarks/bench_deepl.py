"""DeepL failures reported in time (issue 14): `l10n sync` against a port where nothing
listens, the whole command in a subprocess (start-up included), target <= 3 s. Before,
the client's 5 retries took 16.5 s."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(quick: bool = False) -> list[dict]:
    from tests.conftest import copy_sample
    from tests.fake_deepl import closed_url

    times, codes = [], set()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_sample(Path(tmp) / "sample")
        env = dict(os.environ, DEEPL_AUTH_KEY="0a1b2c3d-4e5f-6789-abcd-ef0123456789:fx",
                   DEEPL_SERVER_URL=closed_url(), PYTHONPATH=str(REPO))
        for _ in range(3 if quick else 5):
            t = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "l10n", "-C", str(root), "sync", "--lang", "en"],
                               env=env, capture_output=True, text=True, timeout=120)
            times.append(time.perf_counter() - t)
            codes.add(p.returncode)
    med = statistics.median(times)
    return [{"name": "sync, DeepL port closed: error reported", "ours": med, "anchor": None,
             "unit": "s", "ratio": None, "target": "<= 3 s, exit 1",
             "ok": med <= 3.0 and codes == {1}, "note": f"exit codes {sorted(codes)}"}]


if __name__ == "__main__":
    from benchmarks.run import main_for

    raise SystemExit(main_for(run))
