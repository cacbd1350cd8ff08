from datetime import datetime

import pytest

from crawler.parsing.datetext import find_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-11", "2025-09-11"),
        ("2025-09-11T08:30:00Z", "2025-09-11T08:30:00+00:00"),
        ("2025-09-11T08:30:00+0200", "2025-09-11T08:30:00+02:00"),
        ("2025-09-11T08:30:00", "2025-09-11T08:30:00"),
        ("20250911T083000Z", "2025-09-11T08:30:00+00:00"),  # dateparser reads this as 1799
        ("2025/12/18", "2025-12-18"),
        ("2019/1/22", "2019-01-22"),  # Highwire citation_publication_date
        ("2019-3-5", "2019-03-05"),
        ("Thu, 11 Sep 2025 08:30:00 GMT", "2025-09-11T08:30:00+00:00"),
        ("11.09.2025", "2025-09-11"),
    ],
)
def test_machine_formats_need_no_dateparser(text, expected):
    assert parse_date(text, words=False) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published on September 11, 2025", "2025-09-11"),
        ("Publié le 5 mai 2023 à 14h30", "2023-05-05T14:30:00"),
        ("Updated 8:30 AM EDT, Thu September 11, 2025", "2025-09-11T08:30:00-04:00"),
        ("Am 5. Mai 2023", "2023-05-05"),
    ],
)
def test_dates_in_words_with_their_time_and_zone(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["3 hours ago", "yesterday", "Vorheriger Artikel", "", "© 2024"])
def test_relative_and_non_dates_give_none(text):
    assert parse_date(text) is None


def test_ambiguous_numeric_day_month_is_not_guessed_from_machine_formats():
    assert parse_date("09/11/2025", words=False) is None
    assert parse_date("13/11/2025", words=False) == "2025-11-13"


def test_machine_dates_are_read_whatever_their_year_so_the_date_check_can_report_them():
    assert parse_date(f"{datetime.now().year + 3}-01-01") == f"{datetime.now().year + 3}-01-01"
    assert parse_date("0001-01-01T00:00:00") == "0001-01-01T00:00:00"
    assert parse_date("2025-02-30") is None


def test_a_date_written_in_text_after_next_year_or_before_1990_is_not_a_date():
    assert find_date(f"June 3, {datetime.now().year + 3}") is None
    assert find_date("Born on June 3, 1961 in Ohio") is None


@pytest.mark.parametrize(
    ("text", "expected", "start"),
    [
        ("June 12, 2025", "2025-06-12", 0),
        ("September 1st, 2023", "2023-09-01", 0),
        ("Last updated on 17 December 2025", "2025-12-17", 16),
        ("Par Jeanne Roy | 12 juin 2025, 14:30", "2025-06-12T14:30:00", 17),
        ("Sep 4, 2025 at 3:45 pm", "2025-09-04T15:45:00", 0),
        ("17 января 2024 г.", "2024-01-17", 0),
        ("12 de marzo de 2024", "2024-03-12", 0),
        ("Dec. 3, 2025", "2025-12-03", 0),
        ("Cureus. 2023 Jan 7;15(1):e33475", "2023-01-07", 8),
        ("Updated: 10/31/2024", "2024-10-31", 9),
        ("Posted 2019/1/22 by Jeff", "2019-01-22", 7),
    ],
)
def test_find_date_inside_a_line(text, expected, start):
    found = find_date(text)
    assert found is not None
    assert (found.value, found.start) == (expected, start)


@pytest.mark.parametrize("text", ["Top 10 trends in 2025", "The best of May 2025", "Call 555 2025 today"])
def test_find_date_needs_day_month_and_year(text):
    assert find_date(text) is None


@pytest.mark.parametrize("text", ["version 2019.1.22.4", "ISBN 2019-1-223", "2019/13/1"])
def test_year_first_unpadded_needs_a_real_month_and_day_standing_alone(text):
    assert find_date(text) is None


def test_a_remembered_line_gives_each_caller_its_own_date_read_as_the_line_reads():
    # Short lines are remembered per process (a site repeats its date lines): the same answer as
    # reading them, every argument and the current year in the key, a copy for each caller (the
    # byline reader changes what it is given).
    import random

    from crawler.parsing import datetext

    rng = random.Random(11)
    lines = ["11 March 2025", "March 11, 2025 10:30 AM EDT", "11.03.25", "3/11/25", "2025-03-11T10:30:00Z",
             "Updated 8:30 AM EDT, Thu September 11, 2025", "Publié le 5 mai 2023 à 14h30", "no date here", "05/04/2025",
             "1402/12/20", "2024年4月24日 10時30分", "By Mira Vell, 11 March 2025"]
    datetext._remembered.cache_clear()
    for _ in range(400):
        line = rng.choice(lines)
        options = {"month_first": rng.choice([None, True, False]), "country": rng.choice([None, "in", "ie", "ir"]),
                   "language": rng.choice([None, "en", "fr", "de", "fa", "ja"]), "short_years": rng.choice([False, True])}
        found = datetext.find_date(line, **options)
        assert found == datetext._find_date(line, *options.values())
        if found is not None:
            found.value = "changed by a caller"
            assert datetext.find_date(line, **options) == datetext._find_date(line, *options.values())
    assert datetext._remembered.cache_info().hits > 0
    long = "On 11 March 2025 " + "x" * datetext.MAX_REMEMBERED_LINE
    before = datetext._remembered.cache_info().currsize
    assert datetext.find_date(long).value == "2025-03-11"
    assert datetext._remembered.cache_info().currsize == before
