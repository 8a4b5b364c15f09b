"""Translation memory: exact and fuzzy lookup, the fuzzy index against brute force, TMX."""
from __future__ import annotations

import random
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rapidfuzz import fuzz, process

from benchmarks.bench_memory import japanese_sentences, unrelated_sentences
from l10n.errors import InputError
from l10n.fuzzy import FuzzyIndex
from l10n.memory import Suggestion, TranslationMemory
from l10n.tmx import export_tmx, import_tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def index_everything(monkeypatch):
    """Use the fuzzy index even for tiny memories (it is skipped below a few hundred)."""
    monkeypatch.setattr(FuzzyIndex, "brute_force_below", 0)


def brute_force(sources: list[str], query: str, limit: int, min_score: float) -> list[tuple[float, str]]:
    """What suggest() must return, computed the obvious way."""
    scored = [(fuzz.ratio(query, s), s) for s in set(sources)]
    ranked = sorted(((score, s) for score, s in scored if score >= min_score), key=lambda h: (-h[0], h[1]))
    return ranked[:limit]


def perturb(rng: random.Random, text: str, pool: list[str]) -> str:
    """A few character edits and, sometimes, a word swapped with a piece of another sentence."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        i = rng.randrange(len(chars))
        filler = rng.choice(rng.choice(pool))
        if op < 0.35:
            chars[i] = filler
        elif op < 0.65:
            chars.insert(i, filler)
        elif op < 0.9 and len(chars) > 4:
            del chars[i]
        else:
            other = rng.choice(pool)
            j = rng.randrange(max(1, len(other) - 3))
            chars[i:i + 3] = other[j:j + 3]
    return "".join(chars)


# ----------------------------------------------------------------------------------------
# exact, suggest, best
# ----------------------------------------------------------------------------------------


def test_exact_match_returns_most_recent_target():
    tm = TranslationMemory()
    tm.add("en", "大分県は別府湾で清掃活動を行いました。", "Oita cleaned up Beppu Bay.", "catalog:2026-02/a")
    tm.add("en", "大分県は別府湾で清掃活動を行いました。", "Oita Prefecture cleaned Beppu Bay.", "catalog:2026-03/b")
    hit = tm.exact("en", "大分県は別府湾で清掃活動を行いました。")
    assert hit == Suggestion("大分県は別府湾で清掃活動を行いました。", "Oita Prefecture cleaned Beppu Bay.",
                             100.0, "catalog:2026-03/b")
    assert len(tm) == 2
    # Both translations are kept, most recent first, both scoring 100.
    found = tm.suggest("en", "大分県は別府湾で清掃活動を行いました。")
    assert [(s.target, s.score) for s in found] == [
        ("Oita Prefecture cleaned Beppu Bay.", 100.0), ("Oita cleaned up Beppu Bay.", 100.0)]
    # Adding a known translation again makes it the most recent (not a duplicate).
    tm.add("en", "大分県は別府湾で清掃活動を行いました。", "Oita cleaned up Beppu Bay.", "tmx:x.tmx")
    assert tm.exact("en", "大分県は別府湾で清掃活動を行いました。").origin == "tmx:x.tmx"
    assert tm.exact("en", "大分県は別府湾で清掃活動を行いました。").target == "Oita cleaned up Beppu Bay."
    assert len(tm) == 2


def test_exact_misses_and_normalisation():
    tm = TranslationMemory()
    decomposed = unicodedata.normalize("NFD", "ガイドブックを買った。")
    assert decomposed != "ガイドブックを買った。"
    tm.add("en", decomposed, "I bought a guidebook.")
    assert tm.exact("en", "ガイドブックを買った。").target == "I bought a guidebook."
    assert tm.exact("en", decomposed).source == "ガイドブックを買った。"
    assert tm.exact("en", "ガイドブックを買った") is None
    assert tm.exact("ko", "ガイドブックを買った。") is None
    assert tm.suggest("ko", "ガイドブックを買った。") == []
    assert tm.best("en", "") is None


def test_add_rejects_empty_values():
    tm = TranslationMemory()
    with pytest.raises(ValueError):
        tm.add("en", "", "x")
    with pytest.raises(ValueError):
        tm.add("en", "原文", "")
    with pytest.raises(ValueError):
        tm.add("", "原文", "x")


@pytest.mark.parametrize("indexed", [False, True])
def test_suggest_ranks_by_score_then_source(indexed, monkeypatch):
    if indexed:
        monkeypatch.setattr(FuzzyIndex, "brute_force_below", 0)
    query = "奈良県は14か国の大使を招いて視察ツアーを実施しました。"
    sources = [
        "奈良県は14か国の大使を招いて視察ツアーを実施しました。",
        "奈良県は15か国の大使を招いて視察ツアーを実施しました。",
        "奈良県は14か国の大使を招いて視察ツアーを開催しました。",
        "奈良県は41か国の大使を招いて視察ツアーを実施しました。",  # ties with the 15 one
        "大分県は3か国の留学生を招いて交流会を行いました。",
        "今日は朝から雨が降っていた。",
    ]
    forward, backward = TranslationMemory(), TranslationMemory()
    for k, s in enumerate(sources):
        forward.add("en", s, f"t{k}")
    for k, s in reversed(list(enumerate(sources))):
        backward.add("en", s, f"t{k}")
    got = forward.suggest("en", query, limit=10, min_score=0)
    assert [(s.score, s.source) for s in got] == brute_force(sources, query, 10, 0)
    assert [s.score for s in got] == sorted((s.score for s in got), reverse=True)
    assert got[0] == Suggestion(query, "t0", 100.0, "")
    assert all(s.score == pytest.approx(fuzz.ratio(query, s.source)) for s in got)
    # Ties are broken by the source text, whatever the insertion order.
    assert backward.suggest("en", query, limit=10, min_score=0) == got
    assert got[1].score == got[2].score and got[1].source < got[2].source
    # The limit keeps the best ones.
    assert forward.suggest("en", query, limit=2, min_score=0) == got[:2]
    assert forward.best("en", query) == got[0]


def test_min_score_filters_suggestions():
    tm = TranslationMemory()
    sources = ["別府市で音楽祭が開かれました。", "別府市で写真展が開かれました。", "猫が昼寝をしている。"]
    for s in sources:
        tm.add("es", s, "x")
    query = "別府市で音楽祭が開かれました!"
    scores = {s: fuzz.ratio(query, s) for s in sources}
    for threshold in (0, 50, 70, 90, 95, 100):
        got = tm.suggest("es", query, limit=5, min_score=threshold)
        assert {s.source for s in got} == {s for s, v in scores.items() if v >= threshold}
    assert tm.best("es", "まったく関係のない文章です。") is None
    assert tm.best("es", "まったく関係のない文章です。", min_score=0) is not None
    assert tm.suggest("es", "別府市で音楽祭が開かれました。", min_score=100) == [
        Suggestion("別府市で音楽祭が開かれました。", "x", 100.0, "")]


def test_languages_are_kept_apart():
    tm = TranslationMemory()
    tm.add("en", "別府市で音楽祭が開かれました。", "A music festival was held in Beppu.")
    tm.add("ko", "別府市で写真展が開かれました。", "벳푸시에서 사진전이 열렸습니다.")
    tm.add("es", "別府市で音楽祭が開かれました。", "Se celebró un festival de música en Beppu.")
    assert tm.languages() == ["en", "es", "ko"]
    assert tm.exact("ko", "別府市で音楽祭が開かれました。") is None
    assert tm.best("ko", "別府市で音楽祭が開かれました。").target == "벳푸시에서 사진전이 열렸습니다."
    assert tm.best("en", "別府市で音楽祭が開かれました。").target == "A music festival was held in Beppu."
    assert tm.exact("es", "別府市で音楽祭が開かれました。").target == "Se celebró un festival de música en Beppu."
    assert list(tm.pairs("ko")) == [("ko", "別府市で写真展が開かれました。", "벳푸시에서 사진전이 열렸습니다.", "")]
    assert list(tm.pairs("fr")) == []
    assert len(tm) == 3


def test_pairs_order_rebuilds_the_same_memory():
    tm = TranslationMemory()
    tm.add("ko", "二つ目の文です。", "두 번째", "a")
    tm.add("en", "一つ目の文です。", "First (old)", "a")
    tm.add("en", "二つ目の文です。", "Second", "b")
    tm.add("en", "一つ目の文です。", "First (new)", "c")
    pairs = list(tm.pairs())
    assert pairs == [
        ("en", "一つ目の文です。", "First (old)", "a"),
        ("en", "一つ目の文です。", "First (new)", "c"),
        ("en", "二つ目の文です。", "Second", "b"),
        ("ko", "二つ目の文です。", "두 번째", "a"),
    ]
    copy = TranslationMemory()
    for pair in pairs:
        copy.add(*pair)
    assert list(copy.pairs()) == pairs
    assert copy.exact("en", "一つ目の文です。").target == "First (new)"


def test_incremental_add_after_queries():
    sentences = japanese_sentences(1200, seed=11)
    tm = TranslationMemory()
    for s in sentences[:1000]:
        tm.add("en", s, "old")
    query = perturb(random.Random(3), sentences[1100], sentences)
    before = tm.best("en", query)  # builds the index
    expected_before = process.extractOne(query, sentences[:1000], scorer=fuzz.ratio)
    assert (before.score if before else None) == (
        expected_before[1] if expected_before[1] >= 60 else None)
    for s in sentences[1000:]:
        tm.add("en", s, "new")
    after = tm.best("en", query)
    expected = process.extractOne(query, sentences, scorer=fuzz.ratio)
    assert after.score == expected[1]
    assert after.source == sentences[1100] or after.score == fuzz.ratio(query, after.source)
    # One more, closer than anything: found right away.
    tm.add("en", query + "。", "closest")
    assert tm.best("en", query).target == "closest"
    assert tm.exact("en", query + "。").target == "closest"


# ----------------------------------------------------------------------------------------
# the fuzzy index against brute force
# ----------------------------------------------------------------------------------------


def test_best_agrees_with_brute_force_on_generated_japanese():
    sentences = japanese_sentences(2000, seed=5)
    tm = TranslationMemory()
    for s in sentences:
        tm.add("en", s, "t")
    rng = random.Random(17)
    queries = [perturb(rng, rng.choice(sentences), sentences) for _ in range(200)]
    queries += unrelated_sentences(20, seed=4)
    agree = 0
    close_matches = 0
    for q in queries:
        expected = process.extractOne(q, sentences, scorer=fuzz.ratio)
        got = tm.best("en", q)
        if expected[1] >= 60:
            close_matches += 1
            agree += got is not None and got.score == expected[1] and fuzz.ratio(q, got.source) == got.score
        else:
            agree += got is None
    assert close_matches >= 190  # the perturbed queries do have a close match
    assert agree == len(queries)


def test_suggest_agrees_with_brute_force_top_k():
    sentences = japanese_sentences(3000, seed=8)
    tm = TranslationMemory()
    for s in sentences:
        tm.add("ko", s, "t")
    rng = random.Random(2)
    for _ in range(60):
        q = perturb(rng, rng.choice(sentences), sentences)
        for limit, min_score in ((1, 60.0), (3, 60.0), (5, 75.0), (20, 50.0)):
            got = [(s.score, s.source) for s in tm.suggest("ko", q, limit=limit, min_score=min_score)]
            assert got == brute_force(sentences, q, limit, min_score), (q, limit, min_score)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sources=st.lists(st.text(alphabet="あいうえおかきの。、漢字", min_size=1, max_size=30),
                     min_size=1, max_size=120, unique=True),
    query=st.text(alphabet="あいうえおかきの。、漢字x", min_size=1, max_size=30),
    limit=st.integers(1, 6),
    min_score=st.sampled_from([0.0, 30.0, 60.0, 85.0, 100.0]),
)
def test_index_is_exact_on_small_alphabets(index_everything, sources, query, limit, min_score):
    # Few distinct characters: many repeated grams, many ties, long posting lists.
    tm = TranslationMemory()
    for s in sources:
        tm.add("en", s, "t")
    got = [(s.score, s.source) for s in tm.suggest("en", query, limit=limit, min_score=min_score)]
    assert got == brute_force(sources, query, limit, min_score)


def test_index_handles_rare_keys_and_budget(monkeypatch):
    # Every key rare (all scored directly) and no room for bitsets: still exact.
    monkeypatch.setattr(FuzzyIndex, "rare_postings", 10**9)
    sentences = japanese_sentences(600, seed=1)
    tm = TranslationMemory()
    for s in sentences:
        tm.add("en", s, "t")
    rng = random.Random(9)
    queries = [perturb(rng, rng.choice(sentences), sentences) for _ in range(20)]
    for q in queries:
        assert [(s.score, s.source) for s in tm.suggest("en", q, limit=3)] == brute_force(sentences, q, 3, 60)
    monkeypatch.setattr(FuzzyIndex, "rare_postings", 0)
    monkeypatch.setattr(FuzzyIndex, "bitset_budget", 2000)
    tm2 = TranslationMemory()
    for s in sentences:
        tm2.add("en", s, "t")
    tm2.prepare()
    for q in queries:
        assert [(s.score, s.source) for s in tm2.suggest("en", q, limit=3)] == brute_force(sentences, q, 3, 60)
    assert tm2._langs["en"].index._bitset_bytes <= 2000


# ----------------------------------------------------------------------------------------
# TMX
# ----------------------------------------------------------------------------------------

TRICKY = [
    ("en", "「<b>」と「&amp;」は特殊文字です。", 'Tags <b> & entities "&amp;" are \'special\'.'),
    ("en", "絵文字🎉を含む文。", "An emoji 🎉 and a ZWJ family 👨‍👩‍👧."),
    ("ko", "改行を\n含む文。", "줄바꿈을\n포함한 문장.\r\nCRLF too."),
    ("es", "  前後に空白  ", "\tespacios y tabulador "),
    ("es", "]]>で終わる", "termina en ]]> y <![CDATA[x]]>"),
    ("en", "**太字**と[リンク](https://example.jp/?a=1&b=2)", "**Bold** and [a link](https://example.jp/?a=1&b=2)"),
]


def tricky_memory() -> TranslationMemory:
    tm = TranslationMemory()
    for k, (lang, source, target) in enumerate(TRICKY):
        tm.add(lang, source, target, f"catalog:2026-02/item-{k}")
    tm.add("en", "絵文字🎉を含む文。", "A sentence with an emoji 🎉.", "tmx:old & <quoted>.tmx")
    tm.add("ko", "絵文字🎉を含む文。", "이모지 🎉가 있는 문장.")  # no origin
    return tm


def test_tmx_round_trip_keeps_every_pair(tmp_path: Path):
    tm = tricky_memory()
    path = tmp_path / "memory.tmx"
    n_tu = export_tmx(tm, path)
    assert n_tu == 7  # the emoji source has two English variants: two <tu>
    back = TranslationMemory()
    assert import_tmx(path, back) == len(tm) == 8
    assert sorted(back.pairs()) == sorted(
        (lang, s, t, o or "tmx:memory.tmx") for lang, s, t, o in tm.pairs())
    # The order of each source's translations (oldest first) survives the trip.
    def variants(memory):
        found: dict[tuple[str, str], list[str]] = {}
        for lang, source, target, _ in memory.pairs():
            found.setdefault((lang, source), []).append(target)
        return found

    assert variants(back) == variants(tm)
    assert variants(back)["en", "絵文字🎉を含む文。"] == [
        "An emoji 🎉 and a ZWJ family 👨‍👩‍👧.", "A sentence with an emoji 🎉."]
    assert back.exact("en", "絵文字🎉を含む文。").target == "A sentence with an emoji 🎉."


def test_tmx_is_well_formed_and_has_the_tmx14_header(tmp_path: Path):
    path = tmp_path / "memory.tmx"
    export_tmx(tricky_memory(), path)
    raw = path.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(raw)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header.attrib == {
        "creationtool": "l10n", "creationtoolversion": header.get("creationtoolversion"),
        "datatype": "plaintext", "segtype": "sentence", "adminlang": "en", "srclang": "ja", "o-tmf": "l10n"}
    assert header.get("creationtoolversion")
    tus = root.find("body").findall("tu")
    assert len(tus) == 7
    for tu in tus:
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert langs[0] == "ja" and len(langs) == len(set(langs)) >= 2
    # ElementTree reads back the exact text (except CR, which only survives as &#13;).
    sources = [tu.find("tuv/seg").text for tu in tus]
    assert sources == sorted(sources)
    assert "「<b>」と「&amp;」は特殊文字です。" in sources
    ko = [tuv.find("seg").text for tu in tus for tuv in tu.findall("tuv") if tuv.get(XML_LANG) == "ko"]
    assert "줄바꿈을\n포함한 문장.\r\nCRLF too." in ko


def test_tmx_export_is_deterministic_and_atomic(tmp_path: Path):
    path = tmp_path / "memory.tmx"
    path.write_text("old content")
    export_tmx(tricky_memory(), path)
    first = path.read_bytes()
    export_tmx(tricky_memory(), path)
    assert path.read_bytes() == first
    # Another insertion order of the same single-variant pairs: same bytes.
    pairs = [(lang, s, t, f"o{k}") for k, (lang, s, t) in enumerate(TRICKY)]
    a, b = TranslationMemory(), TranslationMemory()
    for p in pairs:
        a.add(*p)
    for p in reversed(pairs):
        b.add(*p)
    export_tmx(a, tmp_path / "a.tmx")
    export_tmx(b, tmp_path / "b.tmx")
    assert (tmp_path / "a.tmx").read_bytes() == (tmp_path / "b.tmx").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tmx", "b.tmx", "memory.tmx"]


def test_tmx_export_refuses_characters_xml_cannot_store(tmp_path: Path):
    tm = TranslationMemory()
    tm.add("en", "制御文字\x01を含む", "control")
    path = tmp_path / "bad.tmx"
    with pytest.raises(InputError) as err:
        export_tmx(tm, path)
    assert "U+0001" in str(err.value)
    assert not path.exists() and list(tmp_path.iterdir()) == []


OMEGAT_TMX = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="6.0.1_0" segtype="sentence" srclang="ja-JP"/>
  <body>
    <!-- Default translations -->
    <tu>
      <tuv xml:lang="ja-JP">
        <seg>大分県は<bpt i="0" x="0">&lt;b0&gt;</bpt>別府湾<ept i="0">&lt;/b0&gt;</ept>で清掃活動を行いました。</seg>
      </tuv>
      <tuv xml:lang="EN-US" changeid="translator" changedate="20260201T101010Z">
        <seg>Oita Prefecture held a clean-up at <bpt i="0" x="0">&lt;b0&gt;</bpt>Beppu Bay<ept i="0">&lt;/b0&gt;</ept>.</seg>
      </tuv>
    </tu>
    <tu tuid="2">
      <prop type="x-context">ctx</prop>
      <tuv xml:lang="JA"><seg>詳しくは<ph x="1">&lt;a href="https://example.jp"/&gt;</ph>公式サイトをご覧ください。</seg></tuv>
      <tuv xml:lang="es-ES"><seg>Más información en el <hi type="italic">sitio oficial</hi>.<it pos="begin">&lt;i&gt;</it></seg></tuv>
      <tuv xml:lang="ko-KR"><note>reviewed</note><seg>자세한 내용은 공식 사이트를 참조하세요.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-GB"><seg>No Japanese here.</seg></tuv>
      <tuv xml:lang="es-ES"><seg>Nada en japonés.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ja-JP"><seg>訳のない文。</seg></tuv>
      <tuv xml:lang="en-US"><seg></seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_import_omegat_style_tmx(tmp_path: Path):
    path = tmp_path / "project_save.tmx"
    path.write_text(OMEGAT_TMX, encoding="utf-8")
    tm = TranslationMemory()
    assert import_tmx(path, tm) == 3
    assert sorted(tm.pairs()) == [
        ("en", "大分県は別府湾で清掃活動を行いました。", "Oita Prefecture held a clean-up at Beppu Bay.",
         "tmx:project_save.tmx"),
        ("es", "詳しくは公式サイトをご覧ください。", "Más información en el sitio oficial.", "tmx:project_save.tmx"),
        ("ko", "詳しくは公式サイトをご覧ください。", "자세한 내용은 공식 사이트를 참조하세요.", "tmx:project_save.tmx"),
    ]
    assert tm.languages() == ["en", "es", "ko"]
    assert tm.best("en", "大分県は別府湾で清掃活動を行いました").score > 95


def test_import_utf16_tmx_from_trados(tmp_path: Path):
    path = tmp_path / "trados.tmx"
    text = OMEGAT_TMX.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path.write_bytes(text.encode("utf-16"))
    tm = TranslationMemory()
    assert import_tmx(path, tm) == 3


def test_malformed_tmx_is_an_input_error_with_the_line(tmp_path: Path):
    path = tmp_path / "broken.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tmx version="1.4">\n'
        '  <header srclang="ja"/>\n'
        '  <body>\n'
        '    <tu><tuv xml:lang="ja"><seg>良い文。</seg></tuv><tuv xml:lang="en"><seg>Good.</seg></tuv></tu>\n'
        '    <tu><tuv xml:lang="ja"><seg>壊れた</tuv></tu>\n'
        '  </body>\n'
        '</tmx>\n', encoding="utf-8")
    tm = TranslationMemory()
    with pytest.raises(InputError) as err:
        import_tmx(path, tm)
    assert err.value.path == str(path)
    assert err.value.line == 6
    assert str(err.value).startswith(f"{path}:6: ")
    assert len(tm) == 0  # nothing added from a file that is not valid as a whole


@pytest.mark.parametrize("text, line", [
    ("", 1),
    ('<?xml version="1.0"?>\n<html><body/></html>\n', 2),
    ('<?xml version="1.0"?>\n<tmx version="1.4"><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>\n', 2),
    ('<?xml version="1.0"?>\n<tmx version="1.4">\n<body>&nbsp;</body></tmx>\n', 3),
])
def test_invalid_tmx_files(tmp_path: Path, text: str, line: int):
    path = tmp_path / "x.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_tmx(path, TranslationMemory())
    assert err.value.line == line and err.value.path == str(path)


def test_missing_tmx_file(tmp_path: Path):
    with pytest.raises(InputError) as err:
        import_tmx(tmp_path / "nope.tmx", TranslationMemory())
    assert "nope.tmx" in str(err.value)


BILLION_LAUGHS = """\
<?xml version="1.0"?>
<!DOCTYPE tmx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tmx version="1.4"><body><tu><tuv xml:lang="ja"><seg>&lol3;</seg></tuv>
<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>
"""

EXTERNAL_ENTITY = """\
<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><body><tu><tuv xml:lang="ja"><seg>&secret;</seg></tuv></tu></body></tmx>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_doctype_with_entities_is_refused(tmp_path: Path, text: str):
    path = tmp_path / "evil.tmx"
    path.write_text(text, encoding="utf-8")
    tm = TranslationMemory()
    with pytest.raises(InputError) as err:
        import_tmx(path, tm)
    assert "DOCTYPE" in str(err.value) or "entit" in str(err.value)
    assert err.value.line == 2 and err.value.path == str(path)
    assert len(tm) == 0


