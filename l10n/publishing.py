"""`l10n build`: publish each article in each language once all its entries are approved.

For every article and target language whose catalog covers every unit of the article
and whose entries are all publishable (approved; or translated or approved with
`publishing.policy: translated`), the build writes under OUT:

    OUT/.l10n-build.json               the files the build owns (for removing stale ones)
    OUT/<lang>/index.html              the articles built in that language, by issue
    OUT/<lang>/<issue>/<slug>.md       the localized Markdown, with front matter
    OUT/<lang>/<issue>/<slug>.html     the page, rendered from that Markdown
    OUT/<lang>/<issue>/<slug>.mo       the catalog compiled (only with `publishing.mo: true`)

The Markdown is the source's structure (article.Block prefixes and separators) with each
block's sentences replaced by their translations. A translation that would change the
structure (a sentence starting with `- ` or `# `) is escaped, and the result is parsed again
and compared with the source: an article whose structure still differs is not published.

Only text whose review state allows it reaches the output: `review.state(e)` decides, so an
approval voided by any later edit blocks publishing. Output bytes depend only on the
inputs (no times, no absolute paths), and files are written with `storage.atomic_write`,
which leaves identical files untouched. Outputs of articles that are no longer complete
are removed, but only files the build owns (listed in its manifest, or a path the build
itself would write).
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton
from markdown_it import MarkdownIt

from . import catalog as po
from .article import Article, Block, parse_article, split_front_matter
from .errors import UsageError
from .project import Project
from .review import APPROVED, DRAFT, TRANSLATED, UNTRANSLATED, approval, state
from .workspace import check_output, load_catalog, write_output

MANIFEST = ".l10n-build.json"
MANIFEST_VERSION = 1
FRONT_KINDS = ("title", "summary", "caption")  # blocks that go to the front matter
OWN_SUFFIXES = (".md", ".html", ".mo")
# languages written without spaces between sentences
NO_SPACE_LANGS = {"ja", "zh", "th", "lo", "km", "my", "bo"}

_PARSE = MarkdownIt("commonmark")  # as article.py parses the source
# the pages: raw HTML in a translation is shown as text, never passed through
_RENDER = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False})


# ------------------------------------------------------------------ completeness
@dataclass
class Job:
    """One article in one language."""

    article: Article
    lang: str
    counts: dict[str, int] = field(default_factory=dict)
    missing: int = 0  # units with no entry in the catalog
    void: int = 0  # entries whose approval no longer matches
    conflicts: int = 0
    no_catalog: bool = False
    problem: str | None = None
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    catalog: po.Catalog | None = None

    @property
    def aid(self) -> str:
        return self.article.id

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self) -> str:
        return f"{self.aid} [{self.lang}]: {self.problem}"


def publishable(e: po.Entry, policy: str) -> bool:
    if any(c.startswith("l10n: conflict") for c in e.comments):
        return False
    s = state(e)
    return s == APPROVED or (policy == "translated" and s == TRANSLATED)


def assess(project: Project, article: Article, lang: str) -> Job:
    """Whether the article can be published in `lang`, and its translations if so."""
    policy = project.config.publish_policy
    job = Job(article, lang)
    path = project.catalog_path(lang, article.id)
    if not path.is_file():
        job.no_catalog = True
        job.problem = "no catalog yet (run l10n sync)"
        return job
    cat = load_catalog(project, path)
    index = cat.index()
    counts = {UNTRANSLATED: 0, DRAFT: 0, TRANSLATED: 0, APPROVED: 0}
    units = article.unique_units()
    bad = 0
    for u in units:
        e = index.get((u.role, u.text))
        if e is None or e.msgid_plural is not None:
            job.missing += 1
            bad += 1
            continue
        s = state(e)
        counts[s] += 1
        if s != APPROVED and approval(e) is not None:
            job.void += 1
        if any(c.startswith("l10n: conflict") for c in e.comments):
            job.conflicts += 1
        if publishable(e, policy):
            job.texts[(u.role, u.text)] = e.msgstr
        else:
            bad += 1
    job.counts = counts
    job.catalog = cat
    if not units:
        job.problem = "nothing to translate"
    elif bad:
        word = "approved" if policy == "approved" else "translated"
        detail = [f"{counts[s]} {s}" for s in (UNTRANSLATED, DRAFT, TRANSLATED)
                  if counts[s] and not (policy == "translated" and s == TRANSLATED)]
        if job.missing:
            detail.append(f"{job.missing} not in the catalog (run l10n sync)")
        if job.void:
            detail.append(f"{job.void} with a void approval (changed after review)")
        if job.conflicts:
            detail.append(f"{job.conflicts} with merge conflicts")
        job.problem = f"{bad} of {len(units)} entries not {word} ({', '.join(detail)})"
    return job


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
    """The block's sentences replaced by their translations, on one line."""
    if not block.role or not block.segments:
        return block.text
    parts = [_one_line(texts[(block.role, s)]) for s in block.segments]
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


