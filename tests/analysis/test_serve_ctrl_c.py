"""`serve` stopped by two quick Ctrl-Cs (uvicorn's forced quit) ends without a traceback, exit 0.

The second Ctrl-C makes uvicorn skip the application's lifespan shutdown; the lifespan task
waiting for it is cancelled when the loop closes and uvicorn logged that as "Exception in
'lifespan' protocol" with a CancelledError traceback (crawler/commands/serve.py)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from crawler.commands.serve import ForcedQuitIsNoError
from tests.spider.site import PROJECT_ROOT


def _record(message: str, error: BaseException | None) -> logging.LogRecord:
    exc_info = (type(error), error, None) if error is not None else None
    return logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, message, None, exc_info)


def test_only_the_cancelled_lifespan_record_is_dropped() -> None:
    keep = ForcedQuitIsNoError().filter
    assert not keep(_record("Exception in 'lifespan' protocol\n", asyncio.CancelledError()))
    assert keep(_record("Exception in 'lifespan' protocol\n", RuntimeError("a real startup failure")))
    assert keep(_record("Exception in ASGI application\n", asyncio.CancelledError()))
    assert keep(_record("Shutting down", None))


def test_uvicorns_own_record_of_a_cancelled_lifespan_is_the_one_dropped() -> None:
    """The one test of what the filter needs from uvicorn (no public setting or hook quiets it):
    uvicorn's own lifespan runner (``uvicorn.lifespan.on.LifespanOn``, as ``serve`` runs it through
    Datasette) logs a lifespan task cancelled after startup on "uvicorn.error" as "Exception in
    'lifespan' protocol" with the CancelledError. An upgrade that changes either fails here."""
    from uvicorn.config import Config
    from uvicorn.lifespan.on import LifespanOn

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]  # Datasette's lifespan: waits for shutdown
        assert (await receive())["type"] == "lifespan.startup"
        await send({"type": "lifespan.startup.complete"})
        await receive()

    class Kept(logging.Handler):
        def __init__(self, level: int) -> None:
            super().__init__(level)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    async def forced_quit() -> None:  # startup, then the loop ends without the lifespan shutdown
        config = Config(app, lifespan="on", log_config=None)
        config.load()
        lifespan = LifespanOn(config)
        await lifespan.startup()
        [task] = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    uvicorn_errors, kept = logging.getLogger("uvicorn.error"), Kept(logging.ERROR)
    uvicorn_errors.addHandler(kept)
    try:
        asyncio.run(forced_quit())
        [logged] = kept.records  # uvicorn's own record, before the filter
        assert not ForcedQuitIsNoError().filter(logged)
    finally:
        uvicorn_errors.removeHandler(kept)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_two_quick_ctrl_cs_stop_serve_without_a_traceback(analysis_db: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "crawler", "serve", "--port", str(port), "--db", str(analysis_db)]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        server.send_signal(signal.SIGINT)
        time.sleep(0.02)
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=60)
    finally:
        server.kill()
    assert "Shutting down" in stderr, stderr  # the server ran and the Ctrl-Cs reached it
    assert server.returncode == 0, stderr
    assert "Traceback" not in stderr and "CancelledError" not in stderr, stderr
