"""Bad input to the analyst commands ends in a one-line error and a non-zero exit, never a traceback (issue 15, item 9)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def newscrawl(*args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=60)


@pytest.mark.parametrize("key", ["99999999999999999999999", "9223372036854775808", "0"])
def test_show_of_an_id_sqlite_cannot_hold_is_not_found(analysis_db: Path, key: str) -> None:
    result = newscrawl("show", key, "--db", str(analysis_db))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"Error: no stored article has the id or URL {key!r} "
                                                  "(try `newscrawl search`)"]


@pytest.mark.parametrize("args", [["search", "council"], ["search", "council", "--csv"], ["show", "1"],
                                  ["stats"], ["export", "--format", "jsonl"]])
def test_output_to_a_full_device_is_a_one_line_error(analysis_db: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = newscrawl(*args, "--db", str(analysis_db), stdout=full)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == ["Error: cannot write the output: [Errno 28] No space left on device"]
