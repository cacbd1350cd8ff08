"""The extractive summariser and its pipeline."""

from __future__ import annotations

import pytest

from crawler.parsing.result import ParseResult
from crawler.items import PageItem
from crawler.summarize import lead, split_sentences, summarize
from crawler.article import STEPS
from crawler.article.dedupe import Deduplicate
from crawler.article.furniture import LearnSiteFurniture
from crawler.article.summary import Summarize, summary_for
from tests.pipelines.helpers import article_steps, make_crawler

# Two off-topic sentences first, then five sentences about one subject: a ranking by
# centrality must pick from the subject, lead-3 would not.
OFF_TOPIC_LEAD = (
    "The weather on Tuesday morning was grey with occasional light drizzle. "
    "Several readers wrote letters about parking near the old station square.\n\n"
    "The city council approved the new bridge budget after a long debate on Monday. "
    "The bridge budget covers repairs to the river bridge and a new cycle lane. "
    "Council members said the bridge repairs would start in spring and the budget is final. "
    "Engineers warned the council that the river bridge needs repairs before winter. "
    "Residents welcomed the council budget for the bridge and the cycle lane."
)


def test_at_most_three_sentences_all_taken_from_the_body() -> None:
    summary = summarize(OFF_TOPIC_LEAD, "en")
    assert summary is not None
    sentences = split_sentences(summary, "en")
    assert 1 <= len(sentences) <= 3
    for sentence in sentences:
        assert sentence in OFF_TOPIC_LEAD


def test_ranking_prefers_central_sentences_over_the_lead() -> None:
    summary = summarize(OFF_TOPIC_LEAD, "en")
    assert summary != lead(OFF_TOPIC_LEAD, "en")
    assert "weather" not in summary and "parking" not in summary
    assert summary.count("bridge") >= 3


def test_sentences_come_out_in_article_order() -> None:
    summary = summarize(OFF_TOPIC_LEAD, "en")
    positions = [OFF_TOPIC_LEAD.index(s) for s in split_sentences(summary, "en")]
    assert positions == sorted(positions)


def test_max_sentences_is_respected() -> None:
    assert len(split_sentences(summarize(OFF_TOPIC_LEAD, "en", max_sentences=1), "en")) == 1


@pytest.mark.parametrize("text", [None, "", "Too short.", "\n\n"])
def test_no_summary_without_a_sentence_that_stands_alone(text: str | None) -> None:
    assert summarize(text, "en") is None


def test_short_article_is_its_own_summary() -> None:
    text = "The museum opens a new wing on Friday morning. Entry to the new wing is free for children."
    assert summarize(text, "en") == text


def test_only_the_sentences_ranked_are_segmented(monkeypatch) -> None:
    # A summary ranks the first MAX_CANDIDATES sentences: the paragraphs after them are not cut
    # into sentences, and the first ones are the same as when the whole text is cut.
    import crawler.summarize as summarizer

    paragraphs = [f"Paragraph {n} opens here with several words. It closes there with a few more words." for n in range(200)]
    text = "\n\n".join(paragraphs)
    whole = split_sentences(text, "en")
    assert len(whole) == 400
    for limit in (1, 2, 3, 149, 150, 151, 399, 400, 401):
        assert split_sentences(text, "en", limit=limit) == whole[:limit]
    segmented: list[str] = []
    segment = summarizer.segment

    def counted(code, paragraph):
        segmented.append(paragraph)
        return segment(code, paragraph)

    monkeypatch.setattr(summarizer, "segment", counted)
    summary = summarize(text, "en")
    assert summary and len(segmented) == summarizer.MAX_CANDIDATES // 2

def test_language_rules_split_sentences() -> None:
    german = "Am 3. Oktober ist Feiertag in ganz Deutschland. Die Läden bleiben z. B. geschlossen."
    assert split_sentences(german, "de") == [
        "Am 3. Oktober ist Feiertag in ganz Deutschland.",
        "Die Läden bleiben z. B. geschlossen.",
    ]
    assert len(split_sentences("今天天气很好，我们去公园散步吧。公园里有很多人在跑步和打太极拳。", "zh")) == 2


def test_unspaced_scripts_are_summarised() -> None:
    text = "。".join(
        [
            "市议会周一批准了新桥的预算方案",
            "新桥预算包括修复河上的旧桥和新的自行车道",
            "议员们表示桥梁修复工程将于春季开始",
            "工程师警告说河上的桥梁需要在冬季前修复",
            "居民们欢迎议会为桥梁和自行车道拨款",
        ]
    ) + "。"
    summary = summarize(text, "zh")
    assert summary is not None and 1 <= len(split_sentences(summary, "zh")) <= 3


def _item(body: str, language: str = "en") -> PageItem:
    parsed = ParseResult(url="http://news.test/a.html", is_article=True, title="t", body=body, language=language)
    return PageItem(
        parsed=parsed,
        fetched_url=parsed.url,
        response_url=parsed.url,
        http_status=200,
        fetched_at="2025-03-05T10:00:00+00:00",
        site="news.test",
    )


def test_step_sets_the_summary_and_counts_it() -> None:
    crawler = make_crawler()
    pipeline = article_steps(Summarize, crawler=crawler)
    item = pipeline.process(_item(OFF_TOPIC_LEAD))
    assert item.summary == summary_for(item, max_sentences=3)
    assert crawler.stats.get_value("newscrawl/summary/written") == 1
    pipeline.process(_item("Too short."))
    assert crawler.stats.get_value("newscrawl/summary/none") == 1


