"""The published HTML pages: one per article and language, and an index per language.

Rendered from the published Markdown with markdown-it-py, raw HTML off (a translation's
HTML is shown as text) and markdown-it's link validation on (no `javascript:` targets).
Every attribute and text is escaped. Relative image paths, like the front matter's, are
taken from OUT. Pages link to the other languages' editions that exist after the build.
"""
from __future__ import annotations

import datetime as dt
import html
import re

from babel import Locale
from babel.dates import format_skeleton
from markdown_it import MarkdownIt

from .dates import long_date as _long_date

# the pages: raw HTML in a translation is shown as text, never passed through
_RENDER = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False})


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def plain(inline_md: str) -> str:
    """The text of inline Markdown, without its markup (for <title> and alt)."""
    out: list[str] = []

    def walk(tokens) -> None:
        for t in tokens or []:
            if t.type in ("text", "code_inline"):
                out.append(t.content)
            elif t.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif t.children:
                walk(t.children)

    walk(_RENDER.parseInline(inline_md))
    return "".join(out).strip()


def inline_html(inline_md: str) -> str:
    return _RENDER.renderInline(inline_md)


def _relative(target: str) -> bool:
    return not re.match(r"^[A-Za-z][A-Za-z0-9.+-]*:|^/|^#", target)


def render_body(body_md: str, depth: int) -> str:
    """The body as HTML. Relative image paths, like the front matter's, are from OUT."""
    env: dict = {}
    tokens = _RENDER.parse(body_md, env)
    for t in tokens:
        for c in t.children or []:
            if c.type == "image":
                src = str(c.attrGet("src") or "")
                if src and _relative(src):
                    c.attrSet("src", "../" * depth + src)
    return _RENDER.renderer.render(tokens, _RENDER.options, env)


def url(target: str, depth: int) -> str | None:
    """A site-relative path from a page `depth` folders down, or an absolute URL, checked."""
    target = target.strip()
    if not target:
        return None
    normalized = _RENDER.normalizeLink(target)
    if not _RENDER.validateLink(normalized):
        return None
    if not _relative(target):
        return normalized
    return "../" * depth + normalized


def lang_name(lang: str) -> str:
    loc = Locale.parse(lang.replace("-", "_"))
    return loc.display_name or lang


def long_date(value, lang: str) -> tuple[str, str] | None:
    """(ISO date, the date in the language's long format)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return None
    return value.isoformat(), _long_date(value, lang)


def issue_label(issue: str, lang: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})", issue)
    if m and 1 <= int(m.group(2)) <= 12:
        d = dt.date(int(m.group(1)), int(m.group(2)), 1)
        return format_skeleton("yMMMM", d, locale=lang.replace("-", "_"))
    return issue


def _page(lang: str, title: str, head_extra: list[str], body: list[str]) -> str:
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        *head_extra,
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


def _language_links(current: str, targets: dict[str, str]) -> tuple[list[str], list[str]]:
    """(<link rel=alternate> lines, the language switcher) for {lang: href}."""
    head = [f'<link rel="alternate" hreflang="{esc(lang)}" href="{esc(href)}">'
            for lang, href in targets.items()]
    items = []
    for lang, href in targets.items():
        name = esc(lang_name(lang))
        if lang == current:
            items.append(f'<li><span lang="{esc(lang)}" aria-current="page">{name}</span></li>')
        else:
            items.append(f'<li><a href="{esc(href)}" hreflang="{esc(lang)}" lang="{esc(lang)}">'
                         f"{name}</a></li>")
    nav = ['<nav class="languages">', "<ul>", *items, "</ul>", "</nav>"] if len(targets) > 1 else []
    return head, nav


def article_html(site: str, aid: str, lang: str, meta: dict, body_md: str,
                 alternates: list[str]) -> str:
    slug = aid.rsplit("/", 1)[-1]
    depth = aid.count("/") + 1  # OUT/<lang>/<issue>/<slug>.html
    up = "../" * aid.count("/")
    targets = {l: f"{'../' * depth}{l}/{aid}.html" if l != lang else f"{slug}.html"
               for l in alternates}
    head, nav = _language_links(lang, targets)
    title_md = str(meta.get("title", ""))
    body = [f'<header class="site"><a href="{esc(up)}index.html">{esc(site)}</a>'
            "</header>", *nav, "<article>", "<header>", f"<h1>{inline_html(title_md)}</h1>"]
    when = long_date(meta.get("date"), lang)
    if when:
        body.append(f'<p class="date"><time datetime="{esc(when[0])}">{esc(when[1])}</time></p>')
    if meta.get("summary"):
        body.append(f'<p class="summary">{inline_html(str(meta["summary"]))}</p>')
    tags = [str(t) for t in meta.get("tags") or [] if str(t).strip()]
    if tags:
        body.append('<ul class="tags">' + "".join(f"<li>{inline_html(t)}</li>" for t in tags)
                    + "</ul>")
    body.append("</header>")
    body.append(render_body(body_md, depth).rstrip("\n"))
    images = meta.get("images") or []
    figures = []
    for img in images:
        src = url(str(img.get("file", "")), depth)
        if not src:
            continue
        caption = str(img.get("caption") or "")
        fig = [f'<figure><img src="{esc(src)}" alt="{esc(plain(caption))}">']
        if caption:
            fig.append(f"<figcaption>{inline_html(caption)}</figcaption>")
        fig.append("</figure>")
        figures.append("".join(fig))
    if figures:
        body += ['<section class="images">', *figures, "</section>"]
    body.append("</article>")
    return _page(lang, plain(title_md), head, body)


def index_html(site: str, lang: str, entries: list[tuple[str, str, object]],
               languages: list[str]) -> str:
    """The language's index: entries are (article id, title as inline Markdown, date)."""
    targets = {l: f"../{l}/index.html" if l != lang else "index.html" for l in languages}
    head, nav = _language_links(lang, targets)
    body = ["<header>", f"<h1>{esc(site)}</h1>",
            f'<p class="language">{esc(lang_name(lang))}</p>', "</header>", *nav, "<main>"]
    issues: dict[str, list[tuple[str, str, object]]] = {}
    for aid, title, date in entries:
        issues.setdefault(aid.split("/", 1)[0] if "/" in aid else "", []).append((aid, title, date))
    for issue in sorted(issues, reverse=True):
        body += ['<section class="issue">', f"<h2>{esc(issue_label(issue, lang))}</h2>", "<ul>"]
        for aid, title, date in sorted(issues[issue]):
            item = f'<li><a href="{esc(aid)}.html">{inline_html(str(title))}</a>'
            when = long_date(date, lang)
            if when:
                item += f' <time datetime="{esc(when[0])}">{esc(when[1])}</time>'
            body.append(item + "</li>")
        body += ["</ul>", "</section>"]
    body.append("</main>")
    return _page(lang, f"{site} ({lang_name(lang)})", head, body)
