"""Inline Markdown <-> XML tags, so that DeepL translates the words and nothing else.

`protect` turns a unit's inline Markdown into XML for DeepL's `tag_handling="xml"`:

    **強調**              -> <b>強調</b>
    *強調*               -> <i>強調</i>
    [大分県](https://…)   -> <a n="1">大分県</a>       (the URL stays here, never sent)
    `code`               -> <x n="2"/>                (code never sent)
    ![alt](img.png)      -> <x n="3"/>
    <span>               -> <x n="4"/>                (inline HTML kept as is)

`restore` turns DeepL's answer back into Markdown with the same URLs and code, using the
map `protect` returned. Parsing is markdown-it-py's, not regular expressions over text.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark")
_XML_UNESCAPE = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'"}
_ENTITY_RE = re.compile(r"&(?:lt|gt|amp|quot|apos);")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return _ENTITY_RE.sub(lambda m: _XML_UNESCAPE[m.group()], text)
_TAG_RE = re.compile(r'<(/?)(b|i|a|x)(?:\s+n="(\d+)")?\s*(/?)>')


def _link_tail(href: str, title: str | None) -> str:
    if title:
        return f'({href} "{title}")'
    return f"({href})"


def protect(text: str) -> tuple[str, dict]:
    """(xml, restore map)."""
    tokens = _MD.parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    out: list[str] = []
    rmap: dict[str, str] = {}
    n = 0
    for t in children:
        if t.type == "text":
            out.append(escape(t.content))
        elif t.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t.type == "strong_open":
            out.append("<b>")
            rmap.setdefault("b", t.markup)
        elif t.type == "strong_close":
            out.append("</b>")
        elif t.type == "em_open":
            out.append("<i>")
            rmap.setdefault("i", t.markup)
        elif t.type == "em_close":
            out.append("</i>")
        elif t.type == "link_open":
            n += 1
            rmap[str(n)] = _link_tail(t.attrGet("href") or "", t.attrGet("title"))
            out.append(f'<a n="{n}">')
        elif t.type == "link_close":
            out.append("</a>")
        else:  # code_inline, image, html_inline, anything else: kept verbatim
            n += 1
            if t.type == "code_inline":
                tick = t.markup or "`"
                pad = " " if t.content.startswith("`") or t.content.endswith("`") else ""
                rmap[str(n)] = f"{tick}{pad}{t.content}{pad}{tick}"
            elif t.type == "image":
                alt = "".join(c.content for c in (t.children or []))
                rmap[str(n)] = f"![{alt}]" + _link_tail(t.attrGet("src") or "", t.attrGet("title"))
            else:
                rmap[str(n)] = t.content
            out.append(f'<x n="{n}"/>')
    # links are closed by the n of their open tag: remember the order
    return "".join(out), rmap


def restore(xml: str, rmap: dict) -> str:
    """DeepL's XML answer back to Markdown."""
    out: list[str] = []
    link_stack: list[str] = []
    pos = 0
    for m in _TAG_RE.finditer(xml):
        out.append(unescape(xml[pos:m.start()]))
        pos = m.end()
        closing, tag, num = m.group(1), m.group(2), m.group(3)
        if tag == "b":
            out.append(rmap.get("b", "**"))
        elif tag == "i":
            out.append(rmap.get("i", "*"))
        elif tag == "a":
            if closing:
                out.append("]" + (link_stack.pop() if link_stack else ""))
            else:
                link_stack.append(rmap.get(num or "", "()"))
                out.append("[")
        elif tag == "x":
            out.append(rmap.get(num or "", ""))
    out.append(unescape(xml[pos:]))
    return "".join(out)
