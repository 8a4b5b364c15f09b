"""The consistency check: one source translated the same way in every article."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Iterable

from .registry import Finding, finding, register

register("consistency", "warning", "The same source text is translated the same way in every article.")


def norm_key(text: str) -> str:
    """What consistency compares: NFC, runs of whitespace as one space, stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def check_consistency(
    items: Iterable[tuple[str, str, str, str]],
) -> dict[tuple[str, str, str, str], list[Finding]]:
    """Find sources translated differently in the same language.

    `items` are ``(article_id, lang, source, target)`` for translated entries across
    articles. The result maps each item tuple, exactly as given, whose target differs
    from another translation of the same source (same language, compared after NFC
    and whitespace normalization) to one ``consistency`` warning naming the other
    translation(s) and the article(s) that use them; consistent items are left out.
    So a caller looks up ``result.get((article_id, lang, source, target), [])`` for each
    entry. Empty targets are ignored.
    """
    groups: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    display: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    item_list = []
    for article_id, lang, source, target in items:
        if not target or not target.strip() or not source or not source.strip():
            continue
        key = (lang, norm_key(source))
        norm_target = norm_key(target)
        groups[key][norm_target].add(str(article_id))
        display[key].setdefault(norm_target, target.strip())
        item_list.append(((article_id, lang, source, target), key, norm_target))
    result: dict[tuple[str, str, str, str], list[Finding]] = {}
    for item, key, norm_target in item_list:
        variants = groups[key]
        if len(variants) < 2 or item in result:
            continue
        others = sorted(
            ((t, arts) for t, arts in variants.items() if t != norm_target),
            key=lambda kv: (-len(kv[1]), kv[0]),
        )
        parts = []
        for text, articles in others[:3]:
            arts = sorted(articles)
            names = ", ".join(arts[:3]) + (f" and {len(arts) - 3} more" if len(arts) > 3 else "")
            label = "article" if len(arts) == 1 else "articles"
            parts.append(f'"{display[key][text]}" ({label} {names})')
        more = f" and {len(others) - 3} other version(s)" if len(others) > 3 else ""
        message = f"This source is translated differently elsewhere: {'; '.join(parts)}{more}."
        result[item] = [finding("consistency", message)]
    return result
