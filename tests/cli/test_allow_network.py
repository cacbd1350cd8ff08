"""`--allow-network CIDR` is checked the same way by every command that crawls: a bad value is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli

# The worker would otherwise try to reach Redis here: a closed port, so a missing check shows as exit 4, not 2.
WORKER = ["worker", "--redis", "redis://127.0.0.1:9/0", "--idle-close", "0.1"]
CRAWL = ["crawl", "http://news.test/a.html"]


@pytest.mark.parametrize("command", [CRAWL, WORKER], ids=["crawl", "worker"])
@pytest.mark.parametrize("value", ["lan", "10.0.0.0/33", "300.1.1.1", "", "127.0.0.0/8,10.0.0.0/8"])
def test_a_bad_cidr_is_a_usage_error(command: list[str], value: str, tmp_path: Path) -> None:
    arguments = [*command, "--allow-network", "127.0.0.0/8", "--allow-network", value]
    if command is CRAWL:
        arguments += ["--db", str(tmp_path / "news.db")]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert f"not a network in CIDR form: {value!r}" in result.output
    assert "--allow-network" in result.output
    assert not (tmp_path / "news.db").exists()


@pytest.mark.parametrize("value", ["127.0.0.0/8", "10.1.2.3", "fd00::/8", "::1", "192.168.1.7/24"])
def test_good_networks_pass_the_check(value: str) -> None:
    from crawler.commands.options import check_networks

    assert check_networks(None, None, (value,)) == (value,)  # type: ignore[arg-type]
