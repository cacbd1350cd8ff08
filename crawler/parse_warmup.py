"""The parser's per-process tables that no page decides, built once in the pool's fork server.

``crawler.pool.PRELOAD`` ends with this module: the fork server imports it after the parser, so
every pool worker forked from it starts with the tables instead of building them at its first
page. Today that is the calendar words of a page of unknown language
(``crawler.parsing.calendar_words``: month names every one of dateparser's ~200 languages agrees
on, read from their data modules). A page in a given language still builds that language's own
table in the worker that reads it.
"""

from __future__ import annotations

from crawler.parsing.calendar_words import calendar_words

calendar_words()
