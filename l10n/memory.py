"""Translation memory: Japanese source segments and their translations, per target language.

Fuzzy lookup is exact with respect to ``rapidfuzz.fuzz.ratio``: ``suggest()`` returns the
same sources and scores a brute-force scan with ``fuzz.ratio`` would, only much faster on a
large memory. How that works is described on ``fuzzy.FuzzyIndex``.

TMX 1.4 export/import (to commit the memory and exchange it with other CAT tools) is in
tmx.py.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterator

from .fuzzy import FuzzyIndex

__all__ = ["Suggestion", "TranslationMemory"]


@dataclass(frozen=True)
class Suggestion:
    """One translation from the memory for a query segment."""

    source: str
    target: str
    score: float  # 0–100: rapidfuzz fuzz.ratio of the query and ``source`` (100 = identical)
    origin: str


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# ----------------------------------------------------------------------------------------
# Translation memory
# ----------------------------------------------------------------------------------------


class _Language:
    __slots__ = ("index", "ids", "targets")

    def __init__(self) -> None:
        self.index = FuzzyIndex()
        self.ids: dict[str, int] = {}
        self.targets: list[list[tuple[str, str]]] = []  # per source id: (target, origin), oldest first


class TranslationMemory:
    """Pairs of (Japanese source segment, translation) with their origin, per target language.

    Sources are normalised to NFC. Adding a second, different translation of a source keeps
    both; the most recent one comes first. Adding a translation again makes it the most
    recent and records the new origin.
    """

    def __init__(self) -> None:
        self._langs: dict[str, _Language] = {}
        self._size = 0

    def add(self, lang: str, source: str, target: str, origin: str = "") -> None:
        if not lang or not isinstance(lang, str):
            raise ValueError("the language of a translation memory entry must be a non-empty string")
        if not source or not target:
            raise ValueError("translation memory entries need a non-empty source and target")
        source = _nfc(source)
        store = self._langs.get(lang)
        if store is None:
            store = self._langs[lang] = _Language()
        i = store.ids.get(source)
        if i is None:
            i = store.ids[source] = store.index.add(source)
            store.targets.append([])
        entries = store.targets[i]
        for k, (known, _) in enumerate(entries):
            if known == target:
                del entries[k]
                self._size -= 1
                break
        entries.append((target, origin))
        self._size += 1

    def discard(self, lang: str, source: str, target: str) -> bool:
        """Forget one translation of `source` (an undone save must not come back as a
        100% match). The source stays indexed, with its other translations."""
        store = self._langs.get(lang)
        i = store.ids.get(_nfc(source)) if store is not None and source else None
        if i is None:
            return False
        entries = store.targets[i]
        for k, (known, _) in enumerate(entries):
            if known == target:
                del entries[k]
                self._size -= 1
                return True
        return False

    def has(self, lang: str, source: str, target: str) -> bool:
        """Whether the memory holds this translation of `source`."""
        store = self._langs.get(lang)
        i = store.ids.get(_nfc(source)) if store is not None and source else None
        return i is not None and any(known == target for known, _ in store.targets[i])

    def exact(self, lang: str, source: str) -> Suggestion | None:
        store = self._langs.get(lang)
        if store is None or not source:
            return None
        source = _nfc(source)
        i = store.ids.get(source)
        if i is None or not store.targets[i]:  # unknown, or every translation discarded
            return None
        target, origin = store.targets[i][-1]
        return Suggestion(source, target, 100.0, origin)

    def suggest(self, lang: str, source: str, limit: int = 3, min_score: float = 60.0) -> list[Suggestion]:
        """The ``limit`` best translations of sources similar to ``source``.

        Ranked by score (best first), then by source text, then most recent translation
        first; only sources scoring at least ``min_score`` are considered.
        """
        store = self._langs.get(lang)
        if store is None or limit <= 0 or not source:
            return []
        source = _nfc(source)
        index = store.index
        hits = index.search(source, limit, min_score)
        hits.sort(key=lambda h: (-h[0], index.strings[h[1]]))
        out: list[Suggestion] = []
        for score, i in hits:
            text = index.strings[i]
            for target, origin in reversed(store.targets[i]):  # none left: all discarded
                out.append(Suggestion(text, target, float(score), origin))
                if len(out) == limit:
                    return out
        return out

    def best(self, lang: str, source: str, min_score: float = 60.0) -> Suggestion | None:
        found = self.suggest(lang, source, limit=1, min_score=min_score)
        return found[0] if found else None

    def prepare(self, lang: str | None = None, *, bitsets: bool = True) -> None:
        """Index the memory now (it is otherwise indexed on the first fuzzy lookup), e.g.
        in the background after loading a large memory; without `bitsets`, only the
        posting lists (FuzzyIndex.prepare)."""
        for code in self.languages() if lang is None else [lang]:
            store = self._langs.get(code)
            if store is not None:
                store.index.prepare(bitsets)

    def languages(self) -> list[str]:
        return sorted(self._langs)

    def pairs(self, lang: str | None = None) -> Iterator[tuple[str, str, str, str]]:
        """(lang, source, target, origin): languages sorted, sources in the order they were
        first added, each source's translations oldest first, so that adding the pairs in
        this order to an empty memory rebuilds the same memory."""
        langs = self.languages() if lang is None else ([lang] if lang in self._langs else [])
        for code in langs:
            store = self._langs[code]
            for text, entries in zip(store.index.strings, store.targets):
                for target, origin in entries:
                    yield code, text, target, origin

    def __len__(self) -> int:
        return self._size
