"""Tests for l10n.glossary: loading, validation errors with lines, hits, version."""
from __future__ import annotations

import random
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.errors import InputError
from l10n.glossary import Glossary, Term, load_glossary

GOOD = """\
# Project glossary
- ja: 大分県
  en: Oita Prefecture
  ko: 오이타현
  es: prefectura de Oita
  note: always "Oita", never "Ōita"

- ja: 奈良県
  en: Nara Prefecture
  ko: 나라현
  es: prefectura de Nara
- ja: 奈良県知事
  en: Governor of Nara Prefecture
  ko: 나라현 지사
- ja: 外務省
  en: Ministry of Foreign Affairs
  ko:
"""


def write(tmp_path: Path, text: str, name: str = "glossary.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def term(ja: str, **translations: str) -> Term:
    return Term(ja=ja, translations=dict(translations))


# ------------------------------------------------------------------------- loading


def test_load_good_file(tmp_path):
    g = load_glossary(write(tmp_path, GOOD))
    assert [t.ja for t in g.terms] == ["大分県", "奈良県", "奈良県知事", "外務省"]
    oita = g.terms[0]
    assert oita.translations == {"en": "Oita Prefecture", "ko": "오이타현", "es": "prefectura de Oita"}
    assert oita.note == 'always "Oita", never "Ōita"'
    assert [t.line for t in g.terms] == [2, 8, 12, 15]
    # an empty value means "no translation yet"
    assert g.terms[3].translations == {"en": "Ministry of Foreign Affairs"}


def test_missing_file_is_empty(tmp_path):
    g = load_glossary(tmp_path / "nope.yaml")
    assert g.terms == []
    assert g.hits("大分県") == []
    assert g.for_lang("en") == []


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_file_is_empty(tmp_path, text):
    assert load_glossary(write(tmp_path, text)).terms == []


def test_for_lang(tmp_path):
    g = load_glossary(write(tmp_path, GOOD))
    assert g.for_lang("es") == [("大分県", "prefectura de Oita"), ("奈良県", "prefectura de Nara")]
    assert ("外務省", "Ministry of Foreign Affairs") in g.for_lang("en")
    assert all(ja != "外務省" for ja, _ in g.for_lang("ko"))
    assert g.for_lang("fr") == []


def test_text_is_nfc_not_nfkc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "ガイド")  # カ + combining voiced mark
    assert decomposed != "ガイド"
    text = f"- ja: {decomposed}\n  en: Ｇｕｉｄｅ (ﾃｽﾄ)\n  es: \"  guía  \"\n"
    g = load_glossary(write(tmp_path, text))
    t = g.terms[0]
    assert t.ja == "ガイド"  # composed
    assert t.translations["en"] == "Ｇｕｉｄｅ (ﾃｽﾄ)"  # full-width kept: NFC, never NFKC
    assert t.translations["es"] == unicodedata.normalize("NFC", "guía")
    assert g.hits(decomposed + "を読む") == [(0, 3, t)]


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_bytes("\ufeff- ja: 大分県\n  en: Oita Prefecture\n".encode("utf-8"))
    assert load_glossary(path).terms[0].ja == "大分県"


# --------------------------------------------------------------- bad input: lines


def load_error(tmp_path: Path, text: str) -> InputError:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_glossary(path)
    err = info.value
    assert err.path == str(path)
    assert str(err).startswith(f"{path}:{err.line}: ")
    return err


def test_bad_yaml_reports_parser_line(tmp_path):
    text = "- ja: 大分県\n  en: Oita Prefecture\n- ja: 奈良県\n  en: [Nara Prefecture\n  ko: 나라현\n"
    err = load_error(tmp_path, text)
    import yaml

    with pytest.raises(yaml.YAMLError) as raw:
        yaml.safe_load(text)
    assert err.line == raw.value.problem_mark.line + 1
    assert "YAML" in err.message


def test_bad_yaml_tab_indentation(tmp_path):
    err = load_error(tmp_path, "- ja: 大分県\n  en: Oita\n- ja: 奈良県\n\ten: Nara\n")
    assert err.line == 4


def test_not_a_list(tmp_path):
    err = load_error(tmp_path, "# comment\nja: 大分県\nen: Oita Prefecture\n")
    assert err.line == 2
    assert "list" in err.message


