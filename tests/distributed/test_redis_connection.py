"""The connection bounds and the outage policy of crawler.distributed.keys, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.distributed.keys import RedisOutage, RedisUnreachable, connect
from crawler.urls import redacted as shown


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_backoff_doubles_up_to_its_cap_and_gives_up_after_the_limit():
    clock = Clock()
    outage = RedisOutage("redis://127.0.0.1:1/0", 60, clock=clock)
    assert outage.ready() and not outage.down
    waits = []
    for _ in range(7):
        outage.failed(ConnectionError("refused"))
        waits.append(outage.wait())
        assert not outage.ready()
        clock.now += outage.wait()
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert not outage.expired()  # 35.5 s since the first failure
    clock.now = 100.0 + 60
    assert outage.expired()
    assert "unreachable for 60 s" in str(outage.error())


def test_recovery_resets_the_backoff_but_not_the_failure_count():
    clock = Clock()
    outage = RedisOutage("redis://127.0.0.1:1/0", 60, clock=clock)
    outage.failed(TimeoutError("no answer"))
    clock.now += 30
    outage.recovered()
    assert outage.ready() and not outage.down and not outage.expired()
    assert outage.failures == 1  # a component that took work before the failure still knows


def test_a_password_in_the_url_is_never_shown():
    assert shown("redis://:s3cret@10.0.0.5:6379/0") == "redis://:***@10.0.0.5:6379/0"
    assert shown("redis://alice:s3cret@host/1") == "redis://alice:***@host/1"
    assert shown("redis://host:6379/0") == "redis://host:6379/0"


def test_an_unreachable_server_is_reported_without_its_password():
    with pytest.raises(RedisUnreachable) as caught:
        connect("redis://:s3cret@127.0.0.1:1/0", timeout=1)
    assert "unreachable" in str(caught.value) and "s3cret" not in str(caught.value)


@pytest.mark.parametrize("redis_url", ["dead"])
def test_a_worker_that_cannot_reach_redis_says_so_once_before_scrapy_starts(redis_url: str) -> None:
    """`newscrawl worker` with a dead Redis printed Scrapy's dozen start-up lines, then its error
    twice (the runner's log line and the summary), the second time as "RedisUnreachable: Redis at
    ... is unreachable"; a URL that is not Redis's, as "ValueError: Redis URL must ...". Now the
    worker asks Redis before Scrapy starts: one line, exit 4."""
    import socket
    import subprocess
    import sys

    if redis_url == "dead":
        with socket.socket() as bound:  # a port nothing listens on once it is closed
            bound.bind(("127.0.0.1", 0))
            redis_url = f"redis://127.0.0.1:{bound.getsockname()[1]}/0"
    done = subprocess.run([sys.executable, "-m", "crawler", "worker", "--redis", redis_url, "--idle-close", "1"],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120)
    said = done.stdout + done.stderr
    assert done.returncode == 4, said[-3000:]
    assert said.count("could not run") == 1 and "Scrapy" not in said and "Error:" not in said, said[-3000:]
    assert said.startswith("Worker could not run: ") and "unreachable" in said, said


@pytest.mark.parametrize("command", [["worker"], ["ingest", "--db", "news.db"], ["enqueue", "https://news.example/"]])
@pytest.mark.parametrize("redis_url", ["not-a-url", "redis://:s3cret@127.0.0.1:99999/0"])
def test_a_redis_url_redis_cannot_read_is_a_usage_error(command: list[str], redis_url: str, tmp_path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A --redis value redis-py cannot read (no scheme, a port past 65535) ended `ingest` and
    `enqueue` in a ValueError traceback (exit 1) and `worker` as "could not run" (exit 4, the
    code for a machine to fix). It is the command line to fix: exit 2, one message, before anything
    is opened, with a password in the URL shown as ***."""
    from click.testing import CliRunner

    from crawler.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*command, "--redis", redis_url])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Invalid value for '--redis'" in result.output and "Traceback" not in result.output
    assert "s3cret" not in result.output
    assert not list(tmp_path.iterdir())  # no database created