def _localized_meta(article: Article, texts: dict[tuple[str, str], str], lang: str) -> dict:
    captions: dict[int, str] = {}
    title = summary = None
    for b in article.blocks:
        if b.kind == "title":
            title = block_text(b, texts, lang)
        elif b.kind == "summary":
            summary = block_text(b, texts, lang)
        elif b.kind == "caption" and b.image is not None:
            captions[b.image] = block_text(b, texts, lang)
    meta: dict = {}
    for key, value in article.meta.items():
        if key == "title" and title is not None:
            value = title
        elif key == "summary" and summary is not None:
            value = summary
        elif key == "images" and isinstance(value, list):
            images = []
            for i, img in enumerate(value):
                img = dict(img)
                if i in captions:
                    img["caption"] = captions[i]
                images.append(img)
            value = images
        meta[key] = value
    meta.pop("lang", None)
    meta.pop("source", None)
    return meta


def article_markdown(project: Project, job: Job,
                     refs: list[str] | None = None) -> tuple[str, dict, str]:
    """(whole file, front matter, body)."""
    a = job.article
    meta = _localized_meta(a, job.texts, job.lang)
    meta["lang"] = job.lang
    meta["source"] = {"path": project.rel(a.path), "sha256": a.source_hash}
    fm = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False,
                        width=1_000_000)
    body = body_markdown(a, job.texts, job.lang, refs)
    return f"---\n{fm}---\n\n{body}", meta, body


# ------------------------------------------------------------------ HTML
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
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, dt.date):
        return None
    return value.isoformat(), format_date(value, format="long", locale=lang.replace("-", "_"))


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


def article_html(project: Project, job: Job, meta: dict, body_md: str,
                 alternates: list[str]) -> str:
    a, lang = job.article, job.lang
    slug = a.id.rsplit("/", 1)[-1]
    depth = a.id.count("/") + 1  # OUT/<lang>/<issue>/<slug>.html
    up = "../" * a.id.count("/")
    targets = {l: f"{'../' * depth}{l}/{a.id}.html" if l != lang else f"{slug}.html"
               for l in alternates}
    head, nav = _language_links(lang, targets)
    title_md = str(meta.get("title", ""))
    body = [f'<header class="site"><a href="{esc(up)}index.html">{esc(project.config.project)}</a>'
            "</header>", *nav, "<article>", "<header>", f"<h1>{inline_html(title_md)}</h1>"]
    when = long_date(meta.get("date"), lang)
    if when:
        body.append(f'<p class="date"><time datetime="{esc(when[0])}">{esc(when[1])}</time></p>')
    if meta.get("summary"):
        body.append(f'<p class="summary">{inline_html(str(meta["summary"]))}</p>')
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


def index_html(project: Project, lang: str, entries: list[tuple[Job, dict]],
               languages: list[str]) -> str:
    name = project.config.project
    targets = {l: f"../{l}/index.html" if l != lang else "index.html" for l in languages}
    head, nav = _language_links(lang, targets)
    body = ["<header>", f"<h1>{esc(name)}</h1>",
            f'<p class="language">{esc(lang_name(lang))}</p>', "</header>", *nav, "<main>"]
    issues: dict[str, list[tuple[Job, dict]]] = {}
    for job, meta in entries:
        issues.setdefault(job.article.issue, []).append((job, meta))
    for issue in sorted(issues, reverse=True):
        body += ['<section class="issue">', f"<h2>{esc(issue_label(issue, lang))}</h2>", "<ul>"]
        for job, meta in sorted(issues[issue], key=lambda jm: jm[0].aid):
            item = (f'<li><a href="{esc(job.aid)}.html">{inline_html(str(meta.get("title", "")))}'
                    "</a>")
            when = long_date(meta.get("date"), lang)
            if when:
                item += f' <time datetime="{esc(when[0])}">{esc(when[1])}</time>'
            body.append(item + "</li>")
        body += ["</ul>", "</section>"]
    body.append("</main>")
    return _page(lang, f"{name} ({lang_name(lang)})", head, body)


# ------------------------------------------------------------------ .mo
def mo_bytes(cat: po.Catalog, policy: str) -> bytes:
    """The catalog's publishable entries as a GNU .mo file (polib; no dates added)."""
    mo = polib.POFile()
    mo.metadata = {k: v for k, v in cat.headers}
    for e in cat.active():
        if e.msgid_plural is None and publishable(e, policy):
            mo.append(polib.POEntry(msgid=e.msgid, msgstr=e.msgstr, msgctxt=e.msgctxt))
    return bytes(mo.to_binary())


# ------------------------------------------------------------------ the build
@dataclass
class BuildReport:
    out: Path
    langs: list[str]
    built: list[Job] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files whose bytes changed
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "languages": self.langs,
            "built": [{"article": j.aid, "lang": j.lang} for j in self.built],
            "skipped": [{"article": j.aid, "lang": j.lang, "problem": j.problem,
                         "counts": j.counts, "missing": j.missing, "void": j.void}
                        for j in self.skipped],
            "written": self.written, "unchanged": self.unchanged, "removed": self.removed,
        }


