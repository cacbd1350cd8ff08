"""`python -m crawler.demo.scheduled`: three scheduled runs of the demo site in a row.

What a timer would do every 15 minutes, compressed: the demo publishers are served on
127.0.0.1 (``DemoSite``), and `newscrawl crawl --all-sites --sites sites.example.toml`
runs three times into a fresh database (``--db``, default a temporary file):
1. the first run crawls everything;
2. the second finds nothing new and fetches no article page again;
3. before the third the site publishes its extra articles (``DemoSite.publish_extra``),
   and the third run fetches only those.
Each run's output is printed as it comes, then `newscrawl runs`. The profiles' base
URLs are ``${demo_<publisher>}`` placeholders, given with ``--var`` (docs/scheduling.md).

Exit code: 1 when a run did not end as expected (see the checks printed at the end).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from crawler.commands.options import CONTEXT_SETTINGS
from crawler.demo.server import DemoSite

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _newscrawl(*arguments: str) -> int:
    command = [sys.executable, "-m", "crawler", *arguments]
    click.echo(f"\n$ newscrawl {' '.join(arguments)}", err=False)
    return subprocess.run(command, cwd=PROJECT_ROOT, check=False).returncode


def _article_pages_fetched(db: Path, run_id: int) -> int:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT articles_new + articles_updated + articles_unchanged + not_modified FROM runs WHERE id = ?",
                           [run_id]).fetchone()  # fmt: skip
        return int(row[0]) if row else 0
    finally:
        conn.close()


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Database (default: a temporary file).")
def main(db_path: Path | None) -> None:
    """Serve the demo site and crawl it three times as a scheduled job would.

    \b
    Example:
      python -m crawler.demo.scheduled --db /tmp/scheduled.db
    """
    with tempfile.TemporaryDirectory() as scratch, DemoSite() as site:
        db = db_path or Path(scratch) / "news.db"
        variables = [arg for key in site.publishers for arg in ("--var", f"demo_{key}={site.base_url(key).rstrip('/')}")]
        common = ["--all-sites", "--sites", str(PROJECT_ROOT / "sites.example.toml"), *variables,
                  "--db", str(db), "--allow-network", "127.0.0.0/8", "--quiet"]  # fmt: skip
        codes = []
        for number, label in enumerate(("first run: everything", "second run: nothing new",
                                        "third run: after the site published more"), start=1):  # fmt: skip
            if number == 3:
                site.publish_extra()
                click.echo(f"\n(the demo site now has {len(site.articles())} articles)")
            click.echo(f"\n=== {label} ===")
            codes.append(_newscrawl("crawl", *common))
        click.echo("\n=== the run records ===")
        _newscrawl("runs", "--db", str(db))
        publishers = len(site.publishers)
        new = [sum(_article_pages_fetched(db, run) for run in range(first, first + publishers))
               for first in (1, 1 + publishers, 1 + 2 * publishers)]  # fmt: skip
    click.echo(f"\nExit codes {codes}; article pages fetched or revalidated per round: {new}")
    if any(code not in (0, 3) for code in codes) or new[1] != 0 or new[2] <= 0:
        click.echo("unexpected: the second round should fetch nothing and the third only the new articles", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
