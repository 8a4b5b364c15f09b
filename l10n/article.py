"""Articles: Japanese Markdown with YAML front matter, read into translatable blocks.

An article is a list of blocks in document order. Each translatable block has a role
(the msgctxt of its units: title, summary, caption, tag, heading, body) and its inline
Markdown source, split into sentences by the segmenter. Inline markup (links, emphasis,
code) stays inside the text of its block, so it stays inside its unit.

Front matter blocks come first, in the order of the front matter: the title, the summary,
each image's caption; the body follows; each tag (issue 16) comes last. A tag is one unit,
never split into sentences (it is a label, like 大分県). Tags go last so that making them
units added entries at the end of every catalog: the numbers of existing entries
(`--entry N`, the TUI's list) did not move, and a translator meets a label of the whole
article after reading it. `date` is read by `dates.parse_date` (ISO or the
Japanese forms) with the line it is on; an impossible date is an error, not a crash.

The body is parsed with markdown-it-py (CommonMark). Blocks that are not text to
translate (code blocks, HTML, rules) are kept verbatim so that publishing can rebuild the
article's structure. Each block remembers the Markdown prefixes it sat behind (`> `,
`- `, `1. `) for the same reason.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from . import controls
from .dates import parse_date
from .errors import InputError, checked_construct, yaml_error_line, yaml_loader
from .segmenter import segment

MAX_LINE = 20_000  # characters in one line of an article
ROLES = ("title", "summary", "caption", "tag", "heading", "body")
_MD = MarkdownIt("commonmark")


@dataclass
class Block:
    kind: str  # title, summary, caption, tag, heading, paragraph, list_item, blockquote, verbatim
    role: str | None  # msgctxt of its units; None for verbatim blocks
    text: str  # inline Markdown source (NFC); raw lines for verbatim blocks
    segments: list[str] = field(default_factory=list)
    prefix: str = ""  # Markdown before the first line ("> ", "- ", "## ")
    indent: str = ""  # Markdown before continuation lines
    tight: bool = False  # no blank line before it in the source: joined by a single newline
    blank: str = ""  # the blank line before it, as in the source (">" inside quotes)
    image: int | None = None  # index into front matter images, for captions
    tag: int | None = None  # index into front matter tags, for tags


@dataclass(frozen=True)
class Unit:
    role: str
    text: str
    block: int  # index of its block


@dataclass
class Article:
    id: str
    path: Path
    meta: dict[str, Any]
    blocks: list[Block]
    source_hash: str
    day: dt.date | None = None  # the front matter's date, read by dates.parse_date

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def date(self) -> dt.date | None:
        return self.day

    @property
    def issue(self) -> str:
        return self.id.split("/", 1)[0] if "/" in self.id else ""

    def units(self) -> list[Unit]:
        """Every sentence unit in document order (duplicates included)."""
        return [Unit(b.role, s, i) for i, b in enumerate(self.blocks) if b.role
                for s in b.segments]

    def unique_units(self) -> list[Unit]:
        """One unit per (role, text), at its first occurrence: the template's entries."""
        seen: set[tuple[str, str]] = set()
        out = []
        for u in self.units():
            if (u.role, u.text) not in seen:
                seen.add((u.role, u.text))
                out.append(u)
        return out


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _join_lines(text: str) -> str:
    """Join soft line breaks: no space between Japanese text, one space between words."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = lines[0]
    for nxt in lines[1:]:
        left, right = out[-1:], nxt[:1]
        if left.isascii() and right.isascii() and left.strip() and right.strip():
            out += " " + nxt
        else:
            out += nxt
    return out


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """(front matter, body, line of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise InputError("the article must start with YAML front matter between --- lines", path, 1)
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise InputError("the front matter has no closing --- line", path, 1)


_Loader = yaml_loader()


_STR = "tag:yaml.org,2002:str"
_TYPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


def _check_scalars(loader, root, path: Path) -> None:
    """Every typed scalar can be built (no `2026-13-45`, no int of 5,000 digits): bad input
    with its line, never a crash. The top-level `date` is read as text (dates.parse_date)."""
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == "date" and isinstance(v, yaml.ScalarNode) and v.tag in _TYPED:
                v.tag = _STR
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _TYPED:
                try:
                    loader.construct_object(node, deep=True)
                except (ValueError, OverflowError, TypeError) as exc:
                    what = "date" if node.tag.endswith("timestamp") else "number"
                    raise InputError(f"{node.value[:40]!r} is not a valid {what} ({exc})"[:200],
                                     path, node.start_mark.line + 2) from None
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                todo.extend((k, v))


def _meta(fm: str, path: Path) -> tuple[dict, dict[str, int]]:
    loader = _Loader(fm)
    try:  # one parse: the node tree (for line numbers), then the data from it
        node = loader.get_single_node()
        if node is not None:
            _check_scalars(loader, node, path)
        data = checked_construct(loader, node, path, offset=1) if node is not None else None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"front matter is not valid YAML: {problem}", path,
                         yaml_error_line(exc, fm, offset=1) or 1) from None
    except RecursionError:
        raise InputError("front matter is nested too deeply", path, 2) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError("front matter must be a mapping (title:, date:, ...)", path, 2)
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            lines[str(k.value)] = k.start_mark.line + 2
            if isinstance(v, yaml.SequenceNode):  # images[0], tags[1]: the item's own line
                for i, item in enumerate(v.value):
                    lines[f"{k.value}[{i}]"] = item.start_mark.line + 2
    return data, lines