def out_dir(project: Project, out: Path | None) -> Path:
    path = (out or project.config.publish_out or project.root / "build").resolve()
    root = project.root
    for name, d in (("content", project.content_dir), ("locales", project.locales_dir),
                    ("cache", root / ".l10n")):
        if path == d or d in path.parents:
            raise UsageError(f"the output directory {path} is inside the {name} directory")
    if path == root or path in root.parents:
        raise UsageError(f"the output directory {path} would hold the project itself; "
                         "use a folder such as build/")
    if path.exists() and not path.is_dir():
        raise UsageError(f"the output directory {path} is not a directory")
    return path


def _read_manifest(out: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {k: [p for p in v if isinstance(p, str)] for k, v in files.items() if isinstance(v, list)}


def _owned_path(out: Path, rel: str, lang: str) -> Path | None:
    """An owned file's path, if it is one the build could have written for `lang`."""
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] != lang or any(p in ("", ".", "..") for p in parts):
        return None
    if not rel.endswith(OWN_SUFFIXES):
        return None
    path = out / rel
    try:  # never through a symlinked folder to somewhere else
        path.parent.resolve().relative_to(out.resolve())
    except (OSError, ValueError):
        return None
    return path


def build(project: Project, out: Path | None = None, langs: list[str] | None = None) -> BuildReport:
    """Build every complete article in the selected languages (see the module docstring)."""
    langs = project.langs(langs)
    out = out_dir(project, out)
    policy = project.config.publish_policy
    mode = project.config.segmentation

    # 1. read everything first: a bad article or catalog stops the build before any write
    articles = [parse_article(project.article_path(aid), aid, mode) for aid in project.article_ids()]
    report = BuildReport(out, langs)
    files: dict[str, bytes] = {}  # path under OUT -> bytes
    done: dict[str, list[tuple[Job, dict]]] = {lang: [] for lang in langs}
    ok_langs: dict[str, list[str]] = {}
    pending: list[tuple[Job, dict, str, str]] = []
    for a in articles:
        source: tuple[list[tuple], list[str]] | None = None
        for lang in langs:
            job = assess(project, a, lang)
            if job.ok:
                if source is None:
                    src = source_body(a)
                    source = (structure(src), references(src))
                text, meta, body = article_markdown(project, job, source[1])
                if structure(body) != source[0]:
                    job.problem = ("a translation changes the article's Markdown structure "
                                   "(a sentence that starts a list, a heading or a quote?)")
            if not job.ok:
                report.skipped.append(job)
                continue
            report.built.append(job)
            ok_langs.setdefault(a.id, []).append(lang)
            pending.append((job, meta, text, body))

    # 2. the pages; other languages link only to pages that exist after this build
    for job, meta, text, body in pending:
        a = job.article
        alternates = [l for l in project.languages
                      if (l in langs and l in ok_langs[a.id])
                      or (l not in langs and (out / l / f"{a.id}.html").is_file())]
        files[f"{job.lang}/{a.id}.md"] = text.encode("utf-8")
        files[f"{job.lang}/{a.id}.html"] = article_html(project, job, meta, body,
                                                        alternates).encode("utf-8")
        if project.config.publish_mo and job.catalog is not None:
            files[f"{job.lang}/{a.id}.mo"] = mo_bytes(job.catalog, policy)
        done[job.lang].append((job, meta))
    for lang in langs:
        index_langs = [l for l in project.languages
                       if l in langs or (out / l / "index.html").is_file()]
        files[f"{lang}/index.html"] = index_html(project, lang, done[lang],
                                                 index_langs).encode("utf-8")

    # 3. write, then remove what the build wrote before and no longer produces
    check_output(out, [*files, MANIFEST])
    for rel in sorted(files):
        if write_output(out, out / rel, files[rel]):
            report.written.append(rel)
        else:
            report.unchanged.append(rel)
    manifest = _read_manifest(out)
    known = {f"{a.id}{suffix}" for a in articles for suffix in OWN_SUFFIXES}
    for lang in langs:
        candidates = set(manifest.get(lang, [])) | {f"{lang}/{k}" for k in known}
        for rel in sorted(candidates - set(files)):
            path = _owned_path(out, rel, lang)
            if path is not None and path.is_file() and not path.is_symlink():
                path.unlink()
                report.removed.append(rel)
                _prune(path.parent, out / lang)
        manifest[lang] = sorted(r for r in files if r.split("/", 1)[0] == lang)
    body = {"version": MANIFEST_VERSION, "generator": "l10n build",
            "files": {k: manifest[k] for k in sorted(manifest)}}
    write_output(out, out / MANIFEST, (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode())
    return report


def _prune(d: Path, stop: Path) -> None:
    """Remove empty folders from d up to (not including) stop."""
    while d != stop and stop in d.parents:
        try:
            d.rmdir()
        except OSError:
            return
        d = d.parent


__all__ = ["build", "assess", "BuildReport", "Job", "body_markdown", "structure", "mo_bytes"]
