"""The published Markdown of one article in one language (used by publishing.build).

The Markdown is the source's structure (article.Block prefixes and separators) with each
block's sentences replaced by their translations. A translation that would change the
structure (a sentence starting with `- ` or `# `) is escaped; publishing then parses the
result again and compares it with the source.

Defence in depth (issue 13): the review gate (checks) makes raw HTML and `javascript:`
links in a translation errors, but an override can approve them, and Markdown consumers
(static site generators) pass raw HTML through. So every translated text is made inert
here, whatever its review says:

* **raw HTML** in a translation (a tag, a comment, a declaration) is escaped (`\\<b>`, shown
  as text), unless the very same tag is in the Japanese source unit (the editor's markup,
  which the translation must carry);
* a **link or image whose target has a `javascript:`, `vbscript:`, `data:` or `file:`
  scheme** (after HTML entities, escapes, spaces and control characters are removed, in
  any case) loses its target: the link becomes its text, the image its alt text; an
  autolink `<javascript:...>` is escaped to plain text;
* the result is parsed again with a permissive parser (every link accepted, HTML on); if
  any raw HTML not in the source or any dangerous target is left, `UnsafeText` is raised
  and the article is not published in that language.
"""
from __future__ import annotations

import html
import re
from collections import Counter

import yaml
from markdown_it import MarkdownIt

from .article import Article, Block, split_front_matter
from .dates import long_date
from .inline_regions import atomic_regions, link_parts

