"""Where `export -o` writes (issue 15, item 4): never replace what is not a regular file.

A FIFO or a device is written through, `-` is standard output, a symlink is followed to a
regular file (replaced atomically, the link kept) and refused when it leads nowhere, a new
file gets the umask's mode and a replaced file keeps its own.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.analysis.fixtures import ARTICLES


def export(db: Path, output: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["export", "--format", "jsonl", "-o", output, *args, "--db", str(db)])


def test_a_fifo_is_written_through_not_replaced(analysis_db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = export(analysis_db, str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(received[0].decode().splitlines()) == len(ARTICLES)


def test_parquet_goes_through_a_fifo_too(analysis_db: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    copy = tmp_path / "copy.parquet"
    reader = threading.Thread(target=lambda: copy.write_bytes(fifo.read_bytes()), daemon=True)
    reader.start()
    result = CliRunner().invoke(cli, ["export", "--format", "parquet", "-o", str(fifo), "--db", str(analysis_db)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output  # pyarrow's own file handle failed: "lseek failed"
    assert pq.read_table(copy).num_rows == len(ARTICLES)


def test_a_device_is_written_through_not_replaced(analysis_db: Path, tmp_path: Path) -> None:
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a private copy of /dev/full
    except PermissionError:
        pytest.skip("creating a device node needs root")
    result = export(analysis_db, str(device))
    assert result.exit_code == 1
    assert f"cannot write {device}: No space left on device" in result.output
    assert stat.S_ISCHR(os.lstat(device).st_mode) and os.lstat(device).st_rdev == os.makedev(1, 7)
    assert not list(tmp_path.glob(".full.*"))  # no temporary file left behind


def test_dash_is_standard_output(analysis_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = export(analysis_db, "-")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(ARTICLES)
    assert not (tmp_path / "-").exists()


def test_a_symlink_to_a_file_replaces_the_file_and_keeps_the_link(analysis_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "data" / "articles.jsonl"
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o600)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    result = export(analysis_db, str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(target.read_text().splitlines()) == len(ARTICLES)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a replaced file keeps its mode


def test_a_dangling_symlink_is_refused(analysis_db: Path, tmp_path: Path) -> None:
    link = tmp_path / "out.jsonl"
    link.symlink_to(tmp_path / "nowhere" / "x.jsonl")
    result = export(analysis_db, str(link))
    assert result.exit_code == 1
    assert "symbolic link" in result.output and "does not exist" in result.output
    assert not (tmp_path / "nowhere").exists()


def test_a_directory_is_refused(analysis_db: Path, tmp_path: Path) -> None:
    result = export(analysis_db, str(tmp_path))
    assert result.exit_code != 0
    assert "directory" in result.output


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_a_new_file_gets_the_umasks_mode(analysis_db: Path, tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        result = export(analysis_db, str(tmp_path / "articles.jsonl"))
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "articles.jsonl").stat().st_mode) == mode
