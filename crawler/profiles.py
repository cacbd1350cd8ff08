"""Site profiles: the TOML file naming each site a user follows.

Settings: ``NEWSCRAWL_SITES_PATH`` (the file, ``sites.toml`` by default; ``--sites`` on
the command line). Layout (``sites.example.toml`` is a complete example)::

    [vars]                          # optional: ${name} placeholders in any string below,
    demo = "http://127.0.0.1:8000"  # overridden with `newscrawl crawl --var demo=URL`

    [sites.harbour]                 # the profile key: letters, digits, "-" and "_", or a site
                                    # key in quotes (["127.0.0.1:8000"]: what `templates --toml` prints)
    start_urls = ["${demo}/"]       # home, section or article pages
    feeds = []                      # RSS/Atom/RDF feed URLs
    sitemaps = []                   # sitemap or sitemap index URLs (gzip accepted)
    allowed_domains = []            # more domains links may lead to (the URLs' own sites always)
    politeness = { delay = 1.0, concurrency = 2 }    # seconds, parallel requests
    limits = { max_articles = 0, max_pages = 0, since = "2025-09-01" }   # 0 = no limit
    selectors = { title = "h1.headline" }            # CSS per field, for pages the parser gets wrong
    template = { title = "article h1.headline" }     # the site's template (newscrawl templates --toml): a hint
    proxy = "http://proxy.example:3128"              # fetch this site through an HTTP proxy
    languages = ["de", "fr"]                         # store only articles in these languages
    render = "auto"                                  # never | auto | always: pages that need JavaScript (crawler/render)

A file that cannot be used raises ``ProfileError`` naming the file, the line and the
reason; nothing is crawled from a half-valid file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError

from crawler.discovery.dates import parse_bound
from crawler.parsing.template import TEMPLATE_FIELDS, SiteTemplate
from crawler.render import RENDER_MODES
from crawler.urls import site_key, url_problem

SELECTOR_FIELDS = ("title", "body", "published_at", "modified_at", "authors", "description", "prev_url", "next_url")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SITE = re.compile(r"^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)(:[0-9]{1,5})?$")  # crawler.urls.site_key's form
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_URL_LISTS = ("start_urls", "feeds", "sitemaps")
_SITE_KEYS = frozenset({"name", *_URL_LISTS, "allowed_domains", "politeness", "limits", "selectors", "template", "proxy",
                        "languages", "render"})  # fmt: skip
_POLITENESS_KEYS = {"delay": float, "concurrency": int}
_LIMIT_KEYS = {"max_articles": int, "max_pages": int, "since": str}


class ProfileError(ValueError):
    """A profiles file that cannot be used: ``file:line: reason``."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class SiteProfile:
    key: str
    name: str
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    template: dict[str, str] = field(default_factory=dict)  # field -> element path, a hint (crawler.parsing.template)
    delay: float | None = None  # seconds between requests; None = the settings' default
    concurrency: int | None = None
    max_articles: int = 0
    max_pages: int = 0
    since: str | None = None
    proxy: str | None = None  # http(s)://[user:password@]host:port; None = the settings' (NEWSCRAWL_PROXY, environment)
    languages: tuple[str, ...] = ()  # store only articles in these languages (primary subtags); () = every language
    render: str | None = None  # never | auto | always (crawler/render); None = the settings' NEWSCRAWL_RENDER

    @property
    def entry_urls(self) -> tuple[str, ...]:
        return (*self.start_urls, *self.feeds, *self.sitemaps)

    @property
    def site_keys(self) -> tuple[str, ...]:
        """The sites of the entry URLs (``crawler.urls.site_key``): what the crawl state, the runs,
        the run locks and the templates of the profile's crawls are recorded under."""
        return tuple(sorted({site_key(url) for url in self.entry_urls}))

    @property
    def state_keys(self) -> tuple[str, ...]:
        """Its site keys, and its own key: the crawl state and runs of databases written before the
        site key was the one key (profile crawls recorded them under the profile's key)."""
        return tuple(dict.fromkeys((*self.site_keys, self.key)))


# --- where a key is written ---------------------------------------------------------------
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


_KEY_PART = re.compile(r"\s*(\"[^\"]*\"|'[^']*'|[^.]+)\s*\.?")


def _split_key(text: str) -> tuple[str, ...]:
    """``sites."127.0.0.1:8000".template`` -> ``("sites", "127.0.0.1:8000", "template")``."""
    return tuple(part.strip().strip("\"'") for part in _KEY_PART.findall(text))