FRONT_KINDS = ("title", "summary", "caption", "tag")  # blocks that go to the front matter
# languages written without spaces between sentences
NO_SPACE_LANGS = {"ja", "zh", "th", "lo", "km", "my", "bo"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")

_PARSE = MarkdownIt("commonmark")  # as article.py parses the source
_PERMISSIVE = MarkdownIt("commonmark", {"html": True})
_PERMISSIVE.validateLink = lambda url: True  # see every link another renderer would make


class UnsafeText(ValueError):
    """A translation that cannot be made inert for Markdown."""


# ------------------------------------------------------------------ inert translations
_HTML_TAG_START = re.compile(r"<[A-Za-z/!?]")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def dangerous(target: str) -> bool:
    """Whether a link target runs code or embeds content in a browser (any disguise)."""
    t = _BACKSLASH_ESCAPE.sub(r"\1", target)
    for _ in range(3):  # &amp;#106; -> &#106; -> j
        un = html.unescape(t)
        if un == t:
            break
        t = un
    t = _INVISIBLE.sub("", t).lower()
    return t.startswith(DANGEROUS_SCHEMES)


def _destination(inside: str) -> str:
    """The target of `(dest "title")`, given what is between the parentheses."""
    inside = inside.strip()
    if inside.startswith("<"):
        end = inside.find(">")
        return inside[1:end if end > 0 else None]
    return inside.split(None, 1)[0] if inside else ""


def _html_tags(text: str) -> list[str]:
    return [text[a:b] for a, b in atomic_regions(text)
            if text[a] == "<" and not _is_autolink(text[a:b])]


def _is_autolink(frag: str) -> bool:
    return bool(re.fullmatch(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>|<[^\s<>@]+@[^\s<>]+>", frag))


def _escape_html(text: str, allowed: Counter) -> str:
    """Every raw HTML start escaped but the source's own tags; dangerous autolinks too.
    Code spans and backslash escapes are left alone."""
    if "<" not in text:
        return text
    regions = {a: b for a, b in atomic_regions(text)}
    out: list[str] = []
    pos = 0
    k = text.find("<")
    skip_to = 0
    starts = sorted(regions)
    r = 0
    while k != -1:
        while r < len(starts) and regions[starts[r]] <= k:
            r += 1
        inside = r < len(starts) and starts[r] < k < regions[starts[r]]
        if k >= skip_to and not inside:
            end = regions.get(k)
            frag = text[k:end] if end else ""
            escape = False
            if end and _is_autolink(frag):
                escape = dangerous(frag[1:-1])
            elif end and allowed[frag] > 0:
                allowed[frag] -= 1
            elif end or _HTML_TAG_START.match(text, k):
                escape = True
            if escape:
                out.append(text[pos:k] + "\\")
                pos = k
            if end:
                skip_to = end
        k = text.find("<", k + 1)
    out.append(text[pos:])
    return "".join(out)


def _inert(text: str, allowed: Counter, depth: int = 0) -> str:
    if depth > 4:  # links nested in link labels: no markup at all
        return re.sub(r"([\[\]<>!(])", r"\\\1", text)
    out: list[str] = []
    pos = 0
    for start, label_end, end in link_parts(text):
        out.append(_escape_html(text[pos:start], allowed))
        label_start = start + (2 if text[start] == "!" else 1)
        label = _inert(text[label_start:label_end], allowed, depth + 1)
        tail = text[label_end:end]  # "](dest)" or "][ref]" (the source's definitions)
        if tail.startswith("](") and dangerous(_destination(tail[2:-1])):
            out.append(label)
        else:
            out.append(text[start:label_start] + label + tail)
        pos = end
    out.append(_escape_html(text[pos:], allowed))
    return "".join(out)


def inert(translation: str, source: str) -> str:
    """The translation with no raw HTML but the source's and no dangerous link target."""
    if "<" not in translation and "](" not in translation:
        return translation
    result = _inert(translation, Counter(_html_tags(source)))
    allowed = Counter(t.content for t in _inline_tokens(source) if t.type == "html_inline")
    for t in _inline_tokens(result):
        if t.type == "html_inline":
            if allowed[t.content] <= 0:
                raise UnsafeText(f"raw HTML {t.content[:40]!r}")
            allowed[t.content] -= 1
        elif t.type in ("link_open", "image") and dangerous(str(t.attrGet("href") or t.attrGet("src") or "")):
            raise UnsafeText("a link to a script or embedded data")
    return result


def _inline_tokens(text: str):
    for block in _PERMISSIVE.parse(text):
        if block.type == "inline":
            yield from _walk(block.children or [])


def _walk(tokens):
    for t in tokens:
        yield t
        if t.children:
            yield from _walk(t.children)


# ------------------------------------------------------------------ Markdown
_LIST_START = re.compile(r"^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_HEADING_START = re.compile(r"^#{1,6}(?:[ \t]|$)")
_BREAK = re.compile(r"^([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_AUTOLINK = re.compile(r"^<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_HTML_START = re.compile(r"^<[/!?A-Za-z]")


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def escape_block_start(text: str) -> str:
    """A line of inline text that cannot start another kind of block."""
    if _LIST_START.match(text) or _HEADING_START.match(text) or _BREAK.match(text):
        return "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    if text[:1] in (">", "=") or text.startswith(("```", "~~~")):
        return "\\" + text
    if _HTML_START.match(text) and not _AUTOLINK.match(text):
        return "\\" + text
    return text


def _heading_text(text: str) -> str:
    # a trailing " ##" would be read as the heading's closing sequence
    return re.sub(r"([ \t])(#+)$", r"\1\\\2", text)


def joiner(lang: str) -> str:
    return "" if lang.split("-")[0].split("_")[0] in NO_SPACE_LANGS else " "


def block_text(block: Block, texts: dict[tuple[str, str], str], lang: str) -> str:
    """The block's sentences replaced by their (inert) translations, on one line."""
    if not block.role or not block.segments:
        return block.text
    parts = [inert(_one_line(texts[(block.role, s)]), s) for s in block.segments]
    return joiner(lang).join(p for p in parts if p)


def body_markdown(article: Article, texts: dict[tuple[str, str], str], lang: str,
                  refs: list[str] | None = None) -> str:
    out: list[str] = []
    first = True
    for b in article.blocks:
        if b.kind in FRONT_KINDS:
            continue
        if not first:
            out.append("\n" if b.tight else "\n" + b.blank + "\n")
        first = False
        if b.kind == "verbatim":
            out.append(b.text)
            continue
        text = block_text(b, texts, lang)
        if b.kind == "heading":
            text = _heading_text(text)
        elif b.role:
            text = escape_block_start(text)
        out.append((b.prefix + text).rstrip() if text else b.prefix.rstrip())
    body = "".join(out)
    if refs is None:
        refs = references(source_body(article))
    if refs:
        body += ("\n\n" if body else "") + "\n".join(refs)
    return body + "\n" if body else ""


def source_body(article: Article) -> str:
    text = article.path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    return split_front_matter(text, article.path)[1]


def references(body: str) -> list[str]:
    """Link reference definitions of the source: the units' `[text][ref]` need them."""
    env: dict = {}
    _PARSE.parse(body, env)
    out = []
    for label, ref in sorted(env.get("references", {}).items()):
        line = f"[{label}]: <{ref['href']}>"
        if ref.get("title"):
            title = ref["title"].replace("\\", "\\\\").replace('"', '\\"')
            line += f' "{title}"'
        out.append(line)
    return out


def structure(markdown_body: str) -> list[tuple]:
    """The block structure: what must be the same in every language."""
    sig = []
    for t in _PARSE.parse(markdown_body):
        if t.type == "inline":
            continue
        sig.append((t.type, t.tag, t.nesting, t.level, bool(t.hidden), t.attrGet("start"),
                    t.markup if t.type.endswith("list_open") else None))
    return sig


def localized_meta(article: Article, texts: dict[tuple[str, str], str], lang: str) -> dict:
    """The front matter in `lang`: title, summary, captions and tags translated; the date
    as ISO (`date`, what static site generators sort by) and in the language's long format
    (`date_display`)."""
    captions: dict[int, str] = {}
    tags: dict[int, str] = {}
    title = summary = None
    for b in article.blocks:
        if b.kind == "title":
            title = block_text(b, texts, lang)
        elif b.kind == "summary":
            summary = block_text(b, texts, lang)
        elif b.kind == "caption" and b.image is not None:
            captions[b.image] = block_text(b, texts, lang)
        elif b.kind == "tag" and b.tag is not None:
            tags[b.tag] = block_text(b, texts, lang)
    meta: dict = {}
    for key, value in article.meta.items():
        if key in ("lang", "source", "date_display"):
            continue
        if key == "title" and title is not None:
            value = title
        elif key == "summary" and summary is not None:
            value = summary
        elif key == "date" and article.date is not None:
            value = article.date
        elif key == "images" and isinstance(value, list):
            images = []
            for i, img in enumerate(value):
                img = dict(img)
                if i in captions:
                    img["caption"] = captions[i]
                images.append(img)
            value = images
        elif key == "tags" and isinstance(value, list):
            value = [tags.get(i, v) for i, v in enumerate(value)]
        meta[key] = value
        if key == "date" and article.date is not None:
            meta["date_display"] = long_date(article.date, lang)
    return meta


def article_markdown(article: Article, texts: dict[tuple[str, str], str], lang: str,
                     source_path: str, refs: list[str] | None = None) -> tuple[str, dict, str]:
    """(whole file, front matter, body)."""
    meta = localized_meta(article, texts, lang)
    meta["lang"] = lang
    meta["source"] = {"path": source_path, "sha256": article.source_hash}
    fm = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False,
                        width=1_000_000)
    body = body_markdown(article, texts, lang, refs)
    return f"---\n{fm}---\n\n{body}", meta, body
