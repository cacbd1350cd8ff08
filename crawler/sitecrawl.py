"""Crawls of site profiles: `newscrawl crawl --site KEY` and `--all-sites`.

``select_profiles`` reads the profiles file (``crawler.profiles``) and picks the sites;
``profile_options`` turns one profile into the runner's ``CrawlOptions`` (start URLs,
feeds, sitemaps, politeness and limits as settings, the profile key as the run's site
and lock name). One site runs in this process. Several run one after another, each in
its own process (Twisted's reactor runs once per process), each with its own run
record and lock; the command's exit code is the most serious of theirs
(``crawler.exitcodes.worst``).

Precedence: an option given on the command line (``--since``, ``--max-articles``,
``--set``) wins over the profile, which wins over crawler/settings.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from crawler.exitcodes import ExitCode, worst
from crawler.profiles import ProfileError, SiteProfile, load_profiles

__all__ = ["ProfileError", "profile_options", "run_sites_in_subprocesses", "select_profiles"]


def select_profiles(
    path: str | Path, keys: Sequence[str], *, all_sites: bool, variables: dict[str, str] | None = None
) -> list[SiteProfile]:
    """The profiles named by ``keys`` (in that order), or every profile with ``all_sites``."""
    profiles = load_profiles(path, variables=variables)
    if all_sites:
        return list(profiles.values())
    unknown = [key for key in keys if key not in profiles]
    if unknown:
        known = ", ".join(profiles) or "none"
        raise ProfileError(Path(path), None, f"no site {unknown[0]!r} in this file (sites: {known})")
    return [profiles[key] for key in dict.fromkeys(keys)]


def profile_options(profile: SiteProfile, base: Any) -> Any:
    """``base`` (the command line's ``CrawlOptions``) filled in from one profile."""
    settings = dict(base.settings)
    if profile.delay is not None:
        settings.setdefault("DOWNLOAD_DELAY", profile.delay)
    if profile.concurrency is not None:
        settings.setdefault("CONCURRENT_REQUESTS_PER_DOMAIN", profile.concurrency)
    if profile.max_pages:
        settings.setdefault("NEWSCRAWL_MAX_PAGES_PER_SITE", profile.max_pages)
    if profile.proxy:
        settings.setdefault("NEWSCRAWL_PROXY", profile.proxy)
    if profile.render:
        settings.setdefault("NEWSCRAWL_RENDER", profile.render)
    if profile.languages:
        settings.setdefault("NEWSCRAWL_LANGUAGES", list(profile.languages))
    spider_args = {"feeds": list(profile.feeds), "sitemaps": list(profile.sitemaps), "site": profile.key}
    if profile.selectors:
        spider_args["selectors"] = json.dumps(profile.selectors)
    if profile.template:
        spider_args["template"] = json.dumps(profile.template)
    if profile.since:
        spider_args["since"] = profile.since
    spider_args.update(base.spider_args)  # the command line wins
    return replace(
        base,
        start_urls=list(profile.start_urls),
        allow_domains=[*base.allow_domains, *profile.allowed_domains],
        max_articles=base.max_articles or profile.max_articles or None,
        settings=settings,
        spider_args=spider_args,
        lock_names=list(profile.state_keys),  # an ad hoc crawl of its site takes the same lock
    )


def run_sites_in_subprocesses(keys: Sequence[str], child_args: Sequence[str]) -> ExitCode:
    """``newscrawl crawl --site KEY <child_args>`` for each key in turn; the most serious exit code.

    Ctrl-C reaches the running site's crawl too (one process group): it is left to store what
    it fetched and end (subprocess.run killed it 0.25 s after the Ctrl-C), and no further site
    starts.
    """
    codes: list[int] = []
    interrupted = False
    for key in keys:
        command = [sys.executable, "-m", "crawler", "crawl", "--site", key, *child_args]
        with subprocess.Popen(command) as child:
            try:
                code = child.wait()
            except KeyboardInterrupt:
                interrupted, code = True, child.wait()
        print(f"site {key}: exit code {code} ({_name(code)})", flush=True)
        codes.append(code if code in ExitCode._value2member_map_ else ExitCode.COULD_NOT_RUN)
        if interrupted:
            break
    result = worst([*codes, ExitCode.INTERRUPTED] if interrupted else codes)
    left = f", {len(keys) - len(codes)} not started (interrupted)" if interrupted and len(codes) < len(keys) else ""
    print(f"{len(codes)} sites crawled{left}; exit code {int(result)} ({result.name.lower()})", flush=True)
    return result


def _name(code: int) -> str:
    try:
        return ExitCode(code).name.lower()
    except ValueError:
        return "unexpected"
