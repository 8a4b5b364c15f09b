"""The project's configuration, `l10n.yaml`, validated on load.

Every error names the file, the key and the line. Unknown keys are errors too: a typo
must not silently fall back to a default.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import controls
from .errors import InputError, yaml_error_line, yaml_loader

CONFIG_NAME = "l10n.yaml"

# DeepL's target codes for the languages it serves (the ones a newsletter would use).
DEEPL_TARGETS = {
    "AR", "BG", "CS", "DA", "DE", "EL", "EN-GB", "EN-US", "ES", "ES-419", "ET", "FI", "FR",
    "HE", "HU", "ID", "IT", "JA", "KO", "LT", "LV", "NB", "NL", "PL", "PT-BR", "PT-PT", "RO",
    "RU", "SK", "SL", "SV", "TH", "TR", "UK", "VI", "ZH", "ZH-HANS", "ZH-HANT",
}
FORMALITIES = {"default", "more", "less", "prefer_more", "prefer_less"}
MODEL_TYPES = {"quality_optimized", "prefer_quality_optimized", "latency_optimized"}
DEFAULT_DEEPL = {"en": "EN-US", "ko": "KO", "es": "ES"}
DEFAULT_FORMALITY = {"es": "prefer_more"}

DEFAULT_CONFIG = """\
# l10n project configuration. See README.md for every key.
project: {name}
source_language: ja
languages:
  en:
    deepl: EN-US
  ko:
    deepl: KO
  es:
    deepl: ES
    formality: prefer_more
paths:
  content: content
  locales: locales
  glossary: locales/glossary.yaml
segmentation: sentence
publishing:
  policy: approved
  out: build
  mo: false
deepl:
  glossary: true
review:
  four_eyes: false
