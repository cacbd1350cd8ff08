"""`newscrawl serve`: browse the database in Datasette, on 127.0.0.1, read-only."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import tempfile
from pathlib import Path

import click

from crawler.analysis.database import open_for_reading, unwritable_folder
from crawler.analysis.options import db_option

# Datasette settings for news text: long bodies are cut in tables (the row page shows
# them whole) and a slow query is stopped instead of holding the server.
DATASETTE_SETTINGS = {
    "truncate_cells_html": "240",  # characters of a cell shown in table views
    "default_page_size": "50",  # rows per table page
    "sql_time_limit_ms": "5000",  # a query running longer is stopped
    "facet_time_limit_ms": "500",  # a facet taking longer is skipped
    "suggest_facets": "off",  # suggestions run a query per column on every table page: seconds at a million rows
}


def datasette_arguments(
    db_path: Path, *, port: int, metadata_path: Path, template_dir: Path, immutable: bool
) -> list[str]:
    """The `datasette serve` command line for this database."""
    arguments = ["serve", "--immutable", str(db_path)] if immutable else ["serve", str(db_path)]
    arguments += ["--host", "127.0.0.1", "--port", str(port), "--metadata", str(metadata_path)]
    arguments += ["--template-dir", str(template_dir)]
    for name, value in DATASETTE_SETTINGS.items():
        arguments += ["--setting", name, value]
    return arguments


class ForcedQuitIsNoError(logging.Filter):
    """Drops uvicorn's "Exception in 'lifespan' protocol" traceback for a task cancelled by a forced quit.

    A second Ctrl-C while the server shuts down makes uvicorn skip the application's lifespan
    shutdown; the lifespan task still waiting for it is then cancelled, and uvicorn logs that
    cancellation as an error with a traceback. The user asked for exactly that quit.

    It matches uvicorn's wording (no public setting or hook quiets that record):
    tests/analysis/test_serve_ctrl_c.py::test_uvicorns_own_record_of_a_cancelled_lifespan_is_the_one_dropped
    runs uvicorn's own lifespan code, so an upgrade that changes the record fails there."""

    def filter(self, record: logging.LogRecord) -> bool:
        cancelled = bool(record.exc_info) and isinstance(record.exc_info[1], asyncio.CancelledError)  # type: ignore[index]
        return not (cancelled and record.getMessage().startswith("Exception in 'lifespan' protocol"))


def _quiet_forced_quit() -> None:
    uvicorn_errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(existing, ForcedQuitIsNoError) for existing in uvicorn_errors.filters):
        uvicorn_errors.addFilter(ForcedQuitIsNoError())


def _check_port(port: int) -> None:
    """A taken port is a message, not a server that starts and stops again."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise click.ClickException(f"port {port} on 127.0.0.1 is not free ({exc.strerror}); choose another with --port") from exc


@click.command()
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option(
    "--immutable",
    is_flag=True,
    help="Serve a snapshot no crawl will write again (Datasette caches counts). Never while a crawl writes to it.",
)
@db_option
def serve(port: int, immutable: bool, db_path: Path) -> None:
    """Browse and query the database in Datasette at http://127.0.0.1:PORT/NAME.

    NAME is the file name without .db: data/news.db is served as /news. Read-only:
    Datasette opens the file with mode=ro and every connection is query_only, so
    the database can be served while a crawl writes to it. Facets, full-text search,
    canned queries (articles per day, latest per site, failed pages, search within a
    date window) and links between neighbouring articles are set up.

    \b
    Example:
      newscrawl serve --port 8001 --db data/news.db
    """
    from datasette.cli import cli as datasette_cli
    from datasette.plugins import pm

    from crawler.datasette import plugin
    from crawler.datasette.metadata import build_metadata
    from crawler.datasette.templates import write_templates

    open_for_reading(db_path).conn.close()  # a clear message, and the schema brought up to date
    if not immutable and (why := unwritable_folder(db_path)):
        # SQLite opens a WAL database read-only only by creating its -shm file beside it
        click.echo(f"{db_path.parent} cannot be written ({why}): serving {db_path.name} as a snapshot no crawl "
                   "writes to (--immutable)", err=True)
        immutable = True
    _check_port(port)
    if not pm.is_registered(plugin):
        pm.register(plugin, name="newscrawl")
    _quiet_forced_quit()
    with tempfile.TemporaryDirectory(prefix="newscrawl-serve-") as directory:
        metadata_path = Path(directory) / "metadata.json"
        metadata_path.write_text(json.dumps(build_metadata(db_path.stem)), encoding="utf-8")
        template_dir = write_templates(Path(directory) / "templates", db_path.stem)
        click.echo(f"Serving {db_path} read-only at http://127.0.0.1:{port}/{db_path.stem} (Ctrl-C stops)", err=True)
        datasette_cli.main(
            datasette_arguments(
                db_path, port=port, metadata_path=metadata_path, template_dir=template_dir, immutable=immutable
            ),
            prog_name="newscrawl serve",
            standalone_mode=False,
        )