# ----------------------------------------------------------------- the project's memory

def test_a_broken_catalog_costs_its_own_pairs_not_the_whole_memory(demo):
    """Attack: one catalog that no longer parses (a hand edit, a bad merge). Sync's
    memory refuses the project with that file and line; the TUI's (skip_broken) leaves
    the file out, keeps every other catalog's pairs, and reads it again once fixed."""
    from l10n.project_memory import ProjectMemory
    from l10n.workspace import load_catalog

    oita, kanra = "2026-02/oita-bay-area", "2026-02/kanra-nicaragua"
    path = demo.catalog_path("en", kanra)
    others = {s for aid in demo.article_ids() if aid != kanra
              for s, _ in ProjectMemory.pairs_of(load_catalog(demo, demo.catalog_path("en", aid)))}
    own = [s for s, _ in ProjectMemory.pairs_of(load_catalog(demo, path)) if s not in others]
    kept = ProjectMemory.pairs_of(load_catalog(demo, demo.catalog_path("en", oita)))[0][0]
    assert own and kept
    with ProjectMemory(demo) as pm:  # indexed once whole: the broken file was known
        assert pm.load().exact("en", own[0]) is not None

    text = path.read_text("utf-8")
    bad_line = len(text.splitlines()) + 3
    path.write_text(text + '\nmsgid "x"\nmsgstr garbage\n', "utf-8")
    with pytest.raises(InputError) as err, ProjectMemory(demo) as pm:
        pm.load()
    assert (err.value.path, err.value.line) == (str(path), bad_line)

    with ProjectMemory(demo, skip_broken=True) as pm:
        tm = pm.load()
        assert [(e.path, e.line) for e in pm.broken] == [(str(path), bad_line)]
    assert tm.exact("en", kept) is not None
    assert tm.exact("en", own[0]) is None  # what the file held is not offered any more

    path.write_text(text, "utf-8")  # fixed: read again at the next load
    with ProjectMemory(demo, skip_broken=True) as pm:
        tm = pm.load()
        assert pm.broken == []
    assert tm.exact("en", own[0]) is not None


