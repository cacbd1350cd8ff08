"""Which links may lead to another article of the site, and what their URLs say about order.

- ``article_link``: the rule every neighbour candidate passes (same site, another page, not
  pagination, not a tag/category/author/search/home page);
- ``shape_match``: how much a link's path looks like the current article's own path (the
  same segments of digits, words and slugs), so that section and listing links, whatever
  their language, are not taken for articles;
- ``order_key``: the date or the numeric id a URL carries, to tell an older neighbour from a
  newer one without reading any label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlparse, urlsplit, urlunparse

_NOT_PAGE = re.compile(r"^(?:#|javascript:|mailto:|tel:|data:)", re.I)
_PAGINATION_QUERY = frozenset(
    ("page", "pg", "paged", "cpage", "start", "offset", "pagina", "seite", "strona", "pagenum", "page_id_all", "comments_page", "p_page")
)
_PAGINATION_PATH = re.compile(
    r"(?:/(?:page|seite|pagina|strona|pages?|p)/\d+/?$|comment-page-\d+|/comments?/?$|[-_/]page[-_]?\d+/?$|/\d{1,3}/?$)",
    re.I,
)
_LISTING_PATH = re.compile(r"/(?:tag|tags|category|categories|author|authors|search|topic|topics|label)/", re.I)
_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])(?:[/_-]?(0[1-9]|[12]\d|3[01]))?(?!\d)")
_ID = re.compile(r"\d{4,}")
_URL_NOISE = re.compile(r"[\t\r\n]")  # urlsplit drops these before splitting
_ID_QUERY = re.compile(r"(?:^|&)(?:p|id|article|articleid|story|storyid|post|nid|aid)=(\d+)", re.I)


def host(netloc: str) -> str:
    """The host name of a netloc, lower case, without credentials, port and ``www.``."""
    netloc = netloc.lower().split("@")[-1].split(":")[0]
    return netloc[4:] if netloc.startswith("www.") else netloc


class LinkRule:
    """``article_link`` for one page, with the page's own parts worked out once."""

    def __init__(self, page_url: str) -> None:
        self.page_url = page_url
        try:
            page = urlsplit(page_url)
        except ValueError:
            page = urlsplit("")
        self.scheme = page.scheme
        self.origin = f"{page.scheme}://{page.netloc}" if page.scheme and page.netloc else ""
        self.host = host(page.netloc)
        self.page_path = (page.path or "/").rstrip("/")
        self.page_stem = _PAGINATION_PATH.sub("", page.path or "/").rstrip("/")
        self._origin_path = self.origin + "/" if self.origin else None  # "https://host/": absolute hrefs on the page's own origin

    def absolute(self, href: str) -> str | None:
        if href.startswith("/") and not href.startswith("//") and self.origin:
            return self.origin + href  # root-relative, the common case: no urljoin
        if href.startswith(("http://", "https://")) and self.origin:
            # What urljoin gives an absolute URL, without parsing the page's URL again each time:
            # the URL itself under another scheme, else its parts put back together.
            try:
                parts = urlparse(href)
            except ValueError:
                return None
            if parts.scheme != self.scheme:
                return href
            if parts.netloc:
                return urlunparse(parts)
        try:
            return urljoin(self.page_url, href)
        except ValueError:  # "http://[::1/x": not a URL
            return None

    def _parts(self, url: str, href: str) -> tuple[str, str, str, str] | None:
        """(scheme, host, path, query) of ``url``, the absolute form of ``href``. A root-relative
        href is split by hand, as urlsplit would split it (it only drops tabs and line breaks,
        which such an href must not hold): its scheme and host are the page's."""
        if href.startswith("/") and not href.startswith("//") and self.origin and not _URL_NOISE.search(href):
            path, _, query = url[len(self.origin) :].partition("?")
            return self.scheme, self.host, path, query
        try:
            target = urlsplit(url)
        except ValueError:
            return None
        return target.scheme, host(target.netloc), target.path, target.query

    def _same_origin(self, href: str) -> tuple[str, str, str] | None:
        """(URL, path, query) of an absolute href on the page's own origin, split by hand where
        urljoin and urlsplit would give exactly that: no tab or line break (urlsplit drops them),
        no ``;`` (path parameters) and no empty query (urlunparse drops a bare ``?``)."""
        if self._origin_path is None or not href.startswith(self._origin_path) or _URL_NOISE.search(href):
            return None
        url = href.split("#", 1)[0]
        if ";" in url or url.endswith("?"):
            return None
        path, _, query = url[len(self.origin) :].partition("?")
        return url, path, query

    def __call__(self, href: str | None) -> str | None:
        """The absolute URL when ``href`` may point at another article of the site, else None."""
        found = self.resolve(href)
        return found[0] if found else None

    def resolve(self, href: str | None) -> tuple[str, str, str] | None:
        """(absolute URL, its path, its query) when ``href`` may point at another article of the
        site, else None."""
        if not href or _NOT_PAGE.match(href := href.strip()):
            return None
        if split := self._same_origin(href):
            url, path, query = split
        else:
            url = self.absolute(href)
            if url is None:
                return None
            url = url.split("#", 1)[0]
            parts = self._parts(url, href)
            if parts is None:
                return None
            scheme, target_host, path, query = parts
            if scheme not in ("http", "https") or target_host != self.host:
                return None
        found = url, path, query
        path = path or "/"
        if path.rstrip("/") == self.page_path:
            return None  # the same page with another query: pagination, sorting, comments
        if path == "/" and not query:
            return None
        if _LISTING_PATH.search(path):
            return None
        if query and any(key.lower() in _PAGINATION_QUERY for key, _ in parse_qsl(query)):
            return None
        if _PAGINATION_PATH.search(path):
            stem = _PAGINATION_PATH.sub("", path).rstrip("/")
            if stem == self.page_stem or stem == self.page_path or "page" in path.lower():
                return None
        return found