def test_scalar_root(tmp_path):
    err = load_error(tmp_path, "just text\n")
    assert err.line == 1


def test_item_not_a_mapping(tmp_path):
    err = load_error(tmp_path, "- ja: 大分県\n  en: Oita Prefecture\n\n- 奈良県\n")
    assert err.line == 4
    assert "mapping" in err.message


def test_item_is_a_list(tmp_path):
    err = load_error(tmp_path, "- ja: 大分県\n- - 奈良県\n  - Nara\n")
    assert err.line == 2


def test_missing_ja(tmp_path):
    err = load_error(tmp_path, "- ja: 大分県\n  en: Oita Prefecture\n- en: Nara Prefecture\n  ko: 나라현\n")
    assert err.line == 3
    assert "'ja'" in err.message


@pytest.mark.parametrize("value", ["", '""', "'   '", "null"])
def test_empty_ja(tmp_path, value):
    err = load_error(tmp_path, f"- ja: 大分県\n- en: x\n  ja: {value}\n")
    assert err.line == 2


@pytest.mark.parametrize(
    "bad, line",
    [
        ("  en: 2025\n", 3),  # int
        ("  en: yes\n", 3),  # bool
        ("  en: [Oita, Prefecture]\n", 3),  # list
        ("  en:\n    text: Oita\n", 3),  # mapping
        ("  note: 1.5\n", 3),  # float note
    ],
)
def test_non_string_value(tmp_path, bad, line):
    text = "- ja: 奈良県\n  en: Nara\n- ja: 大分県\n" + bad
    err = load_error(tmp_path, text)
    assert err.line == line
    assert "string" in err.message


def test_non_string_ja(tmp_path):
    err = load_error(tmp_path, "- ja: 大分県\n- ja: 100\n  en: hundred\n")
    assert err.line == 2
    assert "string" in err.message


def test_non_string_key(tmp_path):
    err = load_error(tmp_path, "- ja: 大分県\n  1: Oita\n")
    assert err.line == 1


def test_duplicate_ja(tmp_path):
    text = "- ja: 大分県\n  en: Oita Prefecture\n- ja: 奈良県\n  en: Nara\n\n- ja: 大分県\n  en: Oita\n"
    err = load_error(tmp_path, text)
    assert err.line == 6
    assert "大分県" in err.message and "line 1" in err.message


def test_duplicate_ja_after_normalization(tmp_path):
    decomposed = unicodedata.normalize("NFD", "ガイド")
    err = load_error(tmp_path, f"- ja: ガイド\n- ja: '{decomposed} '\n")
    assert err.line == 2


def test_duplicate_key_in_item(tmp_path):
    err = load_error(tmp_path, "- ja: 大分県\n- ja: 奈良県\n  en: Nara\n  en: Nara Prefecture\n")
    assert err.line == 2


def test_invalid_utf8(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_bytes(b"- ja: x\n- ja: \xff\xfe\n")
    with pytest.raises(InputError) as info:
        load_glossary(path)
    assert info.value.line == 2


# ------------------------------------------------------------------------------ hits


def test_hits_longest_match_first():
    nara, governor, oita = term("奈良県", en="Nara Prefecture"), term("奈良県知事", en="Governor"), term("大分県")
    g = Glossary([nara, governor, oita])
    source = "奈良県知事と大分県、奈良県の職員"
    assert g.hits(source) == [(0, 5, governor), (6, 9, oita), (10, 13, nara)]
    # order of the terms in the glossary does not matter
    assert Glossary([governor, oita, nara]).hits(source) == g.hits(source)


def test_hits_leftmost_then_longest_non_overlapping():
    a, b, c = term("国際交流"), term("交流員"), term("国際交流員")
    g = Glossary([a, b, c])
    assert g.hits("国際交流員と交流員と国際交流") == [(0, 5, c), (6, 9, b), (10, 14, a)]
    # without the long term, the leftmost match wins and blocks the overlapping one
    assert Glossary([a, b]).hits("国際交流員") == [(0, 4, a)]


def test_hits_none_and_empty():
    g = Glossary([term("大分県")])
    assert g.hits("") == []
    assert g.hits("奈良県と韓国") == []
    assert Glossary([]).hits("大分県") == []


def reference_hits(terms: list[Term], source: str) -> list[tuple[int, int, Term]]:
    """Brute force leftmost-longest, for comparison."""
    by_ja = {}
    for t in terms:
        by_ja.setdefault(t.ja, t)
    out, i = [], 0
    while i < len(source):
        best = max((ja for ja in by_ja if source.startswith(ja, i)), key=len, default=None)
        if best:
            out.append((i, i + len(best), by_ja[best]))
            i += len(best)
        else:
            i += 1
    return out


ALPHABET = "大分県奈良知事甘楽町国際交流員"
words = st.text(alphabet=ALPHABET, min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=12, unique=True), st.text(alphabet=ALPHABET + "とのa ", max_size=40))
def test_hits_match_reference(jas, source):
    terms = [term(ja, en=f"t{i}") for i, ja in enumerate(jas)]
    g = Glossary(terms)
    got = g.hits(source)
    assert got == reference_hits(terms, source)
    ends = [0]
    for start, end, t in got:
        assert source[start:end] == t.ja
        assert start >= ends[-1]
        ends.append(end)