def _targets(session, lang: str, source: str) -> set[str]:
    return {t for _, s, t, _ in session.memory.pairs(lang) if s == source}


def test_a_running_sessions_memory_follows_the_catalogs_it_reloads(demo):
    """From the trial: a reviewer's long-running TUI kept offering a translator's former
    text as a 100% match after it was corrected, and after it was rejected. The memory
    now forgets a confirmed text that was corrected, rejected or removed, in this session
    or (at the reload) in another one's, and learns the new confirmed one."""
    from l10n import actions
    from l10n.session import Session
    from tests.demo import OITA
    from tests.test_tui import entry

    e2, e6 = entry(demo, "en", 2), entry(demo, "en", 6)
    me = Session(demo, user="Ana Reviewer")
    assert me.load_memory() is not None
    view = me.view(OITA, "en")
    assert e2.msgstr in _targets(me, "en", e2.msgid) and e6.msgstr in _targets(me, "en", e6.msgid)
    # another person corrects entry 2 and a reviewer rejects entry 6, from the CLI
    actions.save_translation(demo, OITA, "en", e2.key, "A corrected text.", "Ken Mori")
    actions.reject(demo, OITA, "en", "Rita Reviewer", "check the month", key=e6.key)
    assert view.changed_on_disk()
    changed = me.reload(view)
    assert {e2.key, e6.key} <= changed.changed
    assert _targets(me, "en", e2.msgid) == {"A corrected text."}
    assert e6.msgstr not in _targets(me, "en", e6.msgid)
    # this session's own corrections, rejections and their undo
    me.set_edit(OITA, "en", e2.key, "Corrected again.", "A corrected text.")
    assert me.save(view, e2.key).ok
    assert _targets(me, "en", e2.msgid) == {"Corrected again."}
    me.undo(OITA, "en")
    assert _targets(me, "en", e2.msgid) == {"A corrected text."}
    me.reject(view, e2.key, "say it shorter")
    assert _targets(me, "en", e2.msgid) == set()
    me.close()


