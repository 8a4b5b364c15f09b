"""Every quality check over 10,000 entries; time per 1,000 entries (issue 4).

The entries are realistic pairs: generated Japanese sentences with numbers, dates and
glossary terms, and English, Korean and Spanish targets (some with defects)."""
from __future__ import annotations

import random
import statistics
import time

from benchmarks.bench_memory import japanese_sentences
from l10n.checks import check_consistency, check_entry
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


def run(quick: bool = False) -> list[dict]:
    n = 2_000 if quick else 10_000
    data = entries(n)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        for s, tr, lang in data:
            check_entry(s, tr, lang, GLOSSARY)
        check_consistency((f"a{i % 50}", lang, s, tr) for i, (s, tr, lang) in enumerate(data))
        times.append(time.perf_counter() - t)
    per_1000 = statistics.median(times) / n * 1000 * 1000  # ms per 1,000 entries
    return [{"name": f"every check over {n:,} entries (per 1,000)", "ours": per_1000,
             "anchor": None, "unit": "ms", "ratio": None, "target": "reported",
             "ok": True, "note": f"{statistics.median(times):.2f} s for all {n:,} entries"}]


if __name__ == "__main__":
    from benchmarks.run import main_for

    raise SystemExit(main_for(run))
