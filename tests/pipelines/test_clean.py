from __future__ import annotations

import re
import re._parser as regex_parser
from dataclasses import replace

import ftfy
import pytest
from ftfy.badness import BADNESS_RE, is_bad
from ftfy.chardata import UTF8_DETECTOR_RE

from crawler.items import FailedPage
from crawler.parsing.result import ParseResult
from crawler.article.clean import (
    BADNESS_SPAN,
    _CLUE_START,
    _INLINE_SPACE,
    FTFY_CONFIG,
    CleanText,
    _is_bad,
    _may_hold_mojibake,
    clean_body,
    clean_result,
    fix_line,
    is_boilerplate,
    normalize_date,
    repair,
    tidy,
    tidy_line,
)
from tests.pipelines.helpers import article_item, article_steps


def fix_text(text: str) -> str | None:
    """A text as the clean step makes a body before its boilerplate pass: repaired, then tidied."""
    return tidy(repair(text)[0])


def test_mojibake_is_repaired_and_text_is_nfc() -> None:
    assert fix_text("CafÃ© crÃ¨me") == "Café crème"
    decomposed = "Cafe\u0301"
    assert fix_text(decomposed) == "Caf\u00e9"


def test_line_breaks_are_unified_and_mojibake_is_repaired_line_by_line() -> None:
    assert fix_text("CafÃ© crÃ¨me\r\nplain line\rÂ£5 â€” done") == "Café crème\nplain line\n£5 — done"
    assert fix_text("Привет, мир".encode("utf-8").decode("cp1251")) == "Привет, мир"
    assert fix_text("Straße, Grüße, ß und Maß") == "Straße, Grüße, ß und Maß"


def test_typography_and_entities_are_kept() -> None:
    assert fix_text("“Quoted” – AT&amp;T ｗｉｄｅ") == "“Quoted” – AT&amp;T ｗｉｄｅ"


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("the \ufb01rst o\ufb03ce", "the first office"),  # ligatures
        ("bell\x07 and\x00 nul", "bell and nul"),  # control characters
        ("\x1b[31mred\x1b[0m alert", "red alert"),  # a terminal escape
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("Ĳssel \u01c6", "IJssel dž"),  # ligatures in ASCII-free words
    ],
)
def test_per_character_fixes_apply_to_text_without_mojibake(text: str, fixed: str) -> None:
    """The cheap path (no mojibake clue on the line) still makes each of ftfy's per-character fixes."""
    assert fix_text(text) == fixed
    assert fix_text(f"ascii line\n{text}") == f"ascii line\n{fixed}"


def _needs_non_ascii(branch: regex_parser.SubPattern) -> bool:
    """A branch of a parsed pattern that matches only with a non-ASCII character in its match."""
    for op, value in branch.data:
        if op is regex_parser.LITERAL and value > 0x7F:
            return True
        if op is regex_parser.IN and all(
            (kind is regex_parser.LITERAL and item > 0x7F) or (kind is regex_parser.RANGE and item[0] > 0x7F)
            for kind, item in value
        ):
            return True
    return False


def test_badness_windows_cover_every_match_of_ftfys_pattern() -> None:
    """``_is_bad`` searches near non-ASCII characters only: every alternative of ftfy's badness
    pattern needs one, and no match is longer than BADNESS_SPAN (fails when ftfy's pattern changes so)."""
    parsed = regex_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    assert parsed.getwidth()[1] <= BADNESS_SPAN
    [(op, (_, branches))] = parsed.data
    assert op is regex_parser.BRANCH and len(branches) > 30
    assert all(_needs_non_ascii(branch) for branch in branches)


def _first_characters(alternative: regex_parser.SubPattern) -> set[str]:
    op, items = alternative.data[0]
    assert op is regex_parser.IN
    found: set[str] = set()
    for kind, value in items:
        assert kind in (regex_parser.LITERAL, regex_parser.RANGE)
        found.update(chr(value) if kind is regex_parser.LITERAL else map(chr, range(value[0], value[1] + 1)))
    return found


