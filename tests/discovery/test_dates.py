"""Source dates and the crawl's date window."""

from datetime import UTC, datetime

import pytest

from crawler.discovery.dates import DateWindow, parse_bound, parse_source_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-11", datetime(2025, 9, 11, tzinfo=UTC)),
        ("2025-09-11T08:30:00+02:00", datetime(2025, 9, 11, 6, 30, tzinfo=UTC)),
        ("2025-09-11T08:30:00Z", datetime(2025, 9, 11, 8, 30, tzinfo=UTC)),
        ("2025-09-11T08:30:00", datetime(2025, 9, 11, 8, 30, tzinfo=UTC)),
        ("2025-09", datetime(2025, 9, 1, tzinfo=UTC)),
        ("2025", datetime(2025, 1, 1, tzinfo=UTC)),
        ("Thu, 11 Sep 2025 08:30:00 +0200", datetime(2025, 9, 11, 6, 30, tzinfo=UTC)),
        ("Thu, 11 Sep 2025 08:30:00 GMT", datetime(2025, 9, 11, 8, 30, tzinfo=UTC)),
        ("", None),
        ("yesterday-ish", None),
        (None, None),
    ],
)
def test_parse_source_date(text, expected):
    assert parse_source_date(text) == expected


def test_window_bounds_are_inclusive_whole_days():
    window = DateWindow.from_text("2025-09-01", "2025-09-10")
    assert window.contains(datetime(2025, 9, 1, 0, 0, tzinfo=UTC)) is True
    assert window.contains(datetime(2025, 9, 10, 23, 59, tzinfo=UTC)) is True
    assert window.contains(datetime(2025, 8, 31, 23, 59, tzinfo=UTC)) is False
    assert window.contains(datetime(2025, 9, 11, 0, 0, 1, tzinfo=UTC)) is False
    assert window.contains(None) is None


def test_window_on_text_dates_and_bare_days():
    window = DateWindow.from_text(since="2025-09-05T12:00:00Z")
    assert window.contains_text("2025-09-05") is True  # part of that day is inside
    assert window.contains_text("2025-09-04") is False
    assert window.contains_text("2025-09-05T11:00:00+00:00") is False
    assert window.contains_text(None) is None
    assert DateWindow().is_open and DateWindow().contains_text("1999-01-01") is True


def test_bad_bounds_are_rejected_with_a_message():
    with pytest.raises(ValueError, match="not a date"):
        parse_bound("last tuesday", end_of_day=False)
    with pytest.raises(ValueError, match=r"not a date: '2025-02-30' \(day is out of range for month\)"):
        parse_bound("2025-02-30", end_of_day=True)  # it said only "day is out of range for month"
    with pytest.raises(ValueError, match="after"):
        DateWindow.from_text("2025-09-10", "2025-09-01")


def test_rejects_before_fetching_only_on_what_the_source_proves():
    window = DateWindow.from_text("2025-09-05", "2025-09-10")
    day = lambda d: datetime(2025, 9, d, 12, tzinfo=UTC)  # noqa: E731
    assert window.rejects(day(4), None) and window.rejects(day(11), None)
    assert not window.rejects(day(6), day(20))  # published inside: a later update does not matter
    assert window.rejects(None, day(1))  # last changed before since: published before it too
    assert not window.rejects(None, day(20))  # changed after until says nothing of the publication date
    assert not window.rejects(None, None)
