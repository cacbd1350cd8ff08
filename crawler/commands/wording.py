"""Counts in the sentences a person reads: "1 page fetched", "2 pages fetched"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun in its number: ``plural`` when given, else the noun with an "s"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