def test_hits_fast_with_1000_terms():
    rng = random.Random(7)
    kanji = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]
    jas = {"".join(rng.choice(kanji) for _ in range(rng.randint(2, 6))) for _ in range(1000)}
    terms = [term(ja, en=ja) for ja in sorted(jas)]
    g = Glossary(terms)
    sources = ["".join(rng.choice(kanji + ["の", "は", "、"]) for _ in range(120)) for _ in range(300)]
    sources += [f"今年は{terms[i].ja}と{terms[-i - 1].ja}を訪問しました。" for i in range(200)]
    started = time.perf_counter()
    results = [g.hits(s) for s in sources]
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"hits too slow: {elapsed:.2f}s for {len(sources)} sources"
    for s, r in list(zip(sources, results))[-20:]:
        assert r == reference_hits(terms, s)
        assert len(r) >= 2


# --------------------------------------------------------------------------- version


def test_version_format_and_stability(tmp_path):
    g = load_glossary(write(tmp_path, GOOD))
    v = g.version()
    assert len(v) == 16 and all(c in "0123456789abcdef" for c in v)
    assert load_glossary(write(tmp_path, GOOD, "copy.yaml")).version() == v
    # comments, blank lines, key order and term order do not change the content
    reordered = """\
- ja: 外務省
  en: Ministry of Foreign Affairs
- ja: 奈良県知事
  ko: 나라현 지사
  en: Governor of Nara Prefecture


- ja: 奈良県   # comment
  es: prefectura de Nara
  ko: 나라현
  en: Nara Prefecture
- note: always "Oita", never "Ōita"
  es: prefectura de Oita
  ko: 오이타현
  en: Oita Prefecture
  ja: 大分県
"""
    assert load_glossary(write(tmp_path, reordered, "r.yaml")).version() == v


@pytest.mark.parametrize(
    "old, new",
    [
        ("en: Oita Prefecture", "en: Oita prefecture"),  # a translation
        ("  ko: 오이타현\n", ""),  # a translation removed
        ('note: always "Oita", never "Ōita"', "note: changed"),  # a note
        ("- ja: 奈良県\n", "- ja: 奈良市\n"),  # a Japanese term
        ("  ko:\n", "  ko: 외무성\n"),  # a translation added
        ("- ja: 外務省\n", "- ja: 甘楽町\n  en: Kanra Town\n- ja: 外務省\n"),  # a term added
    ],
)
def test_version_changes_when_a_term_changes(tmp_path, old, new):
    assert old in GOOD
    before = load_glossary(write(tmp_path, GOOD)).version()
    after = load_glossary(write(tmp_path, GOOD.replace(old, new, 1), "b.yaml")).version()
    assert before != after


def test_version_of_built_glossary():
    a = Glossary([term("大分県", en="Oita Prefecture")])
    b = Glossary([term("大分県", en="Oita Prefecture")])
    c = Glossary([term("大分県", en="Oita")])
    assert a.version() == b.version() != c.version()
    assert Glossary([]).version() != a.version()


def test_term_is_hashable_and_line_ignored_in_equality():
    t1 = Term("大分県", {"en": "Oita Prefecture"}, line=3)
    t2 = Term("大分県", {"en": "Oita Prefecture"}, line=9)
    assert t1 == t2 and hash(t1) == hash(t2)
    assert len({t1, t2}) == 1
