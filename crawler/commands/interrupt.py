"""How `import` and `reparse` end when they cannot go on: an unusable database, Ctrl-C, SIGTERM.

A crawl stops on SIGTERM as on Ctrl-C (Scrapy's handlers); the Redis ingester has its own.
`import` and `reparse` handled Ctrl-C (they close their run as interrupted, keep what they
stored and exit 130) but died on SIGTERM (a systemd stop, `kill`, a timeout) with code 143,
their run left 'running' and the pool's semaphores leaked. ``run_to_the_end`` runs their
work with SIGTERM taken as Ctrl-C. `crawl --all-sites`, which waits for one site's crawl
after another, takes SIGTERM as Ctrl-C too (``sigterm_as_ctrl_c``): it died with 143. The
Redis ingester finishes its batch on either signal (``calling_on_stop``). Each puts back the
handlers it found when its command returns (run in-process, a later Ctrl-C must still work).
"""

from __future__ import annotations

import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

import click

from crawler.exitcodes import ExitCode
from crawler.storage.db import NotANewscrawlDatabase

T = TypeVar("T")


def run_to_the_end(work: Callable[[], T], *, stopped: str, interrupted: str) -> T:
    """``work()``; a database that cannot be used ends the command with "<stopped>: <error>" and
    exit 4, Ctrl-C or SIGTERM with ``interrupted`` and exit 130."""
    with sigterm_as_ctrl_c():
        try:
            return work()
        except (NotANewscrawlDatabase, sqlite3.Error) as exc:
            click.echo(f"{stopped}: {exc}", err=True)
            sys.exit(ExitCode.COULD_NOT_RUN)
        except KeyboardInterrupt:
            click.echo(interrupted, err=True)
            sys.exit(ExitCode.INTERRUPTED)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """Within the block SIGTERM raises KeyboardInterrupt in the main thread, as Ctrl-C does
    (elsewhere, and in other threads, SIGTERM is left as it was)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def calling_on_stop(stop: Callable[[], None]) -> Iterator[None]:
    """Within the block SIGTERM and SIGINT call ``stop()`` in the main thread (the work stops at
    its next safe point); the handlers found are put back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = (signal.SIGTERM, signal.SIGINT)
    previous = [signal.signal(signum, lambda signum, frame: stop()) for signum in signals]
    try:
        yield
    finally:
        for signum, handler in zip(signals, previous):
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
