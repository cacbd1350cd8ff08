"""The article's other fields, read by key name around the body a payload holds.

``walk.find_body`` gives the object holding the body and its ancestors. Each field is looked
for in that object, then in the objects directly inside it (``dates: {published: ...}``,
``meta``, ``seo``), then in each ancestor the same way, nearest first, up to ``MAX_LEVELS``:
the first key that names the field with a usable value wins. Key names are compared lower
case without ``_`` and ``-`` (``published_at``, ``publishedAt``, ``published-at`` are one).
A value ``{"__ref": "Author:7"}`` (Apollo's normalised cache) is looked up in the payload.

Fallback orders (the key lists below, most specific first):
- title: ``headline``, ``title``, ``headlines`` ... a string, or an object's ``basic`` /
  ``main`` / ``rendered`` / ``text`` string (Arc XP, WordPress);
- published / modified: ISO 8601 and RFC 2822 strings, or Unix times in seconds or
  milliseconds, each checked against the fetch time (``DateCheck``);
- authors: a string (split as a byline), an object's ``name`` / ``displayName`` /
  ``fullName`` / first + last name, a list of these, or Arc's ``credits.by``;
- neighbours: ``previous`` / ``next`` and the like, as a URL, a path, an object with ``url`` /
  ``href`` / ``path`` / ``slug``, or a bare slug written where the page's own slug is in its URL.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from crawler.parsing.datecheck import Accept
from crawler.parsing.datetext import parse_date
from crawler.parsing.names import dedupe, split_authors
from crawler.parsing.payload.walk import Found

MAX_LEVELS = 4  # the body's object and this many objects around it, minus one
MAX_AUTHORS = 10
TITLE_MIN_CHARS, TITLE_MAX_CHARS = 3, 300
EPOCH_SECONDS = (631_152_000, 4_102_444_800)  # 1990 to 2100: a number in this range is a Unix time in seconds
EPOCH_MILLIS = (EPOCH_SECONDS[0] * 1000, EPOCH_SECONDS[1] * 1000)

TITLE_KEYS = ("headline", "title", "headlines", "heading", "displaytitle", "seotitle", "socialtitle")
# A key names a field when it matches one of the field's patterns and none of its exclusions;
# the earlier pattern ranks first within one object. Keys are compared normalised (``_norm``).
PUBLISHED = (
    (r"^(?:date)?(?:first)?publish|publish(?:ed)?(?:at|on|date|time|gmt|utc)$", r"^(?:post|release|issue|pub)(?:ed)?(?:date|at|on|time)|^pubdate",
     r"^(?:date)?creat", r"^(?:display)?date(?:gmt|utc)?$"),
    r"modif|updat|revis|edit|expir|birth|start|end|event|schedul|embargo|comment|last|count",
)  # fmt: skip
MODIFIED = ((r"modif", r"updat", r"revis"), r"comment|expir|schedul|count|by$")
AUTHORS = ((r"author|byline|creator|writer", r"^credits$"), r"id$|ids$|url|uri|image|avatar|photo|bio|slug|count|link|href|role|email|twitter|handle")
PREV = ((r"^prev|^previous|prev(?:ious)?(?:article|post|story|item)|^older",), r"page|cursor|token|offset|batch|build|count")
NEXT = ((r"^next|next(?:article|post|story|item)|^newer",), r"page|cursor|token|offset|batch|build|count|data$|router")
_TEXT_KEYS = ("basic", "main", "default", "rendered", "text", "value", "plaintext")  # a wrapped string's own key
_NAME_KEYS = ("name", "displayname", "fullname", "byline", "title")
_LINK_KEYS = ("url", "href", "link", "permalink", "canonicalurl", "canonical", "path", "uri", "pathname", "as")
_SLUG_KEYS = ("slug", "urlslug", "handle")
_REF_KEYS = ("__ref", "$ref")
_UTC_SUFFIXES = ("gmt", "utc")
_OFFSET = re.compile(r"[+-]\d\d:?\d\d$|Z$")
_SLUG = re.compile(r"^[\w-]{3,200}$")
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _norm(key: Any) -> str:
    return str(key).lower().replace("_", "").replace("-", "")


def _deref(value: Any, root: Any) -> Any:
    """An Apollo-style reference resolved in the payload's top-level object; anything else as is."""
    if isinstance(value, dict) and isinstance(root, dict):
        for key in _REF_KEYS:
            target = value.get(key)
            if isinstance(target, str) and isinstance(root.get(target), dict):
                return root[target]
        if value.get("type") == "id" and isinstance(value.get("id"), str) and isinstance(root.get(value["id"]), dict):
            return root[value["id"]]  # Apollo 2: {"type": "id", "id": "Author:7", "generated": false}
    return value


def _objects(found: Found) -> Iterator[dict[str, Any]]:
    """The body's object, the objects directly inside it, then each ancestor the same way."""
    for obj in found.path[:MAX_LEVELS]:
        yield obj
        for value in obj.values():
            value = _deref(value, found.root)
            if isinstance(value, dict):
                yield value


Role = tuple[tuple[str, ...], str]  # (patterns by rank, exclusions): see PUBLISHED


@cache
def _rank(key: str, role: Role) -> int | None:
    patterns, exclusions = role
    if re.search(exclusions, key):
        return None
    return next((rank for rank, pattern in enumerate(patterns) if re.search(pattern, key)), None)


