"""The checks' shortcuts (for the dashboard's error column, issue 15) give exactly what
the long way gives: plain text read without markdown-it, and the errors-only run."""
from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.checks import check_entry
from l10n.checks.text import _ACTIVE, markdown_inline, parse_inline
from tests.test_checks import CORPUS, GLOSSARY

# every ASCII character, the whitespace and line breaks markdown-it knows, Japanese text
# and punctuation, full-width forms, URLs' pieces, invisible and control characters
ALPHABET = (string.printable + "\u00a0\u3000\u2028\u2029\x85\x0b\x0c\x00\x1b\u200b\u202e\ufeff"
            "日本語のテキスト、。「」『』（）！？ａｂ１２３％：" + "é¿¡")
TEXT = st.text(alphabet=ALPHABET, max_size=60) | st.builds(
    lambda a, b: a + b, st.sampled_from(["https://example.com/x ", "www.a.jp ", "mailto:", ""]),
    st.text(alphabet=ALPHABET, max_size=30))


@settings(max_examples=3000, deadline=None)
@given(TEXT)
def test_plain_text_is_read_as_markdown_it_reads_it(raw):
    assert parse_inline.__wrapped__(raw) == markdown_inline(raw)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=sorted(set(ALPHABET) - _ACTIVE), max_size=80))
def test_the_shortcut_is_taken_for_text_without_markup_characters(raw):
    # the alphabet has no markup character: parse_inline takes its shortcut every time
    assert parse_inline.__wrapped__(raw) == markdown_inline(raw)


def _corpus():
    for kind in ("clean", "defective"):
        yield from CORPUS[kind]


def test_the_errors_only_run_finds_every_error_and_nothing_else():
    """Over the whole checks corpus: the same error findings, in the same order, as the
    full run filtered to errors (punctuation, an error check, also reports warnings)."""
    n = 0
    for item in _corpus():
        args = (item["source"], item["target"], item["lang"], GLOSSARY)
        role = item.get("role", "body")
        full = [f for f in check_entry(*args, role=role) if f.severity == "error"]
        only = check_entry(*args, role=role, severity="error")
        assert only == full, item
        n += len(full)
    assert n > 50  # the corpus has errors to find


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=40), st.text(alphabet=ALPHABET, min_size=1, max_size=40),
       st.sampled_from(["en", "ko", "es"]), st.sampled_from(["body", "title", "caption"]))
def test_the_errors_only_run_agrees_on_arbitrary_text(source, target, lang, role):
    full = [f for f in check_entry(source, target, lang, GLOSSARY, role=role) if f.severity == "error"]
    assert check_entry(source, target, lang, GLOSSARY, role=role, severity="error") == full


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=20), st.text(alphabet=ALPHABET, min_size=1, max_size=40))
def test_the_invisible_characters_shortcut_misses_nothing(source, target):
    from l10n.checks.safety import invisible

    expected = any(c not in set(source) and invisible(c) for c in target)
    found = [f for f in check_entry(source, target, "en", GLOSSARY) if f.check == "invisible_characters"]
    assert bool(found) == (expected and bool(target.strip()))


def test_no_text_up_to_the_shortcut_length_is_over_the_markdown_budget():
    """parse_pair skips the cost estimate for texts up to _ALWAYS_UNDER_BUDGET
    characters: the costliest such text (every character the heaviest opener) is under."""
    from l10n.checks.text import _ALWAYS_UNDER_BUDGET, _WEIGHTS, MARKDOWN_BUDGET, markdown_cost

    n = _ALWAYS_UNDER_BUDGET
    heaviest = max(_WEIGHTS, key=_WEIGHTS.get)
    worst = [heaviest * n, "<" * n, "](" * (n // 2), "![" * (n // 2), ("[" + "<") * (n // 2)]
    assert all(markdown_cost(t) <= MARKDOWN_BUDGET for t in worst)
    # and the bound is not loose by much: a little longer and a wall of "<" is over
    assert markdown_cost("<" * (n * 2)) > MARKDOWN_BUDGET
