"""The project glossary: fixed translations for Japanese terms.

`locales/glossary.yaml` is a YAML list of mappings::

    - ja: 大分県
      en: Oita Prefecture
      ko: 오이타현
      es: prefectura de Oita
      note: optional

Every key other than ``ja`` and ``note`` is a language code whose value is the
translation for that language. All text is NFC-normalized (never NFKC: full-width
letters stay full-width) and stripped of surrounding whitespace. A key with an empty
value (``ko:`` or ``ko: ""``) means "no translation yet" and is left out.

Bad input raises `InputError` naming the file and the line: YAML syntax errors at the
line the parser reports; structural problems (not a list, an item that is not a
mapping, a missing or empty ``ja``, a value that is not a string, a repeated key, a
``ja`` already defined earlier) at the line where the offending item starts.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError, yaml_error_line, yaml_loader

__all__ = ["Term", "Glossary", "load_glossary", "parse_glossary"]

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    `translations` maps a language code ("en", "ko", "es", ...) to the required
    translation. `line` is the 1-based line of the item in the glossary file (0 when
    the term was built in code); it is for messages only and is ignored by equality
    and by `Glossary.version`.
    """

    ja: str
    translations: dict[str, str] = field(hash=False)
    note: str = ""
    line: int = field(default=0, compare=False)

    def __hash__(self) -> int:  # dict fields are unhashable; hash the content instead
        return hash((self.ja, tuple(sorted(self.translations.items())), self.note))


class Glossary:
    """A set of terms with fast longest-match lookup in Japanese text."""

    terms: list[Term]

    def __init__(self, terms: list[Term]):
        self.terms = list(terms)
        # First character -> {term length -> {ja text -> term}}; lengths tried longest
        # first. A scan costs O(len(source) * distinct lengths per first character),
        # independent of the number of terms.
        index: dict[str, dict[int, dict[str, Term]]] = {}
        for term in self.terms:
            if not term.ja:
                continue
            by_len = index.setdefault(term.ja[0], {})
            by_len.setdefault(len(term.ja), {}).setdefault(term.ja, term)
        self._index: dict[str, list[tuple[int, dict[str, Term]]]] = {
            first: sorted(by_len.items(), key=lambda kv: -kv[0]) for first, by_len in index.items()
        }
        self._version: str | None = None

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)

    def __repr__(self) -> str:
        return f"Glossary({len(self.terms)} terms, version={self.version()})"

    def hits(self, source: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping ``(start, end, term)`` spans of glossary terms in `source`.

        Scans left to right; at each position the longest term that starts there wins
        (奈良県知事 beats 奈良県), and the scan resumes after it. Spans are in order of
        position and index into the NFC form of `source` (the same string when the
        source is already NFC, as everything loaded by this project is).
        """
        if not self._index or not source:
            return []
        text = source if unicodedata.is_normalized("NFC", source) else unicodedata.normalize("NFC", source)
        index = self._index
        found: list[tuple[int, int, Term]] = []
        i, n = 0, len(text)
        while i < n:
            candidates = index.get(text[i])
            if candidates:
                for length, by_text in candidates:
                    term = by_text.get(text[i:i + length])
                    if term is not None:
                        found.append((i, i + length, term))
                        i += length
                        break
                else:
                    i += 1
            else:
                i += 1
        return found

    def for_lang(self, lang: str) -> list[tuple[str, str]]:
        """``(ja, translation)`` pairs of the terms that have a translation for `lang`."""
        return [(t.ja, t.translations[lang]) for t in self.terms if t.translations.get(lang)]

    def version(self) -> str:
        """A stable content hash: the first 16 hex digits of a SHA-256.

        It covers every term's ``ja``, translations and note (normalized, order of terms
        and of keys ignored), so it changes if and only if a term is added, removed or
        edited; comments, blank lines, key order and line numbers do not count.
        """
        if self._version is None:
            canonical = sorted(
                (
                    [_nfc(t.ja), sorted((k, _nfc(v)) for k, v in t.translations.items() if _nfc(v)), _nfc(t.note)]
                    for t in self.terms
                ),
                key=lambda item: json.dumps(item, ensure_ascii=False),
            )
            payload = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
            self._version = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        return self._version


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        kind = node.tag.rsplit(":", 1)[-1]
        return f"{kind} {node.value!r}" if node.value else kind
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a mapping"


def load_glossary(path: Path) -> Glossary:
    """Load and validate a glossary file. A missing file gives an empty glossary."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Glossary([])
    except OSError as exc:
        raise InputError(f"cannot read the glossary: {exc.strerror or exc}", path) from exc
    return parse_glossary(raw, path)


def parse_glossary(raw: bytes, path: Path) -> Glossary:
    """Validate the glossary's bytes (`path` is for messages): what `load_glossary` reads."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError("the glossary is not valid UTF-8", path, line) from exc

    try:
        root = yaml.compose(text, Loader=yaml_loader())
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"invalid YAML in the glossary: {problem}", path, yaml_error_line(exc, text)) from exc

    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG):
        return Glossary([])
    if not isinstance(root, yaml.SequenceNode):
        raise InputError(
            f"the glossary must be a YAML list of terms, not {_describe(root)}", path, root.start_mark.line + 1
        )

    terms: list[Term] = []
    first_line: dict[str, int] = {}
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise InputError(f"a glossary term must be a mapping with a 'ja' key, not {_describe(item)}", path, line)
        values: dict[str, str | None] = {}
        for key_node, value_node in item.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR_TAG and key_node.value.strip()):
                raise InputError(f"a glossary key must be a language code or 'note', not {_describe(key_node)}",
                                 path, line)
            key = key_node.value.strip()
            if key in values:
                raise InputError(f"the key '{key}' appears twice in this term", path, line)
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _STR_TAG:
                values[key] = _nfc(value_node.value)
            elif isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL_TAG:
                values[key] = None
            else:
                raise InputError(f"the value of '{key}' must be a string, not {_describe(value_node)}", path, line)
        ja = values.pop("ja", None)
        if ja is None and "ja" not in {k.value for k, _ in item.value}:
            raise InputError("this glossary term has no 'ja' key", path, line)
        if not ja:
            raise InputError("the 'ja' of this glossary term is empty", path, line)
        if ja in first_line:
            raise InputError(f"the term '{ja}' is already defined at line {first_line[ja]}", path, line)
        first_line[ja] = line
        note = values.pop("note", None) or ""
        translations = {lang: text for lang, text in values.items() if text}
        terms.append(Term(ja=ja, translations=translations, note=note, line=line))
    return Glossary(terms)