def line_of(text: str, path: tuple[str, ...]) -> int | None:
    """The 1-based line that defines ``path``, else the first line sharing most of its prefix."""
    best: tuple[int, int] | None = None  # (length of the shared prefix, line)
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(line):
            table = _split_key(header[1])
            full = table
        elif assign := _ASSIGN.match(line):
            full = table + _split_key(assign[1])
        else:
            continue
        shared = 0
        for mine, wanted in zip(full, path):
            if mine != wanted:
                break
            shared += 1
        if shared and (best is None or shared > best[0]):
            best = (shared, number)
            if shared == len(path):
                break
    return best[1] if best else None


# --- reading -----------------------------------------------------------------------------------
class _Reader:
    def __init__(self, path: Path, text: str, variables: dict[str, str]) -> None:
        self.path, self.text, self.variables = path, text, variables
        self.vars_declared: set[str] = set()  # the names of the file's [vars] table, while it is read

    def fail(self, where: tuple[str, ...], reason: str) -> ProfileError:
        return ProfileError(self.path, line_of(self.text, where), reason)

    def string(self, where: tuple[str, ...], value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"{'.'.join(where)} must be a string, not {type(value).__name__}")

        def substitute(match: re.Match[str]) -> str:
            name = match[1]
            if name not in self.variables and where[0] == "vars" and name in self.vars_declared:
                raise self.fail(where, f"${{{name}}} in [vars]: a [vars] value cannot use another [vars] value "
                                       f"(only --var values); write it out")  # fmt: skip
            if name not in self.variables:
                raise self.fail(where, f"unknown placeholder ${{{name}}} (define it under [vars] or pass --var {name}=...)")
            return self.variables[name]

        return _PLACEHOLDER.sub(substitute, value)

    def urls(self, where: tuple[str, ...], value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(where, f"{'.'.join(where)} must be a list of URLs")
        urls = []
        for item in value:
            url = self.string(where, item).strip()
            problem = url_problem(url)
            if problem:
                raise self.fail(where, problem)
            urls.append(url)
        return tuple(urls)

    def table(self, where: tuple[str, ...], value: Any, kinds: dict[str, type]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"{'.'.join(where)} must be a table")
        out: dict[str, Any] = {}
        for name, item in value.items():
            if name not in kinds:
                raise self.fail((*where, name), f"unknown key {name!r} in {'.'.join(where)} (known: {', '.join(kinds)})")
            kind = kinds[name]
            ok = isinstance(item, kind) or (kind is float and isinstance(item, int))
            if not ok or isinstance(item, bool):
                raise self.fail((*where, name), f"{'.'.join((*where, name))} must be {kind.__name__}")
            if kind in (int, float) and item < 0:
                raise self.fail((*where, name), f"{'.'.join((*where, name))} must not be negative")
            out[name] = self.string((*where, name), item) if kind is str else kind(item)
        return out

    def css_table(self, where: tuple[str, ...], value: Any, names: tuple[str, ...]) -> dict[str, str]:
        """A table of CSS selectors per field name, each checked."""
        chosen = self.table(where, value, dict.fromkeys(names, str))
        for name, css in chosen.items():
            try:
                GenericTranslator().css_to_xpath(css)
            except SelectorError as exc:
                raise self.fail((*where, name), f"bad CSS selector for {name}: {css!r} ({exc})") from exc
        return chosen

    def site(self, key: str, raw: Any) -> SiteProfile:
        where = ("sites", key)
        if not _KEY.match(key) and not (_SITE.match(key) and site_key(f"http://{key}/") == key):
            raise self.fail(where, f"bad site key {key!r}: use letters, digits, '-' and '_' (at most 64), "
                                   "or a site as newscrawl names it (\"news.example\", \"127.0.0.1:8000\")")
        if not isinstance(raw, dict):
            raise self.fail(where, f"sites.{key} must be a table")
        for name in raw:
            if name not in _SITE_KEYS:
                raise self.fail((*where, name), f"unknown key {name!r} in sites.{key} (known: {', '.join(sorted(_SITE_KEYS))})")
        lists = {name: self.urls((*where, name), raw.get(name, [])) for name in _URL_LISTS}
        if not any(lists.values()):
            raise self.fail(where, f"sites.{key} needs at least one of start_urls, feeds, sitemaps")
        domains_raw = raw.get("allowed_domains", [])
        if not isinstance(domains_raw, list):
            raise self.fail((*where, "allowed_domains"), "allowed_domains must be a list of host names")
        domains = [self.string((*where, "allowed_domains"), d).lower().removeprefix("www.") for d in domains_raw]
        politeness = self.table((*where, "politeness"), raw.get("politeness", {}), _POLITENESS_KEYS)
        limits = self.table((*where, "limits"), raw.get("limits", {}), _LIMIT_KEYS)
        if "since" in limits:
            try:
                parse_bound(limits["since"], end_of_day=False)
            except ValueError as exc:
                raise self.fail((*where, "limits", "since"), str(exc)) from exc
        if politeness.get("concurrency") == 0:
            raise self.fail((*where, "politeness", "concurrency"), "politeness.concurrency must be at least 1")
        name = self.string((*where, "name"), raw.get("name", key))
        return SiteProfile(
            key=key,
            name=name,
            **lists,
            allowed_domains=tuple(domains),
            selectors=self.css_table((*where, "selectors"), raw.get("selectors", {}), SELECTOR_FIELDS),
            template=self.css_table((*where, "template"), raw.get("template", {}), TEMPLATE_FIELDS),
            delay=politeness.get("delay"),
            concurrency=politeness.get("concurrency"),
            max_articles=limits.get("max_articles", 0),
            max_pages=limits.get("max_pages", 0),
            since=limits.get("since"),
            proxy=self.proxy((*where, "proxy"), raw["proxy"]) if "proxy" in raw else None,
            languages=self.languages((*where, "languages"), raw.get("languages", [])),
            render=self.render((*where, "render"), raw["render"]) if "render" in raw else None,
        )

    def render(self, where: tuple[str, ...], value: Any) -> str:
        mode = self.string(where, value).strip().lower()
        if mode not in RENDER_MODES:
            raise self.fail(where, f"render must be one of {', '.join(RENDER_MODES)}, not {value!r}")
        return mode

    def languages(self, where: tuple[str, ...], value: Any) -> tuple[str, ...]:
        from crawler.article.language import wanted_languages

        if not isinstance(value, list):
            raise self.fail(where, "languages must be a list of language codes, e.g. [\"de\", \"fr\"]")
        try:
            return tuple(sorted(wanted_languages(self.string(where, code) for code in value)))
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None

    def proxy(self, where: tuple[str, ...], value: Any) -> str:
        url = self.string(where, value)
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as exc:
            raise self.fail(where, f"bad proxy URL {url!r}: {exc}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.fail(where, f"proxy must be an http:// or https:// URL with a host, not {url!r}")
        return url


def pinned_templates(profiles: Iterable[SiteProfile]) -> dict[str, SiteTemplate]:
    """Site key -> the template a profile pins, for the sites of its start URLs, feeds and
    sitemaps (what a crawl of the profile hands the parse of those sites' pages)."""
    pinned = {}
    for profile in profiles:
        if profile.template:
            for url in profile.entry_urls:
                pinned[site_key(url)] = SiteTemplate.from_paths(profile.template)
    return pinned


def load_profiles(path: str | Path, *, variables: dict[str, str] | None = None) -> dict[str, SiteProfile]:
    """Read and check a profiles file; ``variables`` override its ``[vars]`` table."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(path, None, "profiles file not found (use --sites PATH, or copy sites.example.toml)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(path, None, f"cannot read: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc), text)
        raise ProfileError(path, line, f"not valid TOML: {exc}") from exc
    unknown = set(data) - {"vars", "sites"}
    if unknown:
        name = sorted(unknown)[0]
        raise ProfileError(path, line_of(text, (name,)), f"unknown top-level key {name!r} (known: vars, sites)")
    reader = _Reader(path, text, dict(variables or {}))
    raw_vars = data.get("vars", {})
    if not isinstance(raw_vars, dict):
        raise reader.fail(("vars",), "vars must be a table of strings")
    reader.vars_declared = set(raw_vars)
    reader.variables = {**{name: reader.string(("vars", name), value) for name, value in raw_vars.items()},
                        **(variables or {})}
    sites = data.get("sites", {})
    if not isinstance(sites, dict) or not sites:
        raise ProfileError(path, line_of(text, ("sites",)), "no sites: add a [sites.KEY] table")
    return {key: reader.site(key, raw) for key, raw in sites.items()}


_AT_LINE = re.compile(r"\(at line (\d+)")


def _line_from_message(message: str, text: str) -> int | None:
    """Python < 3.14 puts the position only into the message: "(at line 3, column 5)"."""
    if match := _AT_LINE.search(message):
        return int(match[1])
    if "at end of document" in message:
        return max(1, len(text.splitlines()))
    return None


def parse_variables(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["demo=http://127.0.0.1:8000"]`` -> ``{"demo": "http://127.0.0.1:8000"}``; ValueError on a bad pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"--var wants NAME=VALUE, got {pair!r}")
        out[name] = value
    return out