def article_link(href: str | None, page_url: str) -> str | None:
    """The absolute URL when ``href`` may point at another article of the site, else None."""
    return LinkRule(page_url)(href)


SEGMENT_CACHE_SIZE = 8192  # path segments whose kind is remembered: a site's links repeat its sections and slugs
_EXTENSION = re.compile(r"\.([a-z0-9]{1,5})$", re.I)
_SEPARATORS = re.compile(r"[-_+,.]")


@lru_cache(maxsize=SEGMENT_CACHE_SIZE)
def _segment_kind(segment: str) -> str:
    """d(igits), i (a slug or word carrying an id of 4+ digits), x (a word with a few digits),
    w (a word or a slug); a file extension is kept: ``w.html``."""
    extension = _EXTENSION.search(segment)
    stem = segment[: extension.start()] if extension else segment
    suffix = "." + extension.group(1).lower() if extension else ""
    if stem.isdigit():
        kind = "d"
    elif _ID.search(stem):
        kind = "i"
    else:
        kind = "x" if any(ch.isdigit() for ch in stem) else "w"
    return kind + suffix


def path_shape(path: str, query: str) -> tuple[str, ...]:
    """The kinds of a URL's path segments (``_segment_kind``), and its id parameter:
    ``/news/2025/some-story.html`` is ``("w", "d", "w.html")``."""
    shape = tuple(_segment_kind(segment) for segment in path.split("/") if segment)
    if found := _ID_QUERY.search(query):
        shape += ("?" + found.group(0).strip("&").split("=")[0].lower(),)
    return shape


def _names_an_item(path: str, query: str) -> bool:
    """The URL's own shape says "one item": a slug of four words or more or a long id in its
    last segment, or an id parameter."""
    if _ID_QUERY.search(query):
        return True
    segments = [segment for segment in path.split("/") if segment]
    return bool(segments) and (len(_SEPARATORS.findall(segments[-1])) >= 3 or bool(_ID.search(segments[-1])))


def _folder(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[0]


@dataclass(frozen=True, slots=True)
class PageShape:
    """The current article's own path, and its ``path_shape``: what ``shape_match`` compares with."""

    path: str
    shape: tuple[str, ...]

    @classmethod
    def of(cls, page_url: str) -> PageShape:
        parts = urlsplit(page_url)
        return cls(parts.path, path_shape(parts.path, parts.query))


def shape_match(path: str, query: str, page: PageShape) -> float:
    """1.0 when a link's path (and query) has the current article's shape and names one item
    (or sits in the article's own folder: ``/blog/x`` beside ``/blog/y``); 0.5 when only one
    of the two holds; 0.0 when it looks like a section, listing or service page."""
    same = path_shape(path, query) == page.shape and bool(page.shape)
    item = _names_an_item(path, query) or (same and len(page.shape) >= 2 and _folder(path) == _folder(page.path))
    if same and item:
        return 1.0
    return 0.5 if same or item else 0.0


ORDER_KEY_CACHE_SIZE = 4096  # URLs whose order key is remembered: a chain's page is read as a page and as each neighbour's neighbour


def order_key(url: str) -> tuple[int | None, int | None]:
    """(yyyymmdd from a date in the path, the longest id of 4+ digits in the path or an id
    parameter); either is None when the URL carries none. Remembered per process (keyed as a
    plain string: an lxml attribute string holds its page alive)."""
    return _order_key(str(url))


@lru_cache(maxsize=ORDER_KEY_CACHE_SIZE)
def _order_key(url: str) -> tuple[int | None, int | None]:
    parts = urlsplit(url)
    date = None
    if match := _DATE.search(parts.path):
        year, month, day = match.groups()
        date = int(year) * 10000 + int(month) * 100 + int(day or 0)
    ids = [int(found) for found in _ID.findall(_DATE.sub("/", parts.path))]
    if query := _ID_QUERY.search(parts.query):
        ids.append(int(query.group(1)))
    return date, (max(ids) if ids else None)


def compare(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> int:
    """-1 when ``a`` is older than ``b``, 1 when newer, 0 when the URLs cannot tell."""
    if a[0] is not None and b[0] is not None and a[0] != b[0]:
        return -1 if a[0] < b[0] else 1
    if a[1] is not None and b[1] is not None and a[1] != b[1] and (a[0] == b[0]):
        return -1 if a[1] < b[1] else 1
    return 0