def test_utf8_clue_starts_are_the_first_characters_of_ftfys_detector() -> None:
    """``_utf8_clue`` tries ftfy's UTF-8 detector only at the characters its matches start with:
    after its look-behind, the first set of each alternative of the repeated group (fails when
    ftfy's pattern changes so)."""
    parsed = regex_parser.parse(UTF8_DETECTOR_RE.pattern, UTF8_DETECTOR_RE.flags)
    [(behind, _), (repeat, (_, _, group))] = parsed.data
    assert behind is regex_parser.ASSERT_NOT and repeat is regex_parser.MAX_REPEAT
    [(subpattern, (_, _, _, alternatives))] = group.data
    [(branch, (_, branches))] = alternatives.data
    assert subpattern is regex_parser.SUBPATTERN and branch is regex_parser.BRANCH and len(branches) == 3
    first = set().union(*map(_first_characters, branches))
    assert first and all(not ch.isascii() for ch in first)
    assert {ch for ch in map(chr, range(0x80, 0x10000)) if _CLUE_START.fullmatch(ch)} == first


@pytest.mark.parametrize(
    "line",
    ["plain ascii", "groß und klein", "Straße ß", "ß ", "xß  y", "Œß ", "ŒŒß ", "é––", "Ĳé –", "naÃ¯ve",
     "a\x85b", "São Paulo — ação", "Ä» y", "ð¿½ text", "\u0411\u0435\u0437 \u201e", "  ß \u2014\u2014", "ü€ ", "ÄŸ x",
     "Ã¼ber", "d\u00e9j\u00e0 \u2013\u2013"],
)
def test_mojibake_clue_is_ftfys_detector(line: str) -> None:
    assert _may_hold_mojibake(line) == bool(UTF8_DETECTOR_RE.search(line) or re.search("[\x80-\x9f]", line))


@pytest.mark.parametrize(
    "line",
    [
        "groß und klein", "Straße „Zitat“ über", "sÃ³ que", "voilÃ le travail", "Ã\xa0 la", "Ã la", "Ã", "Â ",
        "x Â » y", "œ1", "ab œ", "ГўВЂВњtext", "ØªØ³Øª ØªØ³Øª", "ß\xa0x", "ß ", "naÃ¯ve cafÃ©", "â€œquoteâ€\x9d",
        "Gruß — 5 € für “Maß”", "a" * 40 + "Ã " + "b" * 40, "Привет, мир".encode().decode("cp1251"),
    ],
)
def test_badness_near_non_ascii_is_ftfys_and_the_repair_is_ftfys(line: str) -> None:
    assert _is_bad(line) == is_bad(line)
    assert repair(line)[0] == ftfy.fix_text(line, FTFY_CONFIG)


@pytest.mark.parametrize(
    "text",
    [" a", "a ", "  a  b  ", "\u00a0a", "a\u00a0", "a\tb", "a \tb", "a\t b", "\n \n", " \n\u2009", "a\u3000\u3000b",
     "a \u00a0 b", "x", "", " ", "\u2009", "a b c", "a\x0bb\x0cc", "one\n  two \n three"],
)
def test_inline_whitespace_runs_become_one_space(text: str) -> None:
    """tidy's pattern leaves a lone space alone; the result is every run made one space."""
    assert _INLINE_SPACE.sub(" ", text) == re.sub(r"[^\S\n]+", " ", text)


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n", "a", " a ", "a\n\nb", "a \u200b b", "\u200b", "\u00ad\n", "a\u00a0\u2009b\tc", " x \n y \r\n z ",
     "\u3000a\u3000", "a\x1cb\x1dc\x1ed\x1ff\x85g", "one\u2028two\u2029three", "\ufeffBOM", "a\x0bb\x0cc"],
)
def test_tidy_line_is_tidy_made_one_line(text: str) -> None:
    tidied = tidy(text)
    assert tidy_line(text) == (" ".join(tidied.split()) if tidied else None)


def test_whitespace_is_collapsed_and_invisible_characters_removed() -> None:
    assert fix_text("  one\u00a0\u00a0two\tthree\u200b  \n  four  ") == "one two three\nfour"
    assert fix_text("a\u2009b\u00a0c d\t \u3000e  f") == "a b c d e f"
    assert fix_line("  A\n  headline\u00a0 here ") == "A headline here"
    assert fix_text("   \n  ") is None


