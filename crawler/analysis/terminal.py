"""Scraped text printed on a terminal: control characters out, so a page cannot send escape codes."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls except tab and newline


def printable(text: str | None) -> str:
    return _CONTROL.sub("", text or "")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 article``, ``39 articles``, ``1 WARC file``: the noun agrees with its count."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
