"""Whole-process timing: each system and the baseline run in their own fresh process."""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.quality.datasets import FUNDUS, Page, Truth
from bench.quality.process_time import BASELINE, measure_processes
from bench.quality.systems import OURS

HTML = "<html><head><title>Rain</title></head><body><article><h1>Rain</h1><p>It rained all day in the town.</p></article></body></html>"


def test_each_system_and_the_baseline_get_cpu_seconds(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML.encode()))
    page = Page(FUNDUS, "x/Rain", "https://news.example/rain", path, Truth(body="It rained all day in the town."))
    timing = measure_processes([page], [OURS])
    assert timing.pages == 1
    assert set(timing.cpu_seconds) == {BASELINE, OURS}
    # Importing and running the parser costs more than starting Python and loading one page.
    assert timing.cpu_seconds[OURS] > timing.cpu_seconds[BASELINE] > 0
    assert timing.ratio(OURS, BASELINE) > 1
    assert timing.ratio(OURS, "trafilatura") is None