def parse_article(path: Path, article_id: str, mode: str = "sentence",
                  data: bytes | None = None) -> Article:
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the article: {exc.strerror}", path) from None
    if b"\x00" in data:
        raise InputError("the article contains a NUL byte", path,
                         data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("the article is not valid UTF-8", path,
                         data[: exc.start].count(b"\n") + 1) from None
    text = nfc(text.removeprefix("\ufeff").replace("\r\n", "\n"))
    bad = controls.RAW.search(text)
    if bad:  # it would reach a catalog, which never holds one
        raise InputError(f"the article contains {controls.char_name(bad.group())}", path,
                         text.count("\n", 0, bad.start()) + 1)
    for n, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE:
            raise InputError(f"line is {len(line):,} characters long; the limit is {MAX_LINE:,} "
                             "(split the paragraph)", path, n)
    fm, body, body_line = split_front_matter(text, path)
    meta, key_lines = _meta(fm, path)

    blocks: list[Block] = []

    def line_of(key: str) -> int:
        return key_lines.get(key.split(".")[0], key_lines.get(key.split("[")[0], 2))

    def add(kind: str, role: str, value: Any, key: str, image: int | None = None,
            tag: int | None = None) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            raise InputError(f"{key} must be text", path, line_of(key))
        value = _join_lines(value.strip())
        problem = controls.string_problem(value)  # a YAML escape such as "\x1b"
        if problem:
            raise InputError(f"{key} contains {problem}", path, key_lines.get(key.split("[")[0], 2))
        if value:
            segs = segment(value, "paragraph" if kind == "tag" else mode)
            blocks.append(Block(kind, role, value, segs, image=image, tag=tag))

    for required in ("title", "date"):
        if required not in meta or meta[required] in (None, ""):
            raise InputError(f"front matter has no {required!r}", path, 2)
    day = parse_date(meta["date"], path, key_lines.get("date", 2))
    add("title", "title", meta["title"], "title")
    add("summary", "summary", meta.get("summary"), "summary")
    images = meta.get("images") or []
    if not isinstance(images, list):
        raise InputError("images must be a list of {file, caption}", path, key_lines.get("images", 2))
    for i, img in enumerate(images):
        if not isinstance(img, dict) or not isinstance(img.get("file"), str):
            raise InputError(f"images[{i}] needs a file", path, key_lines.get("images", 2))
        problem = controls.line_problem(img["file"])  # it becomes a comment line
        if problem:
            raise InputError(f"images[{i}].file contains {problem}", path, key_lines.get("images", 2))
        add("caption", "caption", img.get("caption"), f"images[{i}].caption", image=i)
    tags = meta.get("tags")
    if tags is not None and not isinstance(tags, list):
        raise InputError("tags must be a list", path, key_lines.get("tags", 2))
    for i, tag in enumerate(tags or []):
        if not isinstance(tag, str) or not tag.strip():
            raise InputError(f"tags[{i}] must be text (quote a number: '2025')", path,
                             line_of(f"tags[{i}]"))

    blocks += _body_blocks(body, mode)
    for i, tag in enumerate(tags or []):  # last: see the module docstring
        add("tag", "tag", tag, f"tags[{i}]", tag=i)
    return Article(article_id, path, meta, blocks, hashlib.sha256(data).hexdigest(), day)


def _body_blocks(body: str, mode: str) -> list[Block]:
    tokens = _MD.parse(body)
    lines = body.split("\n")
    out: list[Block] = []
    # container stack: ["bq"] or ["li", marker, width, list_id, started]
    stack: list[list] = []
    lists: list[dict] = []
    list_counter = 0

    def prefixes() -> tuple[str, str]:
        first, cont = "", ""
        for c in stack:
            if c[0] == "bq":
                first += "> "
                cont += "> "
            else:
                if not c[4]:
                    first += c[1] + " "
                    c[4] = True
                else:
                    first += " " * c[2]
                cont += " " * c[2]
        return first, cont

    def blank_line() -> str:
        depth = sum(1 for c in stack if c[0] == "bq")
        return " ".join([">"] * depth)

    def current_list() -> int | None:
        for c in reversed(stack):
            if c[0] == "li":
                return c[3]
        return None

    prev_end: list[int | None] = [None]  # the line after the previous block

    def separation(start: int) -> tuple[bool, str]:
        """(tight, blank) from the source lines between the previous block and this one.

        Taken from the source rather than from the tokens, so that a nested tight list stays
        tight and two consecutive blockquotes stay two (a `>` blank would merge them)."""
        if prev_end[0] is None:
            return False, blank_line()
        between = lines[prev_end[0]:start]
        if not between:
            return True, blank_line()
        for ln in between:
            if not ln.replace(">", "").strip():
                return False, ln.rstrip()
        return False, blank_line()

    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "blockquote_open":
            stack.append(["bq"])
        elif t.type == "blockquote_close":
            stack.pop()
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            list_counter += 1
            start = int(t.attrGet("start") or 1) if t.type == "ordered_list_open" else None
            lists.append({"id": list_counter, "n": start, "markup": t.markup})
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t.type == "list_item_open":
            lst = lists[-1]
            if lst["n"] is not None:
                marker = f"{t.info or lst['n']}{t.markup}"
                lst["n"] += 1
            else:
                marker = t.markup
            stack.append(["li", marker, len(marker) + 1, lst["id"], False])
        elif t.type == "list_item_close":
            stack.pop()
        elif t.type in ("paragraph_open", "heading_open"):
            inline = tokens[i + 1]
            text = _join_lines(nfc(inline.content))
            in_list = current_list()
            tight, blank = separation(t.map[0]) if t.map else (False, blank_line())
            prev_end[0] = t.map[1] if t.map else prev_end[0]
            first, cont = prefixes()
            if t.type == "heading_open":
                level = int(t.tag[1])
                first += "#" * level + " "
                kind, role = "heading", "heading"
            elif in_list is not None:
                kind, role = "list_item", "body"
            elif any(c[0] == "bq" for c in stack):
                kind, role = "blockquote", "body"
            else:
                kind, role = "paragraph", "body"
            segs = segment(text, mode) if text.strip() else []
            out.append(Block(kind, role if segs else None, text, segs, first, cont, tight, blank))
            i += 3
            continue
        elif t.type in ("fence", "code_block", "html_block", "hr") and t.map:
            tight, blank = separation(t.map[0])
            prev_end[0] = t.map[1]
            prefixes()  # the raw lines carry their own prefixes
            raw = "\n".join(lines[t.map[0]:t.map[1]])
            out.append(Block("verbatim", None, raw, [], "", "", tight, blank))
        i += 1
    return out