def test_a_suggestion_is_checked_against_its_own_catalog_before_it_is_offered(demo):
    """From the second trial: a reviewer's long-running TUI, on another article, kept
    offering a translator's corrected (and then rejected) text as a 100% match, and 1
    wrote it as a draft. A suggestion's catalog is now read again when it changed on
    disk: a pair no longer there is forgotten, the pairs it holds now are learnt."""
    from l10n import actions
    from l10n.catalog import Entry
    from l10n.session import Session
    from tests.demo import OITA
    from tests.test_tui import entry

    e16 = entry(demo, "en", 16)  # approved in Oita
    me = Session(demo, user="Ana Reviewer")
    assert me.load_memory() is not None
    ask = Entry(e16.msgid, "")  # the same sentence, in another article
    assert [s.target for s in me.suggestions("en", ask)][:1] == [e16.msgstr]
    # Oita is not open in this session: nothing reloads it
    actions.save_translation(demo, OITA, "en", e16.key, "Dishes from Oita were served.", "Ken Mori")
    assert [s.target for s in me.suggestions("en", ask)][:1] == ["Dishes from Oita were served."]
    assert not me.memory.has("en", e16.msgid, e16.msgstr)
    actions.reject(demo, OITA, "en", "Rita Reviewer", "say prefecture", key=e16.key)
    assert "Dishes from Oita were served." not in [s.target for s in me.suggestions("en", ask)]
    me.close()


