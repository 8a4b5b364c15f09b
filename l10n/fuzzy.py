"""`FuzzyIndex`: exact top-k ``rapidfuzz.fuzz.ratio`` search over many strings, the
engine behind the translation memory's suggestions (memory.py) and sync's fuzzy merge
(merge.py). How it stays exact and fast is described on the class.
"""
from __future__ import annotations

import re
from array import array
from collections import defaultdict, deque
from itertools import compress, repeat
from math import ceil
from operator import add as _concat

from rapidfuzz import fuzz, process

try:
    from collections import _count_elements  # the C helper behind Counter.update
except ImportError:  # pragma: no cover - other Python implementations
    def _count_elements(mapping, iterable):
        get = mapping.get
        for elem in iterable:
            mapping[elem] = get(elem, 0) + 1


_array_append = array.append
_more_than_one = (1).__lt__
_consume = deque(maxlen=0).extend
# Slack below a cutoff for the filters and for rapidfuzz's own score_cutoff, which is
# compared in single precision on some code paths (a score a few 1e-8 above the cutoff can
# be dropped). Final decisions compare rapidfuzz's double-precision scores exactly.
_EPS = 1e-3
_NONZERO_BYTE = re.compile(rb"[^\x00]")
_BITS_OF_BYTE = tuple(tuple(b for b in range(8) if byte >> b & 1) for byte in range(256))
_BYTE_BIT = tuple(1 << b for b in range(8))


def _gram_keys(text: str) -> tuple[list, list]:
    """Keys of ``text``'s character and bigram multisets.

    The k-th occurrence (k >= 2) of a gram ``g`` is the key ``(g, k)``, so the number of keys
    two strings share is the size of the multiset intersection of their grams.
    """
    keys: list[list] = []
    for grams in (text, map(_concat, text, text[1:])):
        counts: dict[str, int] = {}
        _count_elements(counts, grams)
        found = list(counts)
        for g, n in counts.items():
            if n > 1:
                found.extend((g, k) for k in range(2, n + 1))
        keys.append(found)
    return keys[0], keys[1]


def _ids_of(bits: int, limit: int | None = None) -> list[int]:
    """The positions of the set bits of ``bits``, ascending (the first ``limit`` of them)."""
    if not bits:
        return []
    raw = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    out: list[int] = []
    for m in _NONZERO_BYTE.finditer(raw):
        i = m.start()
        base = i << 3
        out.extend([base + b for b in _BITS_OF_BYTE[raw[i]]])
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def _bits_from_ids(ids) -> int:
    """A bitset (Python int) with the bits of the ascending ``ids`` set."""
    if not ids:
        return 0
    if len(ids) < 1024:
        buf = bytearray((ids[-1] >> 3) + 1)
        bit = _BYTE_BIT
        for i in ids:
            buf[i >> 3] |= bit[i & 7]
        return int.from_bytes(buf, "little")
    # Long lists: one byte per id (a cheaper loop), then every 8th byte becomes one bit
    # plane: bytes k, k+8, k+16... read as an int have their bits at 0, 8, 16...
    flags = bytearray(ids[-1] + 8)
    for i in ids:
        flags[i] = 1
    bits = 0
    for k in range(8):
        bits |= int.from_bytes(flags[k::8], "little") << k
    return bits


def _first(item):
    return item[0]


def _size_of(bits: int) -> int:
    return (bits.bit_length() + 7) >> 3


def _count_add(planes: list[int], bits: int) -> None:
    """Add the 0/1 vector ``bits`` to the bit-sliced counter ``planes`` (LSB plane first)."""
    carry = bits
    j = 0
    while carry:
        if j == len(planes):
            planes.append(carry)
            return
        p = planes[j]
        planes[j] = p ^ carry
        carry &= p
        j += 1


def _count_ge(planes: list[int], t: int, everything: int) -> int:
    """Bitset of the positions whose bit-sliced count is at least ``t``."""
    if t <= 0:
        return everything
    if t >> len(planes):
        return 0
    greater = 0
    equal = everything
    for j in range(len(planes) - 1, -1, -1):
        both = equal & planes[j]
        if t >> j & 1:
            equal = both
        else:
            greater |= both
            equal ^= both
        if not equal:
            break
    return greater | equal