def _keyed_values(found: Found, keys: tuple[str, ...] | Role) -> Iterator[tuple[str, Any]]:
    """(key, value) under the field's keys: each object in ``_objects`` order; within one, keys
    in the order given (a tuple of names) or by the rank of the pattern they match (a Role)."""
    for obj in _objects(found):
        named = {_norm(key): value for key, value in obj.items() if value not in (None, "", [], {})}
        if isinstance(keys[0], str):
            ranked = [key for key in keys if key in named]
        else:
            ranks = {key: rank for key in named if (rank := _rank(key, keys)) is not None}  # type: ignore[arg-type]
            ranked = sorted(ranks, key=lambda key: (ranks[key], not key.endswith(_UTC_SUFFIXES)))
        for key in ranked:
            yield key, _deref(named[key], found.root)


def _values(found: Found, keys: tuple[str, ...] | Role) -> Iterator[Any]:
    return (value for _, value in _keyed_values(found, keys))


def _text(value: Any) -> str | None:
    """A string, or the string an object wraps (``{"rendered": ...}``, ``{"basic": ...}``)."""
    if isinstance(value, dict):
        named = {_norm(key): item for key, item in value.items()}
        value = next((named[key] for key in _TEXT_KEYS if isinstance(named.get(key), str)), None)
    if not isinstance(value, str):
        return None
    return _SPACE.sub(" ", html.unescape(_TAGS.sub("", value))).strip() or None


def payload_title(found: Found) -> str | None:
    """The first title-named value of title length on one line (see the module docstring)."""
    for value in _values(found, TITLE_KEYS):
        text = _text(value)
        if text and TITLE_MIN_CHARS <= len(text) <= TITLE_MAX_CHARS:
            return text
    return None


def _date_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if EPOCH_MILLIS[0] <= value <= EPOCH_MILLIS[1]:
            value /= 1000
        if EPOCH_SECONDS[0] <= value <= EPOCH_SECONDS[1]:
            return datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds")
        return None
    text = _text(value)
    return parse_date(text, words=False) if text else None


def payload_date(found: Found, keys: Role, accept: Accept) -> str | None:
    """The first date under ``keys`` that parses and that ``accept`` lets through; a key that
    names UTC (WordPress's ``date_gmt``) gives its zone to a time written without one."""
    for key, value in _keyed_values(found, keys):
        parsed = _date_value(value)
        if parsed and len(parsed) > 10 and key.endswith(_UTC_SUFFIXES) and not _OFFSET.search(parsed[10:]):
            parsed += "+00:00"
        if parsed and accept(parsed, "script payload"):
            return parsed
    return None


def _names(value: Any, root: Any, depth: int = 3) -> Iterator[str]:
    value = _deref(value, root)
    if isinstance(value, str):
        yield from split_authors(value)
    elif isinstance(value, list) and depth:
        for item in value[:MAX_AUTHORS]:
            yield from _names(item, root, depth - 1)
    elif isinstance(value, dict) and depth:
        named = {_norm(key): item for key, item in value.items()}
        first, last = named.get("firstname"), named.get("lastname")
        if isinstance(first, str) and isinstance(last, str):
            yield from split_authors(f"{first} {last}")
            return
        for key in (*_NAME_KEYS, "by"):
            if key in named and named[key]:
                yield from _names(named[key], root, depth - 1)
                return


def payload_authors(found: Found) -> list[str]:
    """The names under the first author-named key that gives any (see the module docstring)."""
    for value in _values(found, AUTHORS):
        names = dedupe(list(_names(value, found.root)))
        if names:
            return names[:MAX_AUTHORS]
    return []


def _own_slug(found: Found) -> str | None:
    for value in _values(found, _SLUG_KEYS):
        if isinstance(value, str) and _SLUG.match(value):
            return value
    return None


def _link(value: Any, page_url: str, own_slug: str | None) -> str | None:
    """An absolute URL from a URL, a path, an object holding one, or a slug beside the page's own."""
    if isinstance(value, dict):
        named = {_norm(key): item for key, item in value.items()}
        for key in _LINK_KEYS:
            if isinstance(named.get(key), str) and (url := _link(named[key], page_url, None)):
                return url
        slug = next((named[key] for key in _SLUG_KEYS if isinstance(named.get(key), str)), None)
        return _link(slug, page_url, own_slug) if slug else None
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if value.startswith(("http://", "https://", "/")):
        return urljoin(page_url, value)
    if own_slug and _SLUG.match(value):
        parts = urlsplit(page_url)
        segments = parts.path.split("/")
        tail = segments[-1] or (segments[-2] if len(segments) > 1 else "")
        if tail.split(".")[0] == own_slug:
            index = len(segments) - 1 if segments[-1] else len(segments) - 2
            segments[index] = segments[index].replace(own_slug, value, 1)
            return urlunsplit((parts.scheme, parts.netloc, "/".join(segments), "", ""))
    return None


def payload_neighbour(found: Found, keys: Role, page_url: str) -> tuple[str, str | None] | None:
    """(URL, headline) of the neighbour under ``keys``, never the page itself, or None."""
    own_slug = _own_slug(found)
    for value in _values(found, keys):
        url = _link(value, page_url, own_slug)
        if url and url.split("#")[0] != page_url.split("#")[0]:
            title = next((t for key in TITLE_KEYS if isinstance(value, dict) and (t := _text(value.get(key)))), None)
            return url, title
    return None
