"""The `newscrawl` command line: one click group, one module per command in crawler/commands/."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from typing import Any, NoReturn

import click

from crawler import __version__
from crawler.commands.options import CONTEXT_SETTINGS
from crawler.exitcodes import ExitCode

# command name -> "module:function"; modules are imported only when their command runs,
# so `newscrawl parse` does not pay for Scrapy's import and `--help` stays fast.
COMMANDS: dict[str, str] = {
    "crawl": "crawler.commands.crawl:crawl",
    "parse": "crawler.commands.parse:parse",
    "fetch": "crawler.commands.fetch:fetch",
    "enqueue": "crawler.commands.enqueue:enqueue",
    "ingest": "crawler.commands.ingest:ingest",
    "import": "crawler.commands.import_warc:import_warc",
    "reparse": "crawler.commands.reparse:reparse",
    "worker": "crawler.commands.worker:worker",
    "search": "crawler.commands.search:search",
    "show": "crawler.commands.show:show",
    "export": "crawler.commands.export:export",
    "stats": "crawler.commands.stats:stats",
    "serve": "crawler.commands.serve:serve",
    "runs": "crawler.commands.runs:runs",
    "sites": "crawler.commands.sites:sites",
    "templates": "crawler.commands.templates:templates",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; Ctrl-C where the command does not handle it (while it starts, reads its
        options or opens the database) exits 130 as documented, not click's "Aborted!" with 1."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\nInterrupted: nothing more was done.", err=True)
            sys.exit(ExitCode.INTERRUPTED)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="newscrawl")
def cli() -> None:
    """Crawl news sites' article chains into a searchable SQLite database.

    Example:

        newscrawl crawl https://news.example/2025/09/11/some-article.html
    """


def main() -> None:
    """Run the command line; output that cannot be written (a full disk, /dev/full) is a one-line error.

    Click already ends quietly on a closed pipe (``| head``). Output still buffered is
    flushed here, so a write error surfaces now and not as Python's "Exception ignored"
    at interpreter exit.

    Once the command has ended, Ctrl-C is ignored: a second one, pressed while an interrupted
    `import` or `serve` was exiting, ended Python's shutdown by the signal (exit status -2, not
    the documented 130 or 0).
    """
    try:
        try:
            cli()
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            sys.stdout.flush()
    except ModuleNotFoundError as exc:
        if (missing := missing_dependency(exc)) is None:
            raise
        click.echo(f"Error: newscrawl needs the Python package {missing!r}, which this environment lacks (made "
                   "before newscrawl needed it?): run `make install` in the project, or `pip install -e .`", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    except OSError as exc:
        _cannot_write(exc)


def missing_dependency(error: ModuleNotFoundError) -> str | None:
    """The dependency of newscrawl whose import failed, or None for any other missing module.

    A checkout updated by `git pull` may need a package its virtualenv was made without
    (threadpoolctl, convertdate): that was an import traceback. The dependencies are read from the
    checkout's pyproject.toml when there is one, as the installed metadata is as old as the virtualenv."""
    top = (error.name or "").partition(".")[0].lower()
    return top if top and top in {_module_name(requirement) for requirement in _requirements()} else None


def _requirements() -> list[str]:
    import tomllib
    from importlib.metadata import PackageNotFoundError, requires
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if pyproject.is_file():
        return list(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"])
    try:
        return [requirement for requirement in requires("newscrawl") or [] if "extra ==" not in requirement]
    except PackageNotFoundError:
        return []


def _module_name(requirement: str) -> str:
    """'prometheus-client>=0.20' -> 'prometheus_client' (a distribution named as its module is)."""
    import re

    return re.split(r"[\s;<>=!~\[]", requirement, maxsplit=1)[0].lower().replace("-", "_")


def _cannot_write(error: OSError) -> NoReturn:
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # what is still buffered goes nowhere
    click.echo(f"Error: cannot write the output: {error}", err=True)
    sys.exit(1)
