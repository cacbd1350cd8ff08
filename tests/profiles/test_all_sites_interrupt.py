"""`crawl --all-sites` on Ctrl-C: the running site's crawl ends by itself, no further site starts."""

from __future__ import annotations

import signal
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


class TerminatedCrawl(InterruptedCrawl):
    """A site's crawl during which SIGTERM comes (a systemd stop): delivered to this process's handler."""

    def wait(self, timeout: float | None = None) -> int:
        if self.waits == 0:
            self.waits += 1
            handler = signal.getsignal(signal.SIGTERM)
            if not callable(handler):
                raise RuntimeError("SIGTERM would have killed the command with 143")
            handler(signal.SIGTERM, None)
        return ExitCode.INTERRUPTED


def test_sigterm_ends_all_sites_as_ctrl_c_does(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The command waiting for the sites' crawls died on SIGTERM with 143 (docs/scheduling.md's systemd
    unit stops it so); now it waits for the running site's crawl, starts no other, and exits 130."""
    from click.testing import CliRunner

    from crawler.cli import cli

    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.a]\nstart_urls = ["http://127.0.0.1:9/"]\n[sites.b]\nstart_urls = ["http://127.0.0.1:9/"]\n',
                     encoding="utf-8")
    InterruptedCrawl.started = []
    monkeypatch.setattr(subprocess, "Popen", TerminatedCrawl)
    before = signal.getsignal(signal.SIGTERM)
    result = CliRunner().invoke(cli, ["crawl", "--all-sites", "--sites", str(sites), "--db", str(tmp_path / "news.db")])
    assert result.exit_code == ExitCode.INTERRUPTED, (result.output, result.exception)
    assert len(InterruptedCrawl.started) == 1 and "1 not started (interrupted)" in result.output
    assert signal.getsignal(signal.SIGTERM) is before  # put back
