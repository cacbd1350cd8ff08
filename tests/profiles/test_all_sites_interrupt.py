"""`crawl --all-sites` on Ctrl-C: the running site's crawl ends by itself, no further site starts."""

from __future__ import annotations

import subprocess

import pytest

from crawler import sitecrawl
from crawler.exitcodes import ExitCode


class InterruptedCrawl:
    """A site's crawl during which Ctrl-C comes: the first wait is interrupted, the crawl then ends with 130."""

    started: list[list[str]] = []
    last: InterruptedCrawl

    def __init__(self, command: list[str]) -> None:
        self.started.append(command)
        InterruptedCrawl.last = self
        self.waits = 0
        self.killed = False

    def __enter__(self) -> InterruptedCrawl:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def wait(self, timeout: float | None = None) -> int:
        self.waits += 1
        if self.waits == 1:
            raise KeyboardInterrupt
        if self.killed:
            return -9
        return ExitCode.INTERRUPTED

    def kill(self) -> None:
        self.killed = True

    def poll(self) -> int | None:
        return None if self.waits < 2 else ExitCode.INTERRUPTED

    def communicate(self, input: bytes | None = None, timeout: float | None = None) -> tuple[None, None]:
        self.wait()  # how subprocess.run waits
        return None, None


def test_ctrl_c_lets_the_running_site_finish_and_starts_no_other(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """subprocess.run killed the site's crawl (SIGKILL) 0.25 s after the Ctrl-C, in the middle of storing
    what it had fetched, and the command ended in click's 'Aborted!' with exit code 1."""
    InterruptedCrawl.started = []
    monkeypatch.setattr(subprocess, "Popen", InterruptedCrawl)
    try:
        code = sitecrawl.run_sites_in_subprocesses(["gazette", "herald", "courier"], ["--db", "news.db"])
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C ended the command before the site's crawl did")
    assert code == ExitCode.INTERRUPTED
    assert len(InterruptedCrawl.started) == 1 and not InterruptedCrawl.last.killed
    out = capsys.readouterr().out
    assert "site gazette: exit code 130 (interrupted)" in out and "2 not started (interrupted)" in out