def _top_level(planes: list[int], within: int) -> int:
    """The positions of ``within`` with the highest count."""
    best = within
    for p in reversed(planes):
        narrowed = best & p
        if narrowed:
            best = narrowed
    return best


class FuzzyIndex:
    """Exact top-k ``fuzz.ratio`` search over an append-only list of strings.

    ratio(a, b) = 200 * LCS(a, b) / (len a + len b), where LCS is the longest common
    subsequence. For a score of at least θ a candidate b therefore needs

    * a length in [la·θ/(200-θ), la·(200-θ)/θ] (LCS <= min(la, lb));
    * L = ceil(θ·(la+lb)/200) common characters (multiset intersection >= LCS);
    * 3L - (la+lb+1) common bigrams: the L matched characters form at most
      1 + (la-L) + (lb-L) runs that are contiguous in both strings, and a run of r matched
      characters carries r-1 bigrams that both strings contain.

    Every character and bigram key (with multiplicity, see ``_gram_keys``) has a posting
    list of string ids; frequent keys also get a bitset (a Python int, one bit per string),
    so that combining keys costs a few big-int operations in C whatever the length of their
    posting lists. Strings in the posting list of one of the query's rare keys are simply
    scored; every other string shares only bitset keys with the query.

    A search (1) scores seed strings, those sharing most of the query's rarest bigrams
    (bit-sliced counter), which sets θ to the limit-th best seed score if that beats
    min_score; (2) keeps the strings of a possible length that pass, when θ is high, a
    pigeonhole filter (a string missing at most m of the n keys contains all the keys of one
    of m+1 groups: an AND per key), otherwise an exact count of the common characters
    against L per length class; (3) scores those with rapidfuzz. Nothing that can reach θ is
    filtered out, so the result is the same as a brute-force scan.
    """

    #: keys with at most this many postings are handled by direct scoring, not bitsets
    rare_postings = 48
    #: upper bound, in bytes, of the bitsets kept between queries
    bitset_budget = 128 * 2**20
    #: at most this many strings: plain rapidfuzz over everything is as fast
    brute_force_below = 256
    #: how many of the query's rarest bigrams pick the seed strings
    seed_keys = 16

    def __init__(self) -> None:
        self.strings: list[str] = []
        self._postings: defaultdict[object, array] = defaultdict(lambda: array("i"))
        self._by_length: defaultdict[int, array] = defaultdict(lambda: array("i"))
        self._bitsets: dict[object, tuple[int, int]] = {}  # key -> (bitset, postings covered)
        self._bitset_bytes = 0
        self._length_bits: dict[int, tuple[int, int]] = {}
        self._indexed = 0  # strings[:_indexed] are in the posting lists

    def __len__(self) -> int:
        return len(self.strings)

    def add(self, text: str) -> int:
        """Append ``text``; returns its id. It is indexed on the next search."""
        self.strings.append(text)
        return len(self.strings) - 1

    def _sync(self) -> None:
        """Index the strings added since the last search."""
        strings = self.strings
        postings = self._postings
        get = postings.__getitem__
        by_length = self._by_length
        for i in range(self._indexed, len(strings)):
            text = strings[i]
            n = len(text)
            uni: dict[str, int] = {}
            _count_elements(uni, text)
            bi: dict[str, int] = {}
            _count_elements(bi, map(_concat, text, text[1:]))
            _consume(map(_array_append, map(get, uni), repeat(i)))
            _consume(map(_array_append, map(get, bi), repeat(i)))
            for grams, distinct in ((uni, n), (bi, n - 1)):
                if len(grams) != distinct:  # some gram occurs more than once
                    for g in compress(grams, map(_more_than_one, grams.values())):
                        for k in range(2, grams[g] + 1):
                            postings[g, k].append(i)
            by_length[n].append(i)
        self._indexed = len(strings)

    # -- bitsets ---------------------------------------------------------------------------

    def _cached_bits(self, cache: dict, key, ids: array, *, budgeted: bool) -> int:
        n = len(ids)
        hit = cache.get(key)
        if hit is not None:
            bits, covered = hit
            if covered == n:
                return bits
            if n - covered <= 32:  # a few strings added since: set their bits
                for i in ids[covered:]:
                    bits |= 1 << i
                cache[key] = (bits, n)
                return bits
        bits = _bits_from_ids(ids)
        if budgeted:
            if hit is not None:
                del cache[key]
                self._bitset_bytes -= _size_of(hit[0])
            size = _size_of(bits)
            while self._bitset_bytes + size > self.bitset_budget and cache:
                evicted, _ = cache.pop(next(iter(cache)))  # first in, first out
                self._bitset_bytes -= _size_of(evicted)
            if self._bitset_bytes + size > self.bitset_budget:
                return bits
            self._bitset_bytes += size
        cache[key] = (bits, n)
        return bits

    def _length_mask(self, lengths) -> int:
        """Bitset of the strings with one of the given lengths."""
        mask = 0
        for length in lengths:
            ids = self._by_length.get(length)
            if ids:
                mask |= self._cached_bits(self._length_bits, length, ids, budgeted=False)
        return mask

    def prepare(self, bitsets: bool = True) -> None:
        """Build now what the first searches would otherwise build: the posting lists and
        (with `bitsets`) the bitsets of the frequent keys (most frequent first, within
        the budget; otherwise each search builds those it needs, and keeps them)."""
        self._sync()
        if not bitsets:
            return
        size = (len(self.strings) + 7) >> 3
        for key, ids in sorted(self._postings.items(), key=lambda item: -len(item[1])):
            if len(ids) <= self.rare_postings or self._bitset_bytes + size > self.bitset_budget:
                break
            self._cached_bits(self._bitsets, key, ids, budgeted=True)
        self._length_mask(self._by_length)

    # -- search ----------------------------------------------------------------------------

    def search(self, query: str, limit: int, min_score: float) -> list[tuple[float, int]]:
        """(score, id) of every string scoring at least the ``limit``-th best score (and at
        least ``min_score``) against ``query``; in no particular order."""
        strings = self.strings
        if not strings or limit <= 0 or not query:
            return []
        cutoff = max(min_score, 0.0)
        if cutoff > 100.0:
            return []
        if len(strings) < self.brute_force_below:
            hits = process.extract(query, strings, scorer=fuzz.ratio,
                                   score_cutoff=max(cutoff - _EPS, 0.0), limit=None)
            return _top(hits, limit, cutoff)
        if self._indexed < len(strings):
            self._sync()

        la = len(query)
        uni, bi = _gram_keys(query)
        everything = (1 << len(strings)) - 1

        # The query's keys: frequent ones as bitsets (rarest first); the strings in the
        # posting lists of rare ones are scored directly ("exempt" from the filters), so a
        # string outside them shares only bitset keys with the query.
        exempt: set[int] = set()

        def bitsets(keys: list) -> list[int]:
            found = []
            for key in keys:
                ids = self._postings.get(key)
                if not ids:
                    continue
                if len(ids) <= self.rare_postings:
                    exempt.update(ids)
                else:
                    found.append((len(ids), self._cached_bits(self._bitsets, key, ids, budgeted=True)))
            found.sort(key=_first)
            return [bits for _, bits in found]

        uni_bits = bitsets(uni)
        bi_bits = bitsets(bi)

        # Seeds: the strings sharing the most of the query's rarest bigrams (characters for
        # a 1-character query); scoring them and the exempt strings gives a first cutoff.
        planes: list[int] = []
        for bits in (bi_bits or uni_bits)[:self.seed_keys]:
            _count_add(planes, bits)
        seeds: list[int] = []
        pool = everything
        while planes and pool and len(seeds) < limit + 3:
            top = _top_level(planes, pool)
            seeds.extend(_ids_of(top, 16))
            pool ^= top
        scored: dict[int, float] = {}
        first = exempt.union(seeds)
        self._score(query, first, max(cutoff - _EPS, 0.0), scored)
        if len(scored) >= limit:
            cutoff = max(cutoff, sorted(scored.values(), reverse=True)[limit - 1])

        # Everything else that can reach the cutoff.
        theta = cutoff - _EPS
        if theta <= 0:
            lo, hi = 0, max(self._by_length, default=0)
        else:
            lo = ceil(la * theta / (200.0 - theta))
            hi = int(la * (200.0 - theta) / theta)
        lengths = sorted(n for n in self._by_length if lo <= n <= hi)
        if not lengths:
            survivors = 0
        elif self._pigeonhole_pays(theta, la, lengths, len(uni_bits)):
            survivors = self._pigeonhole(theta, la, lengths, uni_bits, bi_bits)
        else:
            survivors = self._count_filter(theta, la, lengths, uni_bits, everything)
        candidates = [i for i in _ids_of(survivors) if i not in first]
        self._score(query, candidates, theta, scored)
        return _top(((None, s, i) for i, s in scored.items()), limit, cutoff)

    @staticmethod
    def _needs(theta: float, la: int, lb: int) -> tuple[int, int]:
        """Characters and bigrams a string of length ``lb`` shares with the query (length
        ``la``) if its ratio is at least ``theta``."""
        common = ceil(theta * (la + lb) / 200.0) if theta > 0 else 0
        return common, 3 * common - (la + lb + 1)

    def _pigeonhole_pays(self, theta, la, lengths, n_uni) -> bool:
        """Whether the pigeonhole filter is selective: groups of at least 4 characters."""
        need_uni = min(self._needs(theta, la, lb)[0] for lb in lengths)
        return need_uni > 0 and n_uni >= 4 * (n_uni - need_uni + 1)

    def _pigeonhole(self, theta, la, lengths, uni_bits, bi_bits) -> int:
        """Strings of the given lengths that contain every key of at least one group.

        A string sharing at least t of the query's n keys misses at most n - t of them, so
        if the keys are dealt into n - t + 1 groups, it contains all the keys of one group.
        The loosest requirement over the lengths holds for all of them.
        """
        survivors = self._length_mask(lengths)
        needs = [self._needs(theta, la, lb) for lb in lengths]
        need_uni = min(u for u, _ in needs)
        need_bi = min(b for _, b in needs)
        for bits_list, need in ((uni_bits, need_uni), (bi_bits, need_bi)):
            if need <= 0 or not survivors:
                continue
            n = len(bits_list)
            if need > n:
                return 0
            groups = n - need + 1
            if groups * 2 > n:  # groups of one key: too weak to pay for itself
                continue
            union = 0
            for g in range(groups):
                inter = survivors
                for bits in bits_list[g::groups]:
                    inter &= bits
                    if not inter:
                        break
                union |= inter
            survivors = union
        return survivors

    def _count_filter(self, theta, la, lengths, uni_bits, everything) -> int:
        """Strings sharing enough characters with the query, counted exactly, with the
        requirement of each class of three consecutive lengths. (Counting bigrams too
        costs more than it saves here: at such cutoffs few strings pass anyway.)"""
        planes: list[int] = []
        for bits in uni_bits:
            _count_add(planes, bits)
        survivors = 0
        at_least: dict[int, int] = {}
        for start in range(0, len(lengths), 3):
            group = lengths[start:start + 3]
            need = min(self._needs(theta, la, lb)[0] for lb in group)
            mask = self._length_mask(group)
            if need > 0:
                if need not in at_least:
                    at_least[need] = _count_ge(planes, need, everything)
                mask &= at_least[need]
            survivors |= mask
        return survivors

    def _score(self, query: str, ids, score_cutoff: float, out: dict[int, float]) -> None:
        ids = list(ids)
        if not ids:
            return
        strings = self.strings
        choices = [strings[i] for i in ids]
        for _, score, k in process.extract(query, choices, scorer=fuzz.ratio,
                                           score_cutoff=max(score_cutoff, 0.0), limit=None):
            out[ids[k]] = score


def _top(hits, limit: int, min_score: float) -> list[tuple[float, int]]:
    """Keep the hits scoring at least ``min_score`` and at least the limit-th best score."""
    kept = [(score, i) for _, score, i in hits if score >= min_score]
    if len(kept) > limit:
        kept.sort(reverse=True)
        floor = kept[limit - 1][0]
        kept = [h for h in kept if h[0] >= floor]
    return kept


