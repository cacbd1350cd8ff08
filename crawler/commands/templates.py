"""`newscrawl templates`: each site's learned template, as a table or as a site profile to pin."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.analysis.database import open_for_reading, unknown_site_message
from crawler.analysis.options import db_option
from crawler.article.sitevotes import SiteVotes
from crawler.commands.options import check_site
from crawler.parsing.template import TEMPLATE_FIELDS
from crawler.storage.templates import SitePaths, TemplateStore

def template_rows(site: SitePaths, *, min_pages: int, min_share: float) -> list[dict]:
    """Per field: its commonest path, the pages holding it, the pages where the field was found,
    and whether that is a clear majority (the template the crawl uses)."""
    votes = SiteVotes(site.pages, site.votes)
    rows = []
    for name in TEMPLATE_FIELDS:
        found = votes.leader(name)
        if found is None:
            continue
        path, holding, located = found
        rows.append({"site": site.site, "field": name, "path": path, "pages": holding, "found_on": located,
                     "learned": holding >= min_pages and holding >= min_share * located})
    return rows


def layout_rows(site: SitePaths, *, min_pages: int, min_share: float) -> list[dict]:
    """The site's article layouts for the template fast path, commonest first: the paths, the pages
    read with exactly these, the pages with its headline path, and whether it is confident (what
    a crawl, ``import`` or ``reparse`` reads the site's pages by)."""
    votes = SiteVotes.stored(site.site, site.pages, site.votes, site.layouts)
    confident = set(votes.confident_layouts(min_pages=min_pages, min_share=min_share)) if min_pages > 0 else set()
    return [{"site": site.site, "layout": layout.as_paths(), "pages": count, "headline_pages": votes.headlines[layout.title],
             "confident": layout in confident} for layout, count in votes.layouts.most_common()]


def _layout_line(row: dict) -> str:
    paths = "; ".join(f"{name} {path}" for name, path in row["layout"].items())
    state = "read the fast way" if row["confident"] else "not confident yet"
    return f"  layout     {paths}  [{row['pages']}/{row['headline_pages']} pages, {state}]"


def profile_toml(site: SitePaths, rows: list[dict], home_url: str | None) -> str:
    """A ``[sites."SITE"]`` table with the learned template, ready to review and pin in sites.toml;
    keyed by the site key itself (the name its crawls, crawl state, runs and templates have), its
    start URL is ``home_url`` (the stored articles' scheme, host and port), else https://SITE/."""
    key = json.dumps(site.site)
    start = home_url or f"https://{site.site}/"
    lines = [f"[sites.{key}]  # learned from {site.pages} article pages", f"start_urls = [{json.dumps(start)}]",
             f"[sites.{key}.template]"]
    lines += [f"{row['field']} = {json.dumps(row['path'])}  # on {row['pages']} of {row['found_on']} pages"
              for row in rows if row["learned"]]
    return "\n".join(lines)


@click.command()
@click.option("--site", metavar="HOST", callback=check_site, help="Only this site (host without www.).")
@click.option("--toml", "as_toml", is_flag=True, help="Print each learned template as a sites.toml profile.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site and field.")
@click.option("--all", "show_all", is_flag=True, help="Also fields with no clear majority yet.")
@db_option
def templates(site: str | None, as_toml: bool, as_json: bool, show_all: bool, db_path: Path) -> None:
    """Each site's template as the crawls learned it: for each field (title, date, author,
    body, navigation) the element path that held it on most of the site's article pages,
    on how many pages, and whether it is a clear majority (NEWSCRAWL_TEMPLATE_MIN_PAGES
    pages and NEWSCRAWL_TEMPLATE_MIN_SHARE of the pages where the field was found): then
    later pages of the site are parsed with it as a hint, and the pages stored before it was
    learned are corrected at the end of the run. Then each article layout of the template
    fast path (the paths of one page's headline, date, byline, navigation and body region):
    on how many pages, and whether it is confident (NEWSCRAWL_FAST_PATH_MIN_PAGES pages and
    NEWSCRAWL_FAST_PATH_MIN_SHARE of the pages with its headline), when the crawl, import
    and reparse read the site's pages by it. --toml prints a site profile (start URL: the
    origin of the site's stored articles) whose [sites.KEY.template] table, once reviewed and
    pasted into sites.toml, pins the template from a crawl's first page. Layouts are not in
    the profile: they change no stored value, only how fast a page is read, and a kept layout
    a verified page disagrees with is dropped, which a pinned one could not be.

    \b
    Example:
      newscrawl templates --site news.example --toml >> sites.toml
    """
    from crawler import settings as defaults

    if as_json and as_toml:
        raise click.UsageError("--json and --toml print the template two ways: choose one")
    db = open_for_reading(db_path)
    try:
        store = TemplateStore(db)
        sites = store.sites(site.lower().removeprefix("www.") if site else None)
        homes = {found.site: store.home_url(found.site) for found in sites} if as_toml else {}
        unknown = unknown_site_message(db, (site,)) if site and not sites else None
    finally:
        db.conn.close()
    if unknown:
        raise click.BadParameter(unknown, param_hint="--site")
    rules = {"min_pages": defaults.NEWSCRAWL_TEMPLATE_MIN_PAGES, "min_share": defaults.NEWSCRAWL_TEMPLATE_MIN_SHARE}
    fast = {"min_pages": defaults.NEWSCRAWL_FAST_PATH_MIN_PAGES, "min_share": defaults.NEWSCRAWL_FAST_PATH_MIN_SHARE}
    blocks = []
    for found in sites:
        rows = [row for row in template_rows(found, **rules) if row["learned"] or show_all]
        layouts = [row for row in layout_rows(found, **fast) if row["confident"] or show_all]
        if as_json:
            blocks += [json.dumps(row, sort_keys=True) for row in rows + layouts]
        elif as_toml:
            if any(row["learned"] for row in rows):
                blocks.append(profile_toml(found, rows, homes.get(found.site)) + "\n")
        else:
            blocks.append(f"{found.site}  ({found.pages} article pages)")
            lines = [f"  {row['field']:<10} {row['path']}  [{row['pages']}/{row['found_on']} pages"
                     f"{'' if row['learned'] else ', no majority yet'}]" for row in rows]
            blocks += lines + [_layout_line(row) for row in layouts] or ["  (nothing learned yet)"]
    if not blocks and not as_json:
        click.echo("No site template learned yet: crawl at least "
                   f"{defaults.NEWSCRAWL_TEMPLATE_MIN_PAGES} article pages of a site.", err=True)
    for block in blocks:
        click.echo(block)
