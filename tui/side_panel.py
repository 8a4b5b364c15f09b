"""The article screen's side panel for one entry: check findings, memory suggestions
(the matched Japanese as a diff, the article they come from), the DeepL suggestion, glossary
hits, notes and where the text came from; the proof line when audits are required. Most
urgent first, one line per label, so that 80x24 shows the suggestions and the glossary even
when an entry has findings. Pure rendering: the screen's state in, Rich Text out."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from l10n import review
from l10n.catalog_view import describe_origin

from .render import diff_text, fit, wrap_japanese

if TYPE_CHECKING:
    from l10n.catalog import Entry


SUGGESTION_CONTEXT = 3  # unchanged characters kept next to each change of a suggestion's source
DIFF_LINES = 2  # lines for a suggestion's source diff


def suggestion_origin(origin: str) -> str:
    """Where a memory suggestion comes from, as an article id: `locales/en/2026-02/x.po`
    -> `2026-02/x`; imported TMX keeps its file name."""
    parts = origin.split("/")
    if origin.endswith(".po") and len(parts) >= 3:
        return "/".join(parts[2:])[:-3]
    return origin


def side_panel(screen, e: Entry, text: str, hits: list) -> Text:
    """The side panel of `screen` (an ArticleScreen) for entry `e` whose editor holds `text`."""
    s = screen.session
    # Most urgent first, and one line per item where the text is a label rather than
    # something to read (findings, diffs, origins): at 80x24 an entry with findings
    # still shows its suggestions and its glossary terms.
    width = max((screen.query_one("#side").size.width or 42) - 2, 20)

    def line(*parts: tuple[str, str] | Text, indent: str = " ") -> None:
        t = Text(indent)
        for p in parts:
            if isinstance(p, Text):
                t.append_text(p)
            else:
                t.append(p[0], style=p[1])
        side.append_text(fit(t, width))
        side.append("\n")

    console = screen.app.console

    def hanging(lead: Text, body: str, style: str = "") -> None:
        """`lead` then `body` wrapped, its further lines indented under its first."""
        pad = lead.cell_len
        for i, ln in enumerate(wrap_japanese(Text(body, style=style), max(width - pad, 10),
                                             console)):
            side.append_text(lead if i == 0 else Text(" " * pad))
            side.append_text(ln)
            side.append("\n")

    side = Text()
    proof = screen.proof_line(e)
    if proof is not None:
        side.append("Proof ", style="bold")
        side.append(proof[0] + "\n", style=proof[1])
    rejected = review.rejection(e) if e.fuzzy else None
    if rejected is not None:  # a draft still under a rejection: what to fix comes first
        when, who, note = rejected
        side.append(f"Rejected by {who} {when[:10]}\n", style="bold yellow")
        hanging(Text(" "), note)
    side.append("Checks", style="bold")
    findings = s.findings(screen.lang, e, text) if text else []  # errors first
    if any(cell_len(f" {f.severity} {f.check}: {f.message}") > width for f in findings):
        side.append(" i in full", style="dim")  # a line below is cut
    side.append("\n")
    if not text:
        side.append(" —\n", style="dim")
    elif not findings:
        side.append(" ✓ no findings\n", style="green")
    for f in findings:
        style = "bold red" if f.severity == "error" else "yellow"
        line((f.severity, style), (f" {f.check}: {f.message}", ""))
    side.append("Memory ", style="bold")
    side.append("1-3 take\n", style="dim")
    if s.memory is None:
        side.append(" loading…\n", style="dim")
    else:
        sugg = s.known_suggestions(screen.lang, e)  # None: the search runs in a worker
        if sugg is None:
            side.append(" searching…\n", style="dim")
            sugg = []
        elif not sugg:
            side.append(f" no match ≥ {s.project.config.memory_min_score:g}%\n", style="dim")
        for n, sg in enumerate(sugg, 1):
            lead = Text()
            lead.append(f" {n} ", style="bold reverse")
            lead.append(f" {int(round(sg.score))}% ", style="bold green" if sg.score >= 100 else "green")
            hanging(lead, sg.target)
            where = suggestion_origin(sg.origin)
            # what the matched Japanese says, against this one, and where it is from
            # (a few characters around each change: the whole diff on one line hid them)
            diff = diff_text(sg.source, e.msgid, context=SUGGESTION_CONTEXT) if sg.source != e.msgid \
                else Text("same source", style="dim")
            slug = where.rsplit("/", 1)[-1]  # the article's name; its issue is in the list
            said = diff.copy()  # the article after it: a space after a name before it was
            if slug:            # where the line broke, leaving the name alone on the first
                said.append(f" · {slug}", style="dim")
            # on up to DIFF_LINES lines (one showed only a diff's first insertion)
            lines = wrap_japanese(said, max(width - 3, 10), console)
            for i, ln in enumerate(lines[:DIFF_LINES]):
                side.append("   ")
                last = i == DIFF_LINES - 1 and len(lines) > DIFF_LINES
                side.append_text(fit(ln + Text("…"), width - 3) if last else ln)
                side.append("\n")
    mt = screen.mt_suggestions.get((screen.lang, e.key))
    if mt is not None:
        side.append("DeepL ", style="bold")
        side.append("d take\n" if mt else "asking…\n", style="dim")
        if mt:
            hanging(Text(" "), mt)
    side.append("Glossary\n", style="bold")
    if not hits:
        side.append(" no terms\n", style="dim")
    seen = set()
    for _a, _b, ja, tr in hits:
        if ja in seen:
            continue
        seen.add(ja)
        target = tr or f"(no {screen.lang})"
        if cell_len(f" {ja} → {target}") <= width:
            line((ja, "magenta"), (f" → {target}", ""))
        else:  # the term the translation must use is never cut: it goes under the
            line((ja, "magenta"))  # source term (cut if need be: the source pane shows it whole)
            hanging(Text("   → "), target)
    if review.notes(e):
        side.append("Notes\n", style="bold")
        for ln in review.notes(e):
            hanging(Text(" "), ln, "italic")
    side.append("Origin\n", style="bold")
    lines = describe_origin(e) or (["no translation yet"] if not e.msgstr
                                   else ["no record of where it came from"])
    for ln in lines:
        if ln.startswith("rejected") and rejected is not None:
            continue  # at the top
        if ln.startswith(("rejected", "override")):  # a reviewer's words: read whole, wrapped
            hanging(Text(" "), ln, "yellow" if ln.startswith("rejected") else "")
        else:
            line((ln, ""))
    side.rstrip()
    return side
