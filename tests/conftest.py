"""Suite-wide set-up and checks that run around every test.

Signals: every test shares this pytest process, and a process inherits the signals its parent
ignores, across exec. A SIGINT left ignored here (by a test, or by how pytest was started) reaches
every process a later test starts, which then never sees Ctrl-C: the Ctrl-C tests of
tests/parse_pool failed together for that reason. So the suite starts with SIGINT as a shell
prompt gives it, and a test that leaves SIGINT or SIGTERM changed fails.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest

WATCHED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def pytest_configure(config: pytest.Config) -> None:
    """A command started with `&` by a script or a tool's shell (no job control) starts with SIGINT
    ignored, and Python keeps it ignored: the suite then behaved unlike one started at a prompt.
    Python's own Ctrl-C handler is put back, the way an interactive start has it."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        config.stash[_SIGINT_WAS_IGNORED] = True


_SIGINT_WAS_IGNORED = pytest.StashKey[bool]()


def pytest_report_header(config: pytest.Config) -> str | None:
    if config.stash.get(_SIGINT_WAS_IGNORED, False):
        return "SIGINT was ignored when pytest started (a background job?): Python's Ctrl-C handler was put back"
    return None


def _handlers() -> dict[int, Any]:
    return {signum: signal.getsignal(signum) for signum in WATCHED_SIGNALS}


def _changes(before: dict[int, Any], after: dict[int, Any]) -> dict[str, tuple[Any, Any]]:
    return {signal.Signals(signum).name: (before[signum], after[signum])
            for signum in WATCHED_SIGNALS if after[signum] != before[signum]}  # fmt: skip


def _put_back(handlers: dict[int, Any]) -> None:
    for signum, handler in handlers.items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


@pytest.fixture(scope="session")
def signal_handlers_at_start() -> dict[int, Any]:
    return _handlers()


@pytest.fixture(autouse=True)
def signal_handlers_put_back(request: pytest.FixtureRequest, signal_handlers_at_start: dict[int, Any]) -> Iterator[None]:
    """Fail the test that leaves SIGINT or SIGTERM handled differently from how it found them, and
    the first test to find them changed by something outside every test (a module's or the session's
    fixture, a teardown). What was found is put back, so only the culprit fails."""
    before = _handlers()
    if changed := _changes(signal_handlers_at_start, before):
        _put_back(signal_handlers_at_start)
        pytest.fail(f"signal handlers changed since the session started, before {request.node.nodeid} "
                    f"began (a module or session fixture, or a teardown): (at start, now) {changed}", pytrace=False)  # fmt: skip
    yield
    if changed := _changes(before, _handlers()):
        _put_back(before)
        pytest.fail(f"{request.node.nodeid} left signal handlers changed: (before, after) {changed}", pytrace=False)
