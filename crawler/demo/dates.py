"""Dates as the demo pages show them: in words per language, and in ISO 8601.

ISO output follows the parser contract: ``2025-03-24T07:45:00+01:00`` for a time with
its UTC offset, ``2025-03-24`` for a day alone.
"""

from __future__ import annotations

from datetime import date, datetime

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}
_WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def iso(value: datetime | date) -> str:
    """ISO 8601: seconds and offset for an aware time, the day alone for a date."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _day_words(day: date, language: str) -> str:
    month = _MONTHS[language][day.month - 1]
    if language == "de":
        return f"{day.day}. {month} {day.year}"
    if language == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{_WEEKDAYS_FR[day.weekday()]} {first} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def _time_words(moment: datetime, language: str) -> str:
    if language == "de":
        return f"{moment:%H:%M} Uhr"
    if language == "fr":
        return f"{moment.hour} h {moment:%M}"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def words(value: datetime | date, language: str) -> str:
    """The date (and time, when there is one) written out as a reader sees it."""
    if not isinstance(value, datetime):
        return _day_words(value, language)
    joiner = {"de": ", ", "fr": " à ", "en": " at "}[language]
    return _day_words(value.date(), language) + joiner + _time_words(value, language)


def day_words(value: datetime | date, language: str) -> str:
    """The day alone, written out (listing pages show no time)."""
    return _day_words(value.date() if isinstance(value, datetime) else value, language)
