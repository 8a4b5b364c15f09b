"""Tests for l10n.segmenter: Japanese sentence segmentation of inline Markdown."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.segmenter import WHITESPACE, segment, sentence_spans, split_sentences

# --------------------------------------------------------------------------- table

CASES = [
    # plain 。
    ("今日は晴れです。明日は雨です。", ["今日は晴れです。", "明日は雨です。"]),
    ("一文だけ。", ["一文だけ。"]),
    ("半角の句点｡次の文｡", ["半角の句点｡", "次の文｡"]),
    # ！ ？ and runs
    ("すごい！本当？", ["すごい！", "本当？"]),
    ("本当！？うそ？！やった！！", ["本当！？", "うそ？！", "やった！！"]),
    ("何だって!?信じられない!!", ["何だって!?", "信じられない!!"]),
    ("終わり。。次。", ["終わり。。", "次。"]),
    # ellipses
    ("そうか……。わかった。", ["そうか……。", "わかった。"]),
    ("あの……それは……違います。", ["あの……それは……違います。"]),
    ("えっ？……まさか。", ["えっ？……", "まさか。"]),
    # brackets and quotes
    ("「ありがとう。」と言った。", ["「ありがとう。」と言った。"]),
    ("彼は言った。「はい！」", ["彼は言った。", "「はい！」"]),
    ("「彼は『はい。いいえ。』と答えた。」と聞いた。次。", ["「彼は『はい。いいえ。』と答えた。」と聞いた。", "次。"]),
    ("予定（仮。未定。）です。次。", ["予定（仮。未定。）です。", "次。"]),
    ("予定(仮。未定。)です。次。", ["予定(仮。未定。)です。", "次。"]),
    ("【速報。号外！】発表。次。", ["【速報。号外！】", "発表。", "次。"]),
    ("〈第一。〉《第二。》“三。”‘四。’終わり。", ["〈第一。〉《第二。》“三。”‘四。’終わり。"]),
    ('彼は"Really? Yes!"と言った。次。', ['彼は"Really? Yes!"と言った。', "次。"]),
    ("「はい。」「いいえ。」", ["「はい。」", "「いいえ。」"]),
    # a complete sentence in brackets at a sentence start stands alone (issue 16)
    ("（写真は後日掲載します。）次回に続く。", ["（写真は後日掲載します。）", "次回に続く。"]),
    ("(写真は後日掲載します。)次回に続く。", ["(写真は後日掲載します。)", "次回に続く。"]),
    ("【お知らせです。】本日発表しました。", ["【お知らせです。】", "本日発表しました。"]),
    ("前の文。（補足です！）次の文。", ["前の文。", "（補足です！）", "次の文。"]),
    ("（注一。）（注二？）本文です。", ["（注一。）", "（注二？）", "本文です。"]),
    ("（「はい。」と言った。）次。", ["（「はい。」と言った。）", "次。"]),
    ("（そうか……。）次。", ["（そうか……。）", "次。"]),
    ("（写真）大分県の様子。", ["（写真）大分県の様子。"]),
    ("予定（仮。未定。）です。", ["予定（仮。未定。）です。"]),
    ("(Really?)次の文。", ["(Really?)次の文。"]),
    ("（[注](https://a.jp/。)）次。", ["（[注](https://a.jp/。)）次。"]),
    # each of several consecutive complete quotations stands alone (issue 16)
    ("「はい。」「わかりました！」", ["「はい。」", "「わかりました！」"]),
    ("『はい。』『いいえ。』", ["『はい。』", "『いいえ。』"]),
    ("「一。」「二！」「三？」", ["「一。」", "「二！」", "「三？」"]),
    ("「はい。」\u3000「いいえ。」\u3000次の文。", ["「はい。」", "「いいえ。」", "次の文。"]),
    ("「はい。」 次の文。", ["「はい。」", "次の文。"]),
    ("『本日は晴天なり。』次の文。", ["『本日は晴天なり。』次の文。"]),
    # ... but quotations the sentence goes on after stay in it
    ("「はい。」「わかりました！」と答えた。", ["「はい。」「わかりました！」と答えた。"]),
    ("「はい。」「いいえ」と言った。", ["「はい。」「いいえ」と言った。"]),
    ("「はい。」 「いいえ」と言った。", ["「はい。」", "「いいえ」と言った。"]),
    # closers right after the terminator stay with the sentence
    ("補足です。）次の文。", ["補足です。）", "次の文。"]),
    ("引用の終わり。』次の文。", ["引用の終わり。』", "次の文。"]),
    ("驚いた！」」次。", ["驚いた！」」", "次。"]),
    # numbers
    ("値は１２．５です。次。", ["値は１２．５です。", "次。"]),
    ("Python 3.12.1 と 1.5 と v2.0 です。次。", ["Python 3.12.1 と 1.5 と v2.0 です。", "次。"]),
    ("第一章．次の章．", ["第一章．", "次の章．"]),
    ("English. Still the same sentence。次。", ["English. Still the same sentence。", "次。"]),
    # URLs
    ("詳細はhttps://example.com/a?b=1!を参照。次。", ["詳細はhttps://example.com/a?b=1!を参照。", "次。"]),
    ("詳細は http://www.example.co.jp/x.html?q=1 です。次。", ["詳細は http://www.example.co.jp/x.html?q=1 です。", "次。"]),
    ("サイトwww.example.com/?a!b です。次。", ["サイトwww.example.com/?a!b です。", "次。"]),
    ("（https://example.com/）を参照。次。", ["（https://example.com/）を参照。", "次。"]),
    ("(https://example.com/a)を参照。次。", ["(https://example.com/a)を参照。", "次。"]),
    ("(参照。https://example.com/a)です。次。", ["(参照。https://example.com/a)です。", "次。"]),
    ("<https://example.com/?x=1!>を参照。次。", ["<https://example.com/?x=1!>を参照。", "次。"]),
    ("<https://example.jp/検索？q=東京。>で検索。次。", ["<https://example.jp/検索？q=東京。>で検索。", "次。"]),
    ("**https://example.com/**を見て。**次**です。", ["**https://example.com/**を見て。", "**次**です。"]),
    # Markdown links, images and code spans are opaque
    ("[これは。リンク！](https://example.com/a.b)です。次。", ["[これは。リンク！](https://example.com/a.b)です。", "次。"]),
    ("[参照。][ref]を見よ。次。", ["[参照。][ref]を見よ。", "次。"]),
    ('![図。1！](img/a.png "題名。")を見よ。次。', ['![図。1！](img/a.png "題名。")を見よ。', "次。"]),
    ("すごい![画像](a.png)です。次。", ["すごい![画像](a.png)です。", "次。"]),
    ("すごい！![画像](a.png)です。", ["すごい！", "![画像](a.png)です。"]),
    ("\\![x](y)と書く！次。", ["\\![x](y)と書く！", "次。"]),
    ("\\![x。](y)と書く！次。", ["\\![x。](y)と書く！", "次。"]),
    ('<small title="注。">小さい。</small>次。<br>終わり', ['<small title="注。">小さい。</small>', "次。", "<br>終わり"]),
    ("`print('a。b!')` を実行。次。", ["`print('a。b!')` を実行。", "次。"]),
    ("``a`b。c`` です。次。", ["``a`b。c`` です。", "次。"]),
    ("`閉じない。次。", ["`閉じない。", "次。"]),
    ("エスケープ\\!です。次。", ["エスケープ\\!です。", "次。"]),
    # emphasis
    ("**重要です。**次の文。", ["**重要です。**", "次の文。"]),
    ("文です。**次は太字**です。", ["文です。", "**次は太字**です。"]),
    ("*強調。*~~削除。~~終わり", ["*強調。*", "~~削除。~~", "終わり"]),
    ("**一文目。二文目。**", ["**一文目。", "二文目。**"]),
    ("snake_case の説明。_強調_です。", ["snake_case の説明。", "_強調_です。"]),
    ("10~20人です。~~削除~~", ["10~20人です。", "~~削除~~"]),
    ("5 * 3 です。*注*", ["5 * 3 です。", "*注*"]),
    # whitespace between sentences
    ("一文目。\u3000二文目。", ["一文目。", "二文目。"]),
    ("一文目。\n二文目。", ["一文目。", "二文目。"]),
    ("  一文目。 \t\n\u3000 二文目。\u3000\n", ["一文目。", "二文目。"]),
    ("途中で\n改行した文。", ["途中で\n改行した文。"]),
    ("改行前。\\\n改行後。", ["改行前。\\", "改行後。"]),
    # trailing text, empty input
    ("一文目。終わりがない", ["一文目。", "終わりがない"]),
    ("", []),
    (" \t\n\u3000", []),
    # unbalanced brackets
    ("「閉じていない。次の文。", ["「閉じていない。", "次の文。"]),
    ("閉じ」だけ。次。", ["閉じ」だけ。", "次。"]),
    ('"閉じない引用。次。', ['"閉じない引用。', "次。"]),
    ("「外（内。」外。次。", ["「外（内。」外。", "次。"]),
    ("「開いたまま。「閉じた。」次。", ["「開いたまま。", "「閉じた。」次。"]),
    # ASCII ! and ?
    ("Yahoo!ニュースを見た。次。", ["Yahoo!ニュースを見た。", "次。"]),
    ("Yahoo!JapanとYahoo!!ニュース。", ["Yahoo!JapanとYahoo!!ニュース。"]),
    ("すごい!次。", ["すごい!", "次。"]),
    ("本当?うそ!", ["本当?", "うそ!"]),
    ("Hello! こんにちは。", ["Hello!", "こんにちは。"]),
    ("x?y!z", ["x?y!z"]),
    ("すごい!Japan版です。", ["すごい!Japan版です。"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(t)[:40] for t, _ in CASES])
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected
    assert segment(text) == expected
    assert segment(text, "sentence") == expected
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_spans_are_character_offsets():
    text = "\u3000「はい。」と言った。\n次の文！  "
    assert sentence_spans(text) == [(1, 11), (12, 16)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一文目。二文目。", ["一文目。二文目。"]),
        ("\u3000 一文目。\n二文目。\t\n", ["一文目。\n二文目。"]),
        ("", []),
        ("\u3000\n ", []),
    ],
)
def test_paragraph_mode(text, expected):
    assert segment(text, "paragraph") == expected


def test_unknown_mode_is_rejected():
    with pytest.raises(ValueError, match="word"):
        segment("文。", "word")


# --------------------------------------------------------------------------- properties

PIECES = [
    *"あいうえおかきくけこアイウエオ日本語漢字文",
    *"。。！？!?．…", "……。", "！？",
    *"「」『』（）()【】〈〉《》“”‘’\"",
    " ", "\u3000", "\n", "\t", "  ",
    *"abcXYZ019０１９.,:/-=&#%'", "Yahoo!", "3.12.1", "１２．５",
    "`", "``", "[", "](", "]", ")", "![", "http://", "https://", "www.", "<", ">", "<https://",
    "**", "*", "_", "~~", "\\", "\\\n",
]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
WS_RE = re.compile("[" + re.escape(WHITESPACE) + "]")
# What may follow a terminator run inside a sentence that ends there.
END_OF_SENTENCE = re.compile(r"[。｡！？!?．…]" + r"[」』）)】〉》”’〕］｝〗〙｣〟*_~\\]*\Z")


def check_spans(text: str) -> list[tuple[int, int]]:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start] not in WHITESPACE and text[end - 1] not in WHITESPACE
        previous_end = end
    # The text outside the spans is whitespace only, so the spans plus the gaps
    # rebuild the text exactly.
    gaps = [text[a:b] for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(text)])]
    assert all(not WS_RE.sub("", gap) for gap in gaps)
    segments = split_sentences(text)
    assert segments == [text[a:b] for a, b in spans]
    rebuilt = gaps[0] + "".join(segment + gap for segment, gap in zip(segments, gaps[1:]))
    assert rebuilt == text
    # Joining the segments gives the text without the whitespace between sentences.
    without_gaps = "".join(text[a:b] for a, b in spans)
    assert "".join(segments) == without_gaps
    assert WS_RE.sub("", "".join(segments)) == WS_RE.sub("", text)
    assert (spans == []) == (text.strip(WHITESPACE) == "")
    return spans


@settings(max_examples=500, deadline=None)
@given(texts)
def test_spans_partition_the_text(text):
    spans = check_spans(text)
    assert segment(text) == [text[a:b] for a, b in spans]
    # A sentence only ends early after a terminator (plus closers it keeps).
    for start, end in spans[:-1]:
        assert END_OF_SENTENCE.search(text[start:end]), text[start:end]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_paragraph_mode_returns_the_stripped_text(text):
    stripped = text.strip(WHITESPACE)
    assert segment(text, "paragraph") == ([stripped] if stripped else [])


PLAIN = st.lists(st.sampled_from([*"あいう漢字カナ。！？!?．… \u3000\n"]), max_size=30).map("".join)
ANY_BUT_TICKS_ESCAPES = st.lists(st.sampled_from([p for p in PIECES if "`" not in p and "\\" not in p and "<" not in p]), max_size=30).map("".join)


def span_containing(spans, position):
    return [span for span in spans if span[0] <= position < span[1]]


@settings(max_examples=300, deadline=None)
@given(ANY_BUT_TICKS_ESCAPES, PLAIN, ANY_BUT_TICKS_ESCAPES)
def test_never_breaks_inside_a_code_span(before, inside, after):
    code = "`" + inside + "x`"
    text = before + code + after
    spans = check_spans(text)
    first, last = len(before), len(before) + len(code) - 1
    assert span_containing(spans, first) == span_containing(spans, last) != []


@settings(max_examples=300, deadline=None)
@given(ANY_BUT_TICKS_ESCAPES, PLAIN, ANY_BUT_TICKS_ESCAPES)
def test_never_breaks_inside_balanced_corner_brackets(before, inside, after):
    text = before + "「" + inside + "」" + after
    spans = check_spans(text)
    first, last = len(before), len(before) + len(inside) + 1
    assert span_containing(spans, first) == span_containing(spans, last) != []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"あいう漢字カナabc、…"]), min_size=1, max_size=20).map("".join), st.integers(1, 6))
def test_every_top_level_full_stop_breaks(sentence, count):
    text = "\u3000".join([sentence + "。"] * count)
    assert split_sentences(text) == [sentence + "。"] * count


# --------------------------------------------------------------------------- adversarial


@pytest.mark.parametrize(
    "text",
    [
        "「" * 10_000 + "文。次。",
        "「（" * 5_000 + "』" * 10_000 + "。",
        "[a](x" * 10_000 + "。",
        "[" * 10_000 + "]" * 10 + "(" * 10_000 + "。",
        "".join("`" * (i % 40 + 1) + "。" for i in range(10_000)),
        "<a x='" * 10_000 + "。",
        "http://" * 10_000 + ")" * 10_000 + "。",
        "。**" * 10_000,
        '"。' * 10_001,
        "\\!" * 10_000 + "。",
    ],
    ids=["open-corner", "mismatched", "links", "brackets", "backticks", "html", "urls", "emphasis", "quotes", "escapes"],
)
def test_adversarial_input_terminates(text):
    spans = check_spans(text)
    assert spans
    assert segment(text, "paragraph") == [text.strip(WHITESPACE)]


def test_unclosed_openers_do_not_swallow_the_paragraph():
    text = "「" * 10_000 + "文。次。"
    assert split_sentences(text) == ["「" * 10_000 + "文。", "次。"]


# --------------------------------------------------------------------------- issue 16

SENTENCE = st.lists(st.sampled_from([*"あいう漢字カナabc、"]), min_size=1, max_size=12).map("".join)
ENDING = st.sampled_from(["。", "！", "？", "！？", "……。"])


@settings(max_examples=300, deadline=None)
@given(SENTENCE, ENDING, st.sampled_from(["（）", "()", "【】"]), st.sampled_from(["", "前の文。", "前の文。\u3000"]), SENTENCE)
def test_a_complete_bracketed_sentence_at_a_sentence_start_stands_alone(body, end, pair, before, after):
    unit = pair[0] + body + end + pair[1]
    text = before + unit + after + "。"
    assert unit in split_sentences(text)
    assert split_sentences(text)[-1] == after + "。"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(SENTENCE, ENDING, st.sampled_from(["「」", "『』"])), min_size=2, max_size=5),
       st.sampled_from(["", "\u3000次の文。"]))
def test_each_of_several_complete_quotations_stands_alone(quotes, tail):
    units = [pair[0] + body + end + pair[1] for body, end, pair in quotes]
    expected = units + (["次の文。"] if tail else [])
    assert split_sentences("".join(units) + tail) == expected
    # glued to what follows (the quotative と), they stay one sentence
    assert split_sentences("".join(units) + "と答えた。") == ["".join(units) + "と答えた。"]


@pytest.mark.parametrize("text", ["（。）" * 20_000, "「。」" * 20_000, "「。」" * 20_000 + "と",
                                  "（" + "」" * 50_000 + "。）" * 10, "「。」\u3000" * 20_000 + "「"])
def test_standalone_brackets_on_adversarial_input_terminate(text):
    assert check_spans(text)