def test_pipeline_passes_other_items_through() -> None:
    pipeline = article_steps(Summarize)
    other = object()
    assert pipeline.process(other) is other


def test_step_switched_off_by_zero_sentences() -> None:
    assert not article_steps(Summarize, NEWSCRAWL_SUMMARY_SENTENCES=0).steps


def test_summary_is_written_with_the_page_steps_before_the_writer_steps() -> None:
    """The summary needs nothing but the page, so it runs in the pool with the parse; site
    furniture (a writer step) writes it again when it shortens a body (tests/furniture)."""
    assert STEPS.index(Summarize) < STEPS.index(LearnSiteFurniture) < STEPS.index(Deduplicate)
    assert not Summarize.writer and Summarize.in_pool


def test_the_first_summary_holds_numpy_s_blas_to_one_thread_in_its_process() -> None:
    """Its threads cost more than they save on the summary's small products (docs/benchmarks.md);
    a fresh process whose BLAS was given four threads has one after its first summary."""
    import json
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from threadpoolctl import threadpool_info, threadpool_limits\n"
        "import numpy\n"
        "threadpool_limits(limits=4, user_api='blas')\n"
        "from crawler.summarize import summarize\n"
        "assert summarize(sys.argv[1], 'en')\n"
        "print(json.dumps([lib['num_threads'] for lib in threadpool_info() if lib['user_api'] == 'blas']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, OFF_TOPIC_LEAD], capture_output=True, text=True, check=True)
    threads = json.loads(done.stdout)
    assert threads and set(threads) == {1}


# Words as the regular expression reads them: the summary finds them by str.split after making
# every other character a space (crawler.summarize._spaced_words); these texts hold what the two
# readings could disagree on.
TRICKY_SENTENCES = [
    "Der Fluß, die Straße und l'hôpital: snake_case_name, co-op and e-mail addresses (x@y.z).",
    "Numbers 2024 and ²³ and ١٢٣ and 3rd and 10,000 and 4.5 and Ⅻ are words or digits here too.",
    "Emoji 🎉 between words, 𝐁𝐨𝐥𝐝 mathematical letters and 𐌰𐌱 Gothic ones sit beyond the first plane.",
    "Combining marks e\u0301te\u0301 and a zero\u200bwidth space, a soft\u00adhyphen and NUL\x00bytes split words.",
    "ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΙΣΥΦΟΣ, İSTANBUL and ǅemal lower-case into other letters than they started with.",
    "Quotes «like these» and „these“ and “these” and ‘these’ and — dashes — and … ellipses.",
    "A lone surrogate \ud800 and a private use \ue000 character are not word characters at all.",
]


def test_the_words_of_a_sentence_are_the_regular_expression_s_words_without_digits() -> None:
    import re
    from itertools import filterfalse

    from crawler.summarize import _candidates

    candidates = _candidates(TRICKY_SENTENCES)
    assert candidates.texts == TRICKY_SENTENCES and candidates.positions == list(range(len(TRICKY_SENTENCES)))
    for text, terms in zip(candidates.texts, candidates.terms):
        assert list(terms) == list(filterfalse(str.isdigit, re.findall(r"\w+", text.lower())))


def test_every_code_point_is_kept_or_spaced_as_the_regular_expression_reads_it() -> None:
    import re

    import numpy as np

    from crawler.summarize import _bmp_spacing, _kept

    points = np.arange(0x110000, dtype=np.uint32)
    word = re.compile(r"[\w\n]")
    expected = np.fromiter((word.match(chr(point)) is not None for point in range(0x110000)), dtype=bool, count=0x110000)
    assert np.array_equal(_kept(points), expected)
    assert np.array_equal(_bmp_spacing(), np.where(expected[:0x10000], points[:0x10000], ord(" ")))


@pytest.mark.parametrize("paragraph", [
    "One sentence. Another one.", " leading", "trailing ", "two  spaces", "tab\there", "line\nbreak",
    "no\xa0break", "thin\u2009space", "ideographic\u3000space", "separator\u2028line", "file\x1cseparator", "", " ",
])
def test_a_paragraph_s_white_space_is_made_single_spaces(paragraph: str) -> None:
    from crawler.summarize import _spaced_once

    assert _spaced_once(paragraph) == " ".join(paragraph.split())


def test_the_lead_prior_is_made_once_and_cannot_be_changed() -> None:
    from crawler.summarize import lead_prior

    prior = lead_prior(7)
    assert lead_prior(7) is prior and abs(prior.sum() - 1) < 1e-12
    with pytest.raises(ValueError):
        prior[0] = 1.0


def test_any_sentences_words_are_the_regular_expression_s_words() -> None:
    import re
    from itertools import filterfalse

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from crawler.summarize import _UNSPACED, MIN_WORDS, _candidates

    words = st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=12)
    sentence = st.lists(words, min_size=0, max_size=12).map(" ".join)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(sentence, min_size=1, max_size=5))
    def check(sentences: list[str]) -> None:
        if _UNSPACED.search("\n".join(sentences)):
            return  # a text with unspaced script is read sentence by sentence, as before
        candidates = _candidates(sentences)
        found = {position: tuple(terms) for position, terms in zip(candidates.positions, candidates.terms)}
        for position, text in enumerate(sentences):
            expected = tuple(filterfalse(str.isdigit, re.findall(r"\w+", text.lower())))
            assert found.get(position) == (expected if len(expected) >= MIN_WORDS else None)

    check()
