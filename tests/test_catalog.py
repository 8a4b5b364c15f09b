"""The PO reader and writer: GNU-compatible bytes, strict parsing with line numbers."""
from __future__ import annotations

import subprocess

import pytest

from l10n import catalog as po
from l10n.catalog import Catalog, Entry, make_headers
from l10n.errors import InputError
from tests.conftest import msgfmt_check


def sample_catalog() -> Catalog:
    cat = Catalog(headers=make_headers("ko", "test"), header_comments=["a header comment"])
    cat.entries = [
        Entry("大分県を訪問しました。", "오이타현을 방문했습니다.", "body", comments=["a note"]),
        Entry("見出し", "", "heading"),
        Entry("変わった文。", "바뀐 문장.", "body", flags=["fuzzy"], previous_msgid="古い文。"),
        Entry("改行\nを含む\n", "줄\n바꿈\n", "body"),
        Entry('引用 "quote" と \\ と\tタブ', '인용 "quote" \\ \t', "caption"),
        Entry("消えた文。", "사라진 문장.", "body", obsolete=True, previous_msgid="前の文。"),
    ]
    return cat


def test_round_trip_is_byte_identical():
    data = po.serialize(sample_catalog())
    again = po.serialize(po.parse(data))
    assert again == data


def test_layout_is_gnu_no_wrap(tmp_path):
    """msgcat --no-wrap, GNU's own writer, produces exactly our bytes."""
    data = po.serialize(sample_catalog())
    f = tmp_path / "a.po"
    f.write_bytes(data)
    out = subprocess.run(["msgcat", "--no-wrap", str(f)], capture_output=True, check=True).stdout
    assert out == data
    assert msgfmt_check(f).returncode == 0


def test_obsolete_entries_come_last_and_parse_back():
    cat = sample_catalog()
    cat.entries.insert(0, cat.entries.pop())  # obsolete first in memory
    text = po.serialize(cat).decode()
    assert text.rindex("#~ msgid") > text.rindex('\nmsgid "')
    back = po.parse(text.encode())
    obs = [e for e in back.entries if e.obsolete]
    assert [e.msgid for e in obs] == ["消えた文。"]
    assert obs[0].previous_msgid == "前の文。"


def test_header_has_language_utf8_and_babel_plural_forms():
    """A NEW catalog takes Babel's rule, whatever the installed Babel says; an existing
    catalog's rule is kept as found (make_headers(old=...), as msgmerge does)."""
    from babel.messages.plurals import get_plural

    cat = po.parse(po.serialize(sample_catalog()))
    assert cat.header("Language") == "ko"
    assert "charset=UTF-8" in cat.header("Content-Type")
    assert cat.header("Plural-Forms") == get_plural("ko").plural_forms
    es = dict(make_headers("es"))
    assert es["Plural-Forms"] == get_plural("es").plural_forms
    found = [("Plural-Forms", "nplurals=2; plural=(n != 1);")]
    assert dict(make_headers("es", old=found))["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("text, line, words", [
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b\n', 6, "quoted"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 8, "duplicate"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstrr "b"\n', 6, "syntax"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n', 1, "UTF-8"),
    ('msgid ""\nmsgstr ""\n"Language: ko\\n"\n', 1, "charset"),
    ('msgid "a"\nmsgstr "b"\n', 1, "header"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgstr "x"\n', 5, "msgstr"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a\\q"\nmsgstr "x"\n', 5, "escape"),
])
def test_parse_errors_name_the_line(text, line, words):
    with pytest.raises(InputError) as err:
        po.parse(text.encode(), "x.po")
    assert err.value.path == "x.po"
    assert err.value.line == line
    assert words.lower() in str(err.value).lower()


def test_non_utf8_and_nul_are_refused_with_line():
    with pytest.raises(InputError) as err:
        po.parse(b'msgid ""\nmsgstr ""\n"\xff"\n', "y.po")
    assert err.value.line == 3 and "UTF-8" in str(err.value)
    with pytest.raises(InputError) as err:
        po.parse(b'msgid ""\nmsgstr "\x00"\n', "y.po")
    assert err.value.line == 2 and "NUL" in str(err.value)


def test_a_comment_ending_in_a_backslash_is_not_read_by_gettext_as_a_continuation(tmp_path):
    """GNU gettext joins a line that ends in a backslash with the next one, comments
    included; found by the Hypothesis msgfmt property. The writer adds a space, the
    reader takes it off."""
    texts = ["\\", "ends in \\", "ends in \\ ", "\\\\", "fine \\ here"]
    cat = Catalog(headers=make_headers("en", "newsletter"), header_comments=["head \\"])
    cat.entries = [Entry(msgid=f"m{i}", msgstr=f"s{i}", comments=[t], extracted=[t],
                         obsolete=i % 2 == 1) for i, t in enumerate(texts)]
    data = po.serialize(cat)
    assert not any(line.endswith("\\") for line in data.decode().split("\n"))
    back = po.parse(data)
    assert back.header_comments == ["head \\"]
    got = {e.msgid: (e.comments, e.extracted) for e in back.entries}
    assert got == {f"m{i}": ([t], [t]) for i, t in enumerate(texts)}
    assert po.serialize(back) == data
    f = tmp_path / "x.po"
    f.write_bytes(data)
    assert msgfmt_check(f).returncode == 0, msgfmt_check(f).stderr
    gnu = subprocess.run(["msgcat", "--no-wrap", str(f)], capture_output=True, check=True).stdout
    assert gnu == data
