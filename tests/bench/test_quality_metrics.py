"""The benchmark's own metrics and comparison rules, on hand-made cases worked out by hand."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

import pytest

from bench.quality.compare import (
    any_author_found,
    as_day,
    has_time,
    same_day,
    same_day_near_midnight,
    same_instant,
    same_title,
    split_names,
)
from bench.quality.metrics import page_counts, page_precision_recall, shingle_scores, shingles, word_f1


def test_shingles_are_four_token_runs_with_case_kept() -> None:
    assert shingles("A b, c d e") == Counter({("A", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})


def test_short_text_is_one_shingle_and_empty_text_none() -> None:
    assert shingles("two words") == Counter({("two", "words"): 1})
    assert shingles("  ,. ") == Counter()
    assert shingles(None) == Counter()


def test_repeated_shingles_count_as_a_multiset() -> None:
    # "a b c d a b c d": shingles abcd, bcda, cdab, dabc, abcd -> abcd twice.
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2


def test_page_counts_are_normalised_to_sum_one() -> None:
    # truth: 3 shingles (a b c d e f); prediction: b c d e f g -> shingles bcde, cdef, defg.
    # shared: bcde, cdef -> tp 2, fp 1, fn 1, total 4.
    counts = page_counts("a b c d e f", "b c d e f g")
    assert (counts.tp, counts.fp, counts.fn) == pytest.approx((0.5, 0.25, 0.25))
    assert page_precision_recall(counts) == pytest.approx((2 / 3, 2 / 3))


def test_multiset_overlap_takes_the_minimum_count() -> None:
    # truth has "a b c d" twice, the prediction once: tp 1 of the truth's 5 shingles.
    counts = page_counts("a b c d a b c d", "a b c d")
    precision, recall = page_precision_recall(counts)
    assert precision == pytest.approx(1.0)
    assert recall == pytest.approx(1 / 5)


def test_exact_match_scores_one_and_empty_pair_counts_nowhere() -> None:
    assert page_precision_recall(page_counts("one two three four five", "one two three four five")) == (1.0, 1.0)
    assert page_precision_recall(page_counts("", "")) == (None, None)


def test_empty_prediction_counts_for_recall_only() -> None:
    precision, recall = page_precision_recall(page_counts("a b c d e", ""))
    assert precision is None
    assert recall == 0.0


def test_shingle_scores_average_over_pages_then_take_f1() -> None:
    pairs = [
        ("a b c d e f", "b c d e f g"),  # p 2/3, r 2/3
        ("a b c d e", ""),  # p not counted, r 0
        ("w x y z", "w x y z"),  # p 1, r 1
    ]
    scores = shingle_scores(pairs)
    p = (2 / 3 + 1) / 2
    r = (2 / 3 + 0 + 1) / 3
    assert scores.precision == pytest.approx(p)
    assert scores.recall == pytest.approx(r)
    assert scores.f1 == pytest.approx(2 * p * r / (p + r))
    assert scores.pages == 3


def test_word_f1_lowercases_and_uses_multisets() -> None:
    # truth tokens: the, cat, the, hat; prediction: the, cat, sat -> overlap 2.
    assert word_f1("The cat, the hat.", "the CAT sat") == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))


def test_word_f1_edge_cases() -> None:
    assert word_f1("", "") == 1.0
    assert word_f1("", "something") == 0.0
    assert word_f1("something", "") == 0.0
    assert word_f1("alpha beta", "gamma") == 0.0


def test_titles_ignore_case_quotes_and_whitespace_but_not_site_names() -> None:
    assert same_title("“Quoted”  Headline", '"quoted" headline')
    assert same_title("It’s here", "Its here")
    assert not same_title("Headline", "Headline | The Site")
    assert not same_title(None, None)


def test_dates_compare_as_days_without_time_zone_shifts() -> None:
    assert as_day("2025-09-11T23:30:00-05:00") == "2025-09-11"
    assert as_day(datetime(2025, 9, 11, 1, 0)) == "2025-09-11"
    assert as_day(date(2025, 9, 11)) == "2025-09-11"
    assert as_day("11 September") is None
    assert same_day("2025-09-11", "2025-09-11T08:00:00+02:00")
    assert not same_day("2025-09-11", None)


def test_fundus_days_allow_a_utc_truth_near_midnight() -> None:
    # The page shows local time, the truth is the same instant in UTC: one day apart as written.
    assert same_day_near_midnight("2024-05-16T22:30:00+00:00", "2024-05-17T00:30:00+02:00")
    assert same_day_near_midnight("2024-05-16T22:30:00+00:00", "2024-05-17")  # a day only: some offset puts it there
    assert not same_day_near_midnight("2024-05-16T12:00:00+00:00", "2024-05-18")
    # A truth in local time is compared as written.
    assert not same_day_near_midnight("2024-05-16T22:30:00+02:00", "2024-05-17")
    assert same_day_near_midnight("2024-05-16T00:00:00", "2024-05-16T09:00:00+02:00")
    # Two instants with offsets: the day of one in the other's offset.
    assert not same_day_near_midnight("2024-05-16T12:00:00+02:00", "2024-05-17T12:00:00+02:00")
    assert not same_day_near_midnight("2024-05-16T12:00:00+02:00", None)


def test_fundus_instants_within_a_minute() -> None:
    assert has_time("2024-05-16T22:30:00+00:00")
    assert not has_time("2024-05-16T00:00:00+02:00")  # Fundus's date-only value
    assert same_instant("2024-05-16T22:30:00+00:00", "2024-05-17T00:30:40+02:00")
    assert same_instant("2024-05-16T22:30:00Z", datetime(2024, 5, 16, 22, 31, tzinfo=timezone.utc))
    assert not same_instant("2024-05-16T22:30:00+00:00", "2024-05-17T00:32:00+02:00")
    assert not same_instant("2024-05-16T22:30:00+00:00", "2024-05-16T22:30:00")  # no offset: not an instant
    assert not same_instant("2024-05-16T22:30:00+00:00", "2024-05-16")
    # A truth without an offset (the page gave none) is compared with the clock time as written.
    assert same_instant("2026-01-29T18:40:00", "2026-01-29T18:40:00+09:00")


def test_author_strings_split_into_normalised_names() -> None:
    assert split_names("Danielle DeSiato, Donna Enzmann, and Natalie Nguyen") == [
        "danielle desiato",
        "donna enzmann",
        "natalie nguyen",
    ]
    assert split_names(["By José Núñez"]) == ["jose nunez"]


def test_any_author_found() -> None:
    assert any_author_found("Maria & Katerina", ["Katerina"])
    assert any_author_found("Genevieve Carlton, Ph.D.", "By Genevieve Carlton")
    assert any_author_found("Dr. Andrew Huberman", ["Andrew Huberman"])  # honorifics are not the name
    assert any_author_found("Dylan Bailey, MS, RD", ["dylan bailey"])
    assert not any_author_found("Nicoletta Richardson", ["Nicoletta Richardson Trending Editor"])  # polluted
    assert not any_author_found("Mike Marshall", ["Mike"])
    assert not any_author_found("Mike Marshall", [])
    assert not any_author_found("Mike Marshall", None)
