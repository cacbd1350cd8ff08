"""A title's parts and the site's name among them: "Headline | Section | Site".

``strip_site_name`` guesses (the parts other than og:site_name, else the first part);
``strip_confirmed_site`` only removes a part it is sure of (og:site_name or the host name).
``without_head`` cuts a visible heading down to the structured title it shows.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from crawler.parsing.datetext import find_date
from crawler.parsing.text import comparable, remembered_for_short_texts

HEADLINE_WORDS = 5  # a first title part this long is the headline even beside a longer part (a tagline)
MAX_HEAD_WORDS = 4  # words before a structured title a heading may carry (a date, "Blog:")

# Spaced separators; a bar (ASCII or full-width) with or without spaces; an underscore between two
# Chinese or Japanese characters ("经济政策_新浪新闻": titles in scripts without spaces join their
# parts without them).
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SEPARATORS = re.compile(rf"\s+[|–—·•»:/~-]\s+|\s+::\s+|\s*[|｜]\s*|(?<=[{_UNSPACED}])_(?=[{_UNSPACED}])")
WORD = re.compile(r"\w+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})
# A page's readers key and split the same few titles, headings and site names many times (the
# headline reader, the site name, the template's hints), and a site repeats them on every page:
# the keys and parts of short texts are remembered per process, keyed as plain strings (lxml's
# string results hold their page alive): ``title_key`` by ``text.remembered_for_short_texts``;
# ``strip_site_name`` and ``strip_confirmed`` by caches of their own, since they take the site's
# name too (keyed as a plain string the same way).
REMEMBERED_TEXTS = 4096  # texts per function (least recently used dropped)
MAX_REMEMBERED_TEXT = 300  # characters: a title, a heading, a site name


def strip_site_name(title: str, site_name: str | None = None) -> str:
    """``"Headline | Site"`` -> ``"Headline"``: the parts other than the site name, else the first
    part unless it is short (a name) and another is much longer."""
    if len(title) > MAX_REMEMBERED_TEXT:
        return _strip_site_name(title, site_name)
    return _remembered_strip_site_name(str(title), None if site_name is None else str(site_name))


def _strip_site_name(title: str, site_name: str | None) -> str:
    parts = [part.strip() for part in SEPARATORS.split(title) if part.strip()]
    if len(parts) <= 1:
        return title
    if site_name:
        name = comparable(site_name)
        kept = [part for part in parts if comparable(part) != name]
        if kept and len(kept) < len(parts):
            return _rejoin(title, kept)
    first, longest = parts[0], max(parts, key=len)
    if len(first) >= len(longest) * 0.6 or len(WORD.findall(first)) >= HEADLINE_WORDS:
        return first
    return longest


def strip_confirmed_site(title: str, site_name: str | None, url: str) -> str:
    """The title without a first or last separated part that is surely the site's name: equal
    to og:site_name or spelled by the host name ("Rust Blog" on blog.rust-lang.org, "Move.org").
    Unlike ``strip_site_name`` it never guesses, so "What is X - a guide" stays whole."""
    return strip_confirmed(title, site_name, host_words(url))


def strip_confirmed(title: str, site_name: str | None, host: frozenset[str]) -> str:
    """``strip_confirmed_site`` with the host's words already read (``host_words``)."""
    if len(title) > MAX_REMEMBERED_TEXT:
        return _strip_confirmed(title, site_name, host)
    return _remembered_strip_confirmed(str(title), None if site_name is None else str(site_name), host)


def _strip_confirmed(title: str, site_name: str | None, host: frozenset[str]) -> str:
    parts = [part.strip() for part in SEPARATORS.split(title) if part.strip()]
    if len(parts) < 2:
        return title
    if names_site(parts[-1], site_name, host):
        parts = parts[:-1]
    elif names_site(parts[0], site_name, host):
        parts = parts[1:]
    else:
        return title
    return _rejoin(title, parts)


def host_words(url: str) -> frozenset[str]:
    """The host's labels and their hyphenated pieces: blog.rust-lang.org -> blog, rust-lang, rust, lang, org."""
    return _netloc_words(urlsplit(url).netloc)


@lru_cache(maxsize=REMEMBERED_TEXTS)  # per host: a site's pages ask for the same words
def _netloc_words(netloc: str) -> frozenset[str]:
    host = (urlsplit("//" + netloc).hostname or "").lower()  # the host urlsplit(url).hostname gives
    labels = [label for label in host.split(".") if label and label != "www"]
    return frozenset(labels + [piece for label in labels for piece in label.split("-")])


def names_site(part: str, site_name: str | None, host: frozenset[str]) -> bool:
    """The part is the site's name: equal to og:site_name, or spelled by the host's labels."""
    part_key = title_key(part)
    if site_name and part_key == title_key(site_name):
        return True
    words = WORD.findall(part_key)
    return bool(words) and ("".join(words) in host or all(word in host for word in words))


def _rejoin(title: str, kept: list[str]) -> str:
    """The part of the title that holds every kept part, separators included."""
    start = title.find(kept[0])
    end = title.find(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else kept[0]


@remembered_for_short_texts(REMEMBERED_TEXTS, MAX_REMEMBERED_TEXT)
def title_key(text: str) -> str:
    """A comparison key: case, quotes, whitespace and dash kinds ignored."""
    return comparable(text).translate(_DASHES)


_remembered_strip_site_name = lru_cache(maxsize=REMEMBERED_TEXTS)(_strip_site_name)
_remembered_strip_confirmed = lru_cache(maxsize=REMEMBERED_TEXTS)(_strip_confirmed)


def without_head(heading: str, keys: set[str]) -> str:
    """The heading without a few words before a structured title it ends with (as the page
    gives it, or without a surely-named site): a date or a section ("Dec 18 2025 Preparing a
    transition", "Blog: Best agencies in 2025"), when those words end in a colon or are a date."""
    words = heading.split()
    for start in range(1, min(MAX_HEAD_WORDS, len(words) - 1) + 1):
        rest = " ".join(words[start:])
        if title_key(rest) in keys:
            head = " ".join(words[:start])
            if head.endswith(":") or find_date(head):
                return rest
            break
    return heading
