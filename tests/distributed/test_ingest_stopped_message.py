"""`newscrawl ingest`'s last line when Redis goes away mid-run reads as one sentence."""

from __future__ import annotations

from click.testing import CliRunner

import crawler.distributed.ingest as ingest_module
import crawler.distributed.keys as keys_module
from crawler.cli import cli
from crawler.distributed.keys import RedisUnreachable


class _GoneMidRun:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def run(self, **kwargs):
        raise RedisUnreachable("Redis at redis://127.0.0.1:6399/0 was unreachable for 4 s "
                               "(NEWSCRAWL_REDIS_OUTAGE_SECONDS=4): Error 111 connecting to 127.0.0.1:6399. Connection refused.")


def test_redis_gone_mid_run_is_one_sentence_with_one_full_stop(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(keys_module, "connect_with", lambda settings: object())
    monkeypatch.setattr(ingest_module, "Ingester", _GoneMidRun)
    result = CliRunner().invoke(cli, ["ingest", "--redis", "redis://127.0.0.1:6399/0", "--db", str(tmp_path / "news.db")])
    assert result.exit_code == 4, result.output
    assert "Connection refused. Batches already written are intact" in result.output
    assert ".." not in result.output
