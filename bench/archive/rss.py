"""Peak RSS of `newscrawl import` (its process tree, pool workers included) on a small and a ten times larger WARC.

    python -m bench.archive.rss [SMALL_MB] [LARGE_MB]   # default 20 and 200 (the issue's 200 MB / 2 GB, scaled)

Both files are the fundus-dev pages cycled under made-up URLs (so every record is a new
article), written with the archive's own writer. Target: large / small <= 1.1x.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from crawler.archive.warc import Exchange, Response, WarcFileWriter, read_responses

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "warc-samples" / "fundus-dev-pages.warc.gz"


def make_warc(folder: Path, megabytes: int) -> Path:
    pages = [r for r in read_responses(SOURCE) if isinstance(r, Response)]
    writer = WarcFileWriter(folder, f"rss-{megabytes}mb", max_bytes=10**12)
    number = 0
    while not writer.files or (folder / writer.files[0]).stat().st_size < megabytes * 1_000_000:
        page = pages[number % len(pages)]
        url = page.url.rstrip("/") + f"-copy{number}"
        writer.write(Exchange(url, "GET", [], 200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                              page.body, datetime.now(UTC)))
        number += 1
    writer.close()
    return folder / writer.files[0]


def _tree_rss(root: int) -> int:
    """KB of RSS of ``root`` and every descendant."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        children.setdefault(int(fields["PPid"].strip()), []).append(int(entry))
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def peak_rss(warc: Path, db: Path) -> tuple[int, float]:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "crawler", "import", str(warc), "--db", str(db)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.2)
    return peak, time.monotonic() - started


def main() -> None:
    small, large = (int(arg) for arg in (sys.argv[1:] or ["20", "200"]))
    with tempfile.TemporaryDirectory() as folder:
        results = {}
        for megabytes in (small, large):
            warc = make_warc(Path(folder), megabytes)
            results[megabytes] = peak_rss(warc, Path(folder) / f"{megabytes}.db")
            print(f"{megabytes} MB WARC ({warc.stat().st_size / 1e6:.0f} MB): peak RSS {results[megabytes][0] / 1024:.0f} MB"
                  f" (process tree), {results[megabytes][1]:.0f} s")
        print(f"large / small peak RSS: {results[large][0] / results[small][0]:.2f}x (target <= 1.1x)")


if __name__ == "__main__":
    main()
