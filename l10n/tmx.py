"""TMX 1.4 export and import of the translation memory (memory.py), so that it can be
committed (`locales/memory.tmx`) and exchanged with other CAT tools.

The reader is expat with no DTD ever loaded: a DOCTYPE with an internal subset, an
entity declaration or an undefined entity is refused, and nothing is added unless the
whole file is valid.
"""
from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

from l10n import __version__
from l10n.errors import InputError
from l10n.memory import TranslationMemory
from l10n.storage import atomic_write

__all__ = ["export_tmx", "import_tmx"]


def _xml_escape(text: str, extra: dict[str, str] | None = None) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for k, v in (extra or {}).items():
        text = text.replace(k, v)
    return text


def _xml_quoteattr(text: str) -> str:
    return '"' + _xml_escape(text, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}) + '"'


_ORIGIN_PROP = "x-origin"
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _seg_text(text: str, path: Path) -> str:
    bad = _XML_UNSAFE.search(text)
    if bad:
        raise InputError(f"cannot write U+{ord(bad.group()):04X} to TMX (not allowed in XML 1.0): {text[:40]!r}", path)
    return _xml_escape(text, {"\r": "&#13;"})


def export_tmx(tm: TranslationMemory, path: Path, srclang: str = "ja") -> int:
    """Write ``tm`` as TMX 1.4 to ``path`` (atomically); returns the number of <tu>.

    One <tu> per source and variant: the k-th oldest translation of the source in each
    language shares the k-th <tu>. <tu> are sorted by source text, so the file is
    deterministic. Each translation's origin is kept in ``<prop type="x-origin">``.
    """
    path = Path(path)
    by_source: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for lang, source, target, origin in tm.pairs():
        by_source.setdefault(source, {}).setdefault(lang, []).append((target, origin))

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tmx version="1.4">',
        f'  <header creationtool="l10n" creationtoolversion={_xml_quoteattr(__version__)}'
        f' datatype="plaintext" segtype="sentence" adminlang="en" srclang={_xml_quoteattr(srclang)}'
        ' o-tmf="l10n"/>',
        "  <body>",
    ]
    count = 0
    for source in sorted(by_source):
        langs = by_source[source]
        src = _seg_text(source, path)
        for k in range(max(len(v) for v in langs.values())):
            lines.append("    <tu>")
            lines.append(f"      <tuv xml:lang={_xml_quoteattr(srclang)}><seg>{src}</seg></tuv>")
            for lang in sorted(langs):
                if k < len(langs[lang]):
                    target, origin = langs[lang][k]
                    prop = (f'<prop type="{_ORIGIN_PROP}">{_seg_text(origin, path)}</prop>'
                            if origin else "")
                    lines.append(f"      <tuv xml:lang={_xml_quoteattr(lang)}>{prop}"
                                 f"<seg>{_seg_text(target, path)}</seg></tuv>")
            lines.append("    </tu>")
            count += 1
    lines += ["  </body>", "</tmx>", ""]
    atomic_write(path, "\n".join(lines).encode("utf-8"))
    return count


def _base_lang(code: str) -> str:
    return code.strip().replace("_", "-").split("-", 1)[0].lower()


# Inline elements whose content is native code (formatting markup of the original file).
_NATIVE_CODE = frozenset({"bpt", "ept", "ph", "it", "ut"})