def test_body_paragraphs_are_separated_by_one_blank_line() -> None:
    body, dropped = clean_body("First paragraph.\n\n\n\nSecond  paragraph\nwith a line.\n \n\nThird.")
    assert body == "First paragraph.\n\nSecond paragraph\nwith a line.\n\nThird."
    assert dropped == 0


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Share this article",
        "Share on Facebook, X",
        "Partager",
        "Sign up for our newsletter",
        "Newsletter abonnieren",
        "We use cookies to improve your experience.",
        "Previous Article",
        "Next article",
        "Article précédent",
        "Vorheriger Artikel",
        "Следующая статья",
        "Noticia anterior",
        "Read more:",
        "Lire aussi",
        "© 2025 Test Gazette",
        "All rights reserved.",
    ],
)
def test_furniture_lines_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "The advertisement campaign cost the council 2 million.",
        "Readers were invited to share their views at the meeting.",
        "The next article of the treaty deals with fishing rights.",
        "Copyright law was the main subject of the debate in parliament on Tuesday, where ministers "
        "argued for hours about the reform and its effect on small publishers and libraries in the region.",
    ],
)
def test_sentences_that_mention_furniture_words_stay(line: str) -> None:
    assert not is_boilerplate(line)


def test_boilerplate_lines_and_repeated_title_leave_the_body() -> None:
    body, dropped = clean_body(
        "The Headline\n\nAdvertisement\n\nReal text starts here.\nShare this article\n\nMore real text.",
        title="The headline",
    )
    assert body == "Real text starts here.\n\nMore real text."
    assert dropped == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-09-11", "2025-09-11"),
        ("20250911", "2025-09-11"),
        ("2025-09-11T08:30:00Z", "2025-09-11T08:30:00+00:00"),
        ("2025-09-11T08:30:00.123456+02:00", "2025-09-11T08:30:00+02:00"),
        ("2025-09-11 08:30", "2025-09-11T08:30:00"),
        ("Thu, 11 Sep 2025 08:30:00 +0200", "2025-09-11T08:30:00+02:00"),
        ("  2025-09-11T08:30:00+02:00 ", "2025-09-11T08:30:00+02:00"),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_normalised_to_iso_8601(value: str | None, expected: str | None) -> None:
    assert normalize_date(value) == expected


def test_clean_result_cleans_every_text_field_and_notes_changes() -> None:
    parsed = ParseResult(
        url="http://news.test/a.html",
        is_article=True,
        title="  CafÃ© owners  protest ",
        body="Advertisement\n\nThe owners of the café protested on Monday.",
        published_at="2025-09-11T08:30:00Z",
        modified_at="not a date",
        authors=["Ann  Smith", "ann smith", " ", "Bo Li"],
        language=" EN ",
        prev_title=" Older\u00a0story ",
        keywords=["Fähre", " fähre ", "Port\u00a0 authority"],
    )
    cleaned, notes = clean_result(parsed)
    assert cleaned.title == "Café owners protest"
    assert cleaned.body == "The owners of the café protested on Monday."
    assert cleaned.published_at == "2025-09-11T08:30:00+00:00"
    assert cleaned.modified_at is None
    assert cleaned.authors == ["Ann Smith", "Bo Li"]
    assert cleaned.keywords == ["Fähre", "Port authority"]
    assert cleaned.language == "en"
    assert cleaned.prev_title == "Older story"
    codes = {code for code, _ in notes}
    assert codes == {"mojibake_repaired", "boilerplate_dropped", "date_dropped"}
    assert parsed.title == "  CafÃ© owners  protest "  # the input is not modified


def test_text_cleaning_leaves_equal_is_the_parsers_own_object() -> None:
    """A page parsed in a pool process carries one copy of its text back (pickle shares objects)."""
    body = "".join(["The owners of the café ", "protested on Monday."])
    parsed = ParseResult(url="http://news.test/a.html", is_article=True, title="Café owners protest", body=body,
                         description="Owners protest.")
    cleaned, _ = clean_result(parsed)
    assert cleaned.body is parsed.body and cleaned.title is parsed.title and cleaned.description is parsed.description
    assert clean_result(replace(parsed, body=body + "\n\nAdvertisement"))[0].body == body


def test_step_cleans_a_parsed_page_counts_words_and_passes_failures_through() -> None:
    pipeline = article_steps(CleanText)
    item = pipeline.process(article_item(3))
    assert item.parsed.title and "\n" not in item.parsed.title
    assert item.word_count == len(item.parsed.body.split()) > 50
    failure = FailedPage(url="http://news.test/x", reason="http_404")
    assert pipeline.process(failure) is failure
