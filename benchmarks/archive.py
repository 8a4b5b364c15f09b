"""A synthetic archive for the benchmarks: N articles of realistic Japanese, 20 to 40
units each, with en/ko/es catalogs in mixed states.

    python -m benchmarks.archive DIR [--articles 1000]

Catalogs are produced by `l10n sync --no-mt` (so they are exactly what the tool writes),
then filled: per catalog, about 40 % approved, 20 % translated, 15 % draft, the rest
untranslated. Deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from benchmarks.bench_memory import japanese_sentences
from l10n import catalog as po
from l10n import review
from l10n.init import init_project
from l10n.project import Project
from l10n.sync import sync

HEADINGS = ("交流の経緯", "今後の展望", "主な取組", "参加者の声", "関係者の話")


def article_text(rng: random.Random, sentences: list[str], title: str, n_units: int,
                 date: str) -> str:
    body: list[str] = []
    units = n_units - 2  # title and summary
    i = 0
    while i < units:
        kind = rng.random()
        if kind < 0.12 and i + 1 < units:
            body.append("## " + rng.choice(HEADINGS) + f"（{i}）")
            i += 1
        elif kind < 0.22 and i + 3 < units:
            body.append("\n".join("- " + sentences.pop() for _ in range(3)))
            i += 3
        else:
            k = min(units - i, rng.randint(2, 4))
            body.append("".join(sentences.pop() for _ in range(k)))
            i += k
    summary = sentences.pop()
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {date}\n"
            f"summary: {json.dumps(summary, ensure_ascii=False)}\n"
            f"tags: [交流]\n---\n\n" + "\n\n".join(body) + "\n")


def fill_states(cat: po.Catalog, rng: random.Random, lang: str) -> None:
    for e in cat.active():
        r = rng.random()
        if r < 0.25:
            continue
        e.msgstr = f"{lang.upper()} translation of a {len(e.msgid)}-character sentence."
        if r < 0.40:
            review.set_draft(e, e.msgstr, "deepl")
        elif r < 0.60:
            review.set_translation(e, e.msgstr, "Bench Translator", "2026-01-01T00:00:00Z")
        else:
            review.set_translation(e, e.msgstr, "Bench Translator", "2026-01-01T00:00:00Z")
            review.approve(e, "Bench Reviewer", "2026-01-02T00:00:00Z")


def generate(root: Path, n_articles: int = 1000, seed: int = 7) -> Project:
    rng = random.Random(seed)
    init_project(root)
    pool = japanese_sentences(n_articles * 42, seed)
    rng.shuffle(pool)
    for i in range(n_articles):
        issue = f"{2010 + i // 120:04d}-{(i // 10) % 12 + 1:02d}"
        d = root / "content" / issue
        d.mkdir(parents=True, exist_ok=True)
        n_units = rng.randint(20, 40)
        title = f"第{i + 1}号の記事：" + pool.pop()[:20]
        (d / f"article-{i:04d}.md").write_text(
            article_text(rng, pool, title, n_units, f"{issue}-01"), "utf-8")
    project = Project(root)
    sync(project)
    for aid in project.article_ids():
        for lang in project.languages:
            path = project.catalog_path(lang, aid)
            cat = po.read(path)
            fill_states(cat, rng, lang)
            path.write_bytes(po.serialize(cat))
    sync(project)  # let sync see the catalogs as they now are
    return project


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    t = time.perf_counter()
    generate(a.dir, a.articles, a.seed)
    print(f"generated {a.articles} articles in {a.dir} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
