"""Our merge makes the same decisions as GNU msgmerge --previous."""
from __future__ import annotations

import random
import subprocess

from benchmarks.bench_memory import japanese_sentences
from l10n import catalog as po
from l10n.catalog import Catalog, Entry, make_headers
from l10n.merge import merge


def test_same_fuzzy_decisions_as_gnu_msgmerge(tmp_path):
    rng = random.Random(4)
    src = japanese_sentences(3000, 21)
    old = Catalog(headers=make_headers("ko"))
    old.entries = [Entry(s, f"번역 {i}.", rng.choice(["body", "caption"])) for i, s in enumerate(src)]
    new_ids = []
    for s in src:
        r = rng.random()
        if r < 0.08:  # a small edit: should be a fuzzy match
            t = list(s)
            for _ in range(rng.randint(1, 3)):
                t[rng.randrange(len(t))] = rng.choice("県市町村国際交流")
            new_ids.append("".join(t))
        elif r < 0.10:  # rewritten: no match
            new_ids.append(japanese_sentences(1, rng.randrange(10**6))[0])
        elif r < 0.13:  # removed
            continue
        else:
            new_ids.append(s)
    ctx = {e.msgid: e.msgctxt for e in old.entries}
    pot = Catalog(headers=make_headers(None))
    pot.entries = [Entry(m, "", ctx.get(m, "body")) for m in new_ids]
    (tmp_path / "old.po").write_bytes(po.serialize(old))
    (tmp_path / "new.pot").write_bytes(po.serialize(pot))
    subprocess.run(["msgmerge", "--previous", "--no-wrap", "-q", "-o", str(tmp_path / "gnu.po"),
                    str(tmp_path / "old.po"), str(tmp_path / "new.pot")], check=True)
    gnu = po.read(tmp_path / "gnu.po")
    ours = merge(pot, old, "ko")
    from l10n.merge import FuzzyMatcher

    FuzzyMatcher.BRUTE_FORCE_PAIRS, saved = 0, FuzzyMatcher.BRUTE_FORCE_PAIRS
    try:
        indexed = merge(pot, old, "ko")  # the index path (large catalogs) as well
    finally:
        FuzzyMatcher.BRUTE_FORCE_PAIRS = saved

    def decisions(cat):
        return {e.key: (e.fuzzy, e.msgstr, e.previous_msgid) for e in cat.entries if not e.obsolete}

    g, o, x = decisions(gnu), decisions(ours), decisions(indexed)
    assert sum(1 for k in g if g[k] == x[k]) / len(g) >= 0.99
    assert set(g) == set(o)
    fuzzy = [k for k, v in g.items() if v[0]]
    assert len(fuzzy) > 100  # the test exercises fuzzy matching for real
    same = sum(1 for k in g if g[k] == o[k])
    assert same / len(g) >= 0.99, [(k[1], g[k], o[k]) for k in g if g[k] != o[k]][:5]
    # obsolete entries: the same set as GNU keeps
    assert {e.key for e in gnu.obsolete()} == {e.key for e in ours.obsolete()}