def test_a_suggestion_whose_origin_leads_out_of_the_project_is_never_read(demo, tmp_path):
    """Attack: the memory's index (a file under .l10n/) names a catalog outside the
    project as a pair's origin. Checking the suggestion against its catalog must not
    read that file: nothing it holds is learnt, and the pair is left as it is."""
    import os

    from l10n import catalog as po
    from l10n.catalog import Entry
    from l10n.session import Session
    from tests.test_tui import entry

    e16 = entry(demo, "en", 16)
    outside = tmp_path / "outside.po"
    planted = po.read(demo.catalog_path("en", "2026-02/oita-bay-area"))
    for e in planted.entries:
        if not e.obsolete and e.msgid == e16.msgid:
            e.msgstr = "PLANTED from outside the project"
    outside.write_bytes(po.serialize(planted))
    me = Session(demo, user="Ana Reviewer")
    tm = me.load_memory()
    origin = os.path.relpath(outside, demo.root)
    assert origin.startswith("..")
    tm.add("en", "全く別の文です。", "A sentence of its own.", origin=origin)
    tm.add("en", e16.msgid, "Offered from a planted origin.", origin=origin)
    got = [s.target for s in me.suggestions("en", Entry(e16.msgid, ""), limit=5)]
    assert "Offered from a planted origin." in got  # left as it is: cannot be told
    assert "PLANTED from outside the project" not in got
    assert not tm.has("en", e16.msgid, "PLANTED from outside the project")
    me.close()
