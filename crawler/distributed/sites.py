"""Per-site settings of a distributed crawl, shared by every worker through Redis (as JSON).

A local crawl of a site profile hands the spider its selector overrides and date window
as arguments. Workers are started before or apart from ``newscrawl enqueue``, so
enqueue writes what it was given (selectors, pinned template, date window, extra domains, direction) for
each site of its seeds into the hash ``<ns>:site-configs`` (site key -> ``SiteConfig`` as JSON; never pickled;
a proxy's credentials included, so Redis is as private as the profiles file), and every
worker reads a site's entry when it handles that site's pages. The latest enqueue of a
site decides; a site never enqueued with settings has the worker's own
(NEWSCRAWL_SINCE / NEWSCRAWL_UNTIL, no selectors).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.distributed.keys import RedisKeys
from crawler.distributed.templates import checked_paths
from crawler.profiles import SELECTOR_FIELDS
from spiders.article import DIRECTIONS


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What one enqueue said about a site."""

    profile: str | None = None  # the profile key, for logs
    selectors: dict[str, str] = field(default_factory=dict)  # CSS per field (crawler.parsing.overrides)
    since: str | None = None  # date window bounds as given (crawler.discovery.DateWindow.from_text)
    until: str | None = None
    allowed_domains: tuple[str, ...] = ()  # more domains links may lead to
    direction: str | None = None  # neighbours followed from articles found by discovery; None: the worker's
    proxy: str | None = None  # the profile's HTTP proxy for this site; None: the worker's (NEWSCRAWL_PROXY, environment)
    template: dict[str, str] = field(default_factory=dict)  # the profile's pinned template (crawler.parsing.template)

    def dumps(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def loads(cls, data: bytes | str) -> SiteConfig:
        """The config back from ``dumps``; anything else is a ValueError naming what is wrong."""
        raw = json.loads(data)
        if not isinstance(raw, dict):
            raise ValueError(f"a site config must be a JSON object, not {type(raw).__name__}")
        unknown = set(raw) - {"profile", "selectors", "since", "until", "allowed_domains", "direction", "proxy",
                              "template"}
        if unknown:
            raise ValueError(f"unknown site config keys: {', '.join(sorted(unknown))}")
        selectors = raw.get("selectors") or {}
        if not isinstance(selectors, dict) or not all(
            name in SELECTOR_FIELDS and isinstance(css, str) for name, css in selectors.items()
        ):
            raise ValueError(f"bad selectors in a site config: {selectors!r:.200}")
        for name in ("profile", "since", "until", "proxy"):
            if raw.get(name) is not None and not isinstance(raw[name], str):
                raise ValueError(f"{name} in a site config must be a string")
        if raw.get("direction") not in (None, *DIRECTIONS):
            raise ValueError(f"direction in a site config must be one of {', '.join(DIRECTIONS)}")
        domains = raw.get("allowed_domains") or []
        if not isinstance(domains, list) or not all(isinstance(domain, str) for domain in domains):
            raise ValueError("allowed_domains in a site config must be a list of strings")
        template = checked_paths(raw.get("template") or {}, "template in a site config")
        return cls(profile=raw.get("profile"), selectors=dict(selectors), since=raw.get("since"),
                   until=raw.get("until"), allowed_domains=tuple(domains), direction=raw.get("direction"),
                   proxy=raw.get("proxy"), template=template)  # fmt: skip


def write_site_configs(pipe: Any, keys: RedisKeys, sites: list[str], config: SiteConfig) -> None:
    """Queue (on a Redis pipeline) one HSET per site."""
    for site in sites:
        pipe.hset(keys.site_configs, site, config.dumps())


def read_site_config(server: Any, keys: RedisKeys, site: str) -> SiteConfig | None:
    data = server.hget(keys.site_configs, site)
    return SiteConfig.loads(data) if data is not None else None