class _TmxReader:
    """Collects (source, [(lang, target, origin)]) from a TMX file with expat.

    No DTD is ever loaded; a DOCTYPE with an internal subset (where entities would be
    declared) is refused, as is any entity declaration or undefined entity.
    """

    def __init__(self, path: Path, srclang: str) -> None:
        self.path = path
        self.srclang = _base_lang(srclang)
        self.units: list[tuple[str, list[tuple[str, str, str | None]]]] = []
        self.parser = p = expat.ParserCreate()
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity_decl
        p.SkippedEntityHandler = self._skipped_entity
        p.ExternalEntityRefHandler = self._external_entity
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._data
        self.depth = 0
        self.root_seen = False
        self.tuvs: list[tuple[str, str, str | None]] | None = None
        self.lang: str | None = None
        self.seg: list[str] | None = None
        self.seg_text: str | None = None
        self.native = 0
        self.prop: list[str] | None = None
        self.origin: str | None = None

    def fail(self, message: str) -> InputError:
        return InputError(message, self.path, self.parser.CurrentLineNumber)

    def _doctype(self, name, system_id, public_id, has_internal_subset) -> None:
        if has_internal_subset:
            raise self.fail("refusing a TMX file with a DOCTYPE internal subset (entity declarations are not allowed)")

    def _entity_decl(self, *args) -> None:
        raise self.fail("refusing a TMX file that declares XML entities")

    def _skipped_entity(self, name, is_parameter_entity) -> None:
        raise self.fail(f"undefined XML entity &{name};")

    def _external_entity(self, *args) -> int:
        raise self.fail("refusing to load an external XML entity")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            if name != "tmx":
                raise self.fail(f"not a TMX file: the root element is <{name}>, not <tmx>")
            self.root_seen = True
            return
        if self.seg is not None:
            if self.native or name in _NATIVE_CODE:
                self.native += 1
            return
        if name == "tu":
            self.tuvs = []
        elif name == "tuv" and self.tuvs is not None:
            self.lang = _base_lang(attrs.get("xml:lang") or attrs.get("lang") or "")
            if not self.lang:
                raise self.fail("<tuv> without a language (xml:lang)")
            self.seg_text = None
            self.origin = None
        elif name == "seg" and self.lang is not None:
            self.seg = []
            self.native = 0
        elif name == "prop" and self.lang is not None and attrs.get("type") == _ORIGIN_PROP:
            self.prop = []

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self.seg is not None:
            if name == "seg" and not self.native:
                if self.seg_text is None:
                    self.seg_text = "".join(self.seg)
                self.seg = None
            elif self.native:
                self.native -= 1
            return
        if name == "prop" and self.prop is not None:
            self.origin = "".join(self.prop)
            self.prop = None
        elif name == "tuv" and self.lang is not None:
            if self.tuvs is not None and self.seg_text is not None:
                self.tuvs.append((self.lang, self.seg_text, self.origin))
            self.lang = None
        elif name == "tu" and self.tuvs is not None:
            tuvs, self.tuvs = self.tuvs, None
            source = next((text for lang, text, _ in tuvs if lang == self.srclang), None)
            if source and source.strip():
                targets = [(lang, text, origin) for lang, text, origin in tuvs
                           if lang != self.srclang and text.strip()]
                if targets:
                    self.units.append((source, targets))

    def _data(self, data: str) -> None:
        if self.seg is not None:
            if not self.native:
                self.seg.append(data)
        elif self.prop is not None:
            self.prop.append(data)

    def read(self) -> list[tuple[str, list[tuple[str, str, str | None]]]]:
        try:
            with open(self.path, "rb") as fh:
                _require_utf8(fh.read(200), self.path)
                fh.seek(0)
                self.parser.ParseFile(fh)
        except ValueError as exc:  # expat: "multi-byte encodings are not supported"
            raise InputError(f"cannot read this TMX file: {exc}", self.path, 1) from None
        except expat.ExpatError as exc:
            raise InputError(f"malformed TMX: {expat.ErrorString(exc.code)}", self.path, exc.lineno) from None
        except OSError as exc:
            raise InputError(f"cannot read TMX file: {exc.strerror or exc}", self.path) from None
        if not self.root_seen:
            raise InputError("not a TMX file: no <tmx> element", self.path, 1)
        return self.units


_XML_DECL_ENCODING = re.compile(rb"^<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def _require_utf8(head: bytes, path: Path) -> None:
    """TMX files are read as UTF-8 (TMX 1.4 recommends it) or UTF-16 with a byte-order
    mark (what Trados writes). A file that declares any other encoding (Shift_JIS, EUC-JP,
    Latin-1...) is refused at line 1 rather than misread or crashed on."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16: expat reads it, and its declaration (if any) is in UTF-16 too
    m = _XML_DECL_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    name = m.group(1).decode("ascii").lower().replace("_", "-") if m else "utf-8"
    if name not in ("utf-8", "utf8", "us-ascii", "ascii"):
        raise InputError(f"this TMX file declares encoding {m.group(1).decode('ascii')!r}; only "
                         "UTF-8 (or UTF-16) is read: save it as UTF-8 and import it again", path, 1)


def import_tmx(path: Path, tm: TranslationMemory, srclang: str = "ja") -> int:
    """Add the translations of a TMX file (1.4, from any CAT tool) to ``tm``.

    Language codes are reduced to their base language ("ja-JP" → "ja", "EN-us" → "en").
    Inline codes (<bpt>, <ept>, <ph>, <it>, <ut>) are dropped, the text of <hi> is kept.
    A <tu> without a ``srclang`` variant is skipped. The origin of each pair is the
    ``x-origin`` property written by ``export_tmx``, else ``tmx:<file name>``. Nothing is
    added unless the whole file is valid. Returns the number of pairs added.
    """
    path = Path(path)
    units = _TmxReader(path, srclang).read()
    default_origin = f"tmx:{path.name}"
    count = 0
    for source, targets in units:
        for lang, target, origin in targets:
            tm.add(lang, source, target, origin if origin is not None else default_origin)
            count += 1
    return count