"""


@dataclass(frozen=True)
class Language:
    code: str  # "en"
    deepl: str  # "EN-US"
    formality: str | None = None

    @property
    def name(self) -> str:
        """The English name, from Babel (loaded only when asked for: start-up matters)."""
        return _english_name(self.code)


@lru_cache(maxsize=None)
def _english_name(code: str) -> str:
    from babel import Locale

    return Locale.parse(code.replace("-", "_")).english_name or code


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path
    project: str
    source_language: str
    languages: dict[str, Language]
    content_dir: Path
    locales_dir: Path
    glossary_path: Path
    segmentation: str = "sentence"
    publish_policy: str = "approved"
    publish_out: Path | None = None
    publish_mo: bool = False
    deepl_server_url: str | None = None
    deepl_model_type: str | None = None
    deepl_glossary: bool = True
    deepl_max_characters: int | None = None  # deepl.max_characters_per_sync
    four_eyes: bool = False
    reviewers_path: Path | None = None  # review.reviewers: git's allowed-signers format
    require_audit: bool = False  # publishing.require_audit: build only proven articles
    fuzzy_threshold: float = 0.6
    memory_min_score: int = 60
    digest: str = ""  # hash of the file, for caches
    # every path the file names, as (root / value, what it resolved to): the symlinks
    # along them decide the configuration as much as the file's bytes (sync_noop.py)
    resolved_paths: tuple[tuple[str, str], ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def lang_codes(self) -> list[str]:
        return list(self.languages)


class _Validator:
    def __init__(self, path: Path, node: yaml.Node):
        self.path = path
        self.node = node

    def err(self, node: yaml.Node | None, key: str, msg: str) -> InputError:
        line = node.start_mark.line + 1 if node is not None else None
        return InputError(f"{key}: {msg}", self.path, line)

    def mapping(self, node: yaml.Node, key: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.err(node, key or "(top level)", "expected a mapping of keys to values")
        out: dict[str, yaml.Node] = {}
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else None
            full = f"{key}.{name}" if key else str(name)
            if name is None:
                raise self.err(k, key or "(top level)", "keys must be plain names")
            if name in out:
                raise self.err(k, full, "given twice")
            if allowed and name not in allowed:
                raise self.err(k, full, f"unknown key (known: {', '.join(sorted(allowed))})")
            out[name] = v
        return out

    def scalar(self, node: yaml.Node, key: str, kind: type = str, choices: set | None = None,
               optional: bool = False):
        if not isinstance(node, yaml.ScalarNode):
            raise self.err(node, key, f"expected a {kind.__name__}")
        try:  # the node's value as PyYAML's safe loader would give it
            value = yaml.constructor.SafeConstructor().construct_object(node)
        except (ValueError, yaml.YAMLError):  # e.g. a date like 2026-13-45
            raise self.err(node, key, f"{node.value!r} is not a valid value") from None
        if value is None and optional:
            return None
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # `1` where a number from 0 to 1 is expected
        if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            what = "number" if kind is float else kind.__name__
            raise self.err(node, key, f"expected a {what}, found {node.value!r}")
        if choices is not None and value not in choices:
            raise self.err(node, key, f"{value!r} is not one of {', '.join(sorted(map(str, choices)))}")
        return value

    def number(self, node: yaml.Node, key: str, kind: type, low, high):
        """An int or a float within [low, high] (an integer is fine where a float is)."""
        value = self.scalar(node, key, kind)
        if value != value or not low <= value <= high:  # NaN too
            raise self.err(node, key, f"{node.value} is out of range: give a number from {low} to {high}")
        return value


def project_rel(p: Path, root: Path) -> str:
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(p)


def _known_language(code: str) -> bool:
    """Babel has locale data for it (checked without loading the data). The common case,
    a code spelled as Babel's file is named, is a file check that does not import Babel
    (every command loads the configuration; Babel's import is most of a no-op sync)."""
    import os
    from importlib.util import find_spec

    name = code.replace("-", "_")
    spec = find_spec("babel")
    if spec is not None and spec.origin and name.isidentifier():
        data = os.path.join(os.path.dirname(spec.origin), "locale-data", f"{name}.dat")
        if os.path.isfile(data):
            return True
    from babel import localedata

    try:
        return localedata.exists(code.replace("-", "_"))
    except (TypeError, ValueError):
        return False


def load(path: Path) -> Config:
    """Load and validate `l10n.yaml`."""
    root = path.parent
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the configuration: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("the configuration is not valid UTF-8", path,
                         data[: exc.start].count(b"\n") + 1) from None
    try:
        node = yaml.compose(text, Loader=yaml_loader())
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}", path, yaml_error_line(exc, text)) from None
    if node is None:
        raise InputError("the configuration is empty", path, 1)
    v = _Validator(path, node)
    top = v.mapping(node, "", {"project", "source_language", "languages", "paths",
                               "segmentation", "publishing", "deepl", "review", "memory"})

    project = v.scalar(top["project"], "project") if "project" in top else root.name
    problem = controls.line_problem(project)
    if problem:  # the name goes into every catalog's header
        raise (v.err(top["project"], "project", f"contains {problem}") if "project" in top
               else InputError(f"the project folder's name contains {problem}", path, 1))
    source = v.scalar(top["source_language"], "source_language") if "source_language" in top else "ja"
    if source != "ja":
        raise v.err(top["source_language"], "source_language",
                    f"{source!r}: only Japanese (ja) sources are supported")
    if "languages" not in top:
        raise InputError("languages: missing (the target languages, e.g. en, ko, es)", path, 1)
    langs_node = top["languages"]
    langs: dict[str, Language] = {}
    lang_items = v.mapping(langs_node, "languages", set())
    if not lang_items:
        raise v.err(langs_node, "languages", "at least one target language is needed")
    for code, lnode in lang_items.items():
        key = f"languages.{code}"
        key_node = next(k for k, _ in langs_node.value if k.value == code)
        if not _known_language(code):
            raise v.err(key_node, key, f"unknown language {code!r}")
        if code == source:
            raise v.err(key_node, key, "the source language cannot be a target")
        deepl_code = DEFAULT_DEEPL.get(code, code.upper())
        formality = DEFAULT_FORMALITY.get(code)
        opts: dict[str, yaml.Node] = {}
        if not (isinstance(lnode, yaml.ScalarNode) and lnode.value in ("", "~", "null")):
            opts = v.mapping(lnode, key, {"deepl", "formality"})
        if "deepl" in opts:
            deepl_code = v.scalar(opts["deepl"], f"{key}.deepl").upper()
            if deepl_code not in DEEPL_TARGETS:
                raise v.err(opts["deepl"], f"{key}.deepl",
                            f"{deepl_code!r} is not a DeepL target language code")
        elif deepl_code not in DEEPL_TARGETS:
            # No code given and none to derive (the language's own code, upper-cased, is
            # not one of DeepL's): say so now rather than at the first paid request.
            raise v.err(key_node, key, f"no DeepL target code: DeepL has no {deepl_code!r}; "
                        f"add `deepl: CODE` (one of {', '.join(sorted(DEEPL_TARGETS))})")
        if "formality" in opts:
            formality = v.scalar(opts["formality"], f"{key}.formality", choices=FORMALITIES,
                                 optional=True)
        langs[code] = Language(code, deepl_code, formality)

    paths = v.mapping(top["paths"], "paths", {"content", "locales", "glossary"}) if "paths" in top else {}

    resolved: list[tuple[str, str]] = []

    def sub(name: str, default: str) -> Path:
        value = v.scalar(paths[name], f"paths.{name}") if name in paths else default
        p = (root / value).resolve()
        resolved.append((str(root / value), str(p)))
        try:
            p.relative_to(root.resolve())
        except ValueError:
            raise v.err(paths[name], f"paths.{name}", f"{value!r} is outside the project") from None
        return p

    content_dir = sub("content", "content")
    if not content_dir.is_dir():
        where = paths.get("content")
        raise InputError(f"paths.content: the folder {project_rel(content_dir, root)!r} does not "
                         "exist (create it, or fix the path)", path,
                         where.start_mark.line + 1 if where is not None else None)
    locales_dir = sub("locales", "locales")
    glossary = sub("glossary", "locales/glossary.yaml")

    segmentation = "sentence"
    if "segmentation" in top:
        segmentation = v.scalar(top["segmentation"], "segmentation", choices={"sentence", "paragraph"})

    policy, out, mo, require_audit = "approved", None, False, False
    if "publishing" in top:
        pub = v.mapping(top["publishing"], "publishing", {"policy", "out", "mo", "require_audit"})
        if "policy" in pub:
            policy = v.scalar(pub["policy"], "publishing.policy", choices={"approved", "translated"})
        if "out" in pub:
            out = root / v.scalar(pub["out"], "publishing.out")
            resolved.append((str(out), str(out.resolve())))
            if out.resolve() != root.resolve() and root.resolve() not in out.resolve().parents:
                raise v.err(pub["out"], "publishing.out", f"{pub['out'].value!r} is outside the "
                            "project (to build elsewhere, type it: `l10n build --out DIR`)")
        if "mo" in pub:
            mo = v.scalar(pub["mo"], "publishing.mo", bool)
        if "require_audit" in pub:
            require_audit = v.scalar(pub["require_audit"], "publishing.require_audit", bool)

    server_url, model_type, use_glossary, max_chars = None, None, True, None
    if "deepl" in top:
        d = v.mapping(top["deepl"], "deepl", {"server_url", "model_type", "glossary",
                                              "max_characters_per_sync"})
        if "max_characters_per_sync" in d:
            max_chars = v.scalar(d["max_characters_per_sync"], "deepl.max_characters_per_sync",
                                 int, optional=True)
            if max_chars is not None and max_chars < 1:
                raise v.err(d["max_characters_per_sync"], "deepl.max_characters_per_sync",
                            f"expected a positive number of characters, found {max_chars}")
        if "server_url" in d:
            server_url = v.scalar(d["server_url"], "deepl.server_url", optional=True)
            if server_url is not None and not server_url.startswith(("http://", "https://")):
                raise v.err(d["server_url"], "deepl.server_url",
                            f"{server_url!r} is not an http:// or https:// URL")
        if "model_type" in d:
            model_type = v.scalar(d["model_type"], "deepl.model_type", choices=MODEL_TYPES, optional=True)
        if "glossary" in d:
            use_glossary = v.scalar(d["glossary"], "deepl.glossary", bool)

    four_eyes, reviewers = False, None
    if "review" in top:
        r = v.mapping(top["review"], "review", {"four_eyes", "reviewers"})
        if "four_eyes" in r:
            four_eyes = v.scalar(r["four_eyes"], "review.four_eyes", bool)
        if "reviewers" in r:
            value = v.scalar(r["reviewers"], "review.reviewers")
            reviewers = (root / value).resolve()
            resolved.append((str(root / value), str(reviewers)))
            if reviewers == root.resolve() or root.resolve() not in reviewers.parents:
                raise v.err(r["reviewers"], "review.reviewers",
                            f"{value!r} is not a file inside the project")
    if require_audit and reviewers is None:
        raise v.err(pub["require_audit"], "publishing.require_audit",
                    "needs review.reviewers (the file of reviewers' signing keys)")

    fuzzy, min_score = 0.6, 60
    if "memory" in top:
        m = v.mapping(top["memory"], "memory", {"fuzzy_threshold", "min_score"})
        if "fuzzy_threshold" in m:
            fuzzy = v.number(m["fuzzy_threshold"], "memory.fuzzy_threshold", float, 0, 1)
        if "min_score" in m:
            min_score = v.number(m["min_score"], "memory.min_score", int, 0, 100)

    return Config(
        root=root, path=path, project=str(project), source_language=source, languages=langs,
        content_dir=content_dir, locales_dir=locales_dir, glossary_path=glossary,
        segmentation=segmentation, publish_policy=policy, publish_out=out, publish_mo=mo,
        deepl_server_url=server_url, deepl_model_type=model_type, deepl_glossary=use_glossary,
        deepl_max_characters=max_chars, four_eyes=four_eyes, reviewers_path=reviewers,
        require_audit=require_audit, fuzzy_threshold=fuzzy, memory_min_score=min_score,
        digest=hashlib.sha256(data).hexdigest()[:16], resolved_paths=tuple(resolved),
    )
