"""Whole-process timing: each system and the baseline run in their own fresh process."""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.quality.datasets import FUNDUS, Page, Truth
from bench.quality import process_time
from bench.quality.process_time import BASELINE, ProcessTiming, measure_processes
from bench.quality.systems import OURS, TRAFILATURA

HTML = "<html><head><title>Rain</title></head><body><article><h1>Rain</h1><p>It rained all day in the town.</p></article></body></html>"


def test_each_system_and_the_baseline_get_cpu_seconds(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML.encode()))
    page = Page(FUNDUS, "x/Rain", "https://news.example/rain", path, Truth(body="It rained all day in the town."))
    timing = measure_processes([page], [OURS])
    assert timing.pages == 1
    assert timing.repeats == 1
    assert set(timing.rounds) == {BASELINE, OURS}
    # Importing and running the parser costs more than starting Python and loading one page.
    assert timing.seconds(OURS) > timing.seconds(BASELINE) > 0
    assert timing.ratio(OURS, BASELINE) > 1
    assert timing.ratio(OURS, "trafilatura") is None


def test_rounds_run_every_system_in_the_same_order(monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML.encode()))
    page = Page(FUNDUS, "x/Rain", "https://news.example/rain", path, Truth(body="It rained all day in the town."))
    ran: list[str] = []
    seconds = iter([0.5, 4.0, 10.0, 0.5, 6.0, 10.0, 0.5, 4.5, 9.0])

    def fake_child(system: str, pages_file: Path) -> float:
        assert pages_file.exists()
        ran.append(system)
        return next(seconds)

    monkeypatch.setattr(process_time, "_cpu_seconds_of_child", fake_child)
    timing = measure_processes([page], [OURS, TRAFILATURA], repeats=3)
    assert ran == [BASELINE, OURS, TRAFILATURA] * 3  # A B A B: each pair ran side by side
    assert timing.rounds[OURS] == [4.0, 6.0, 4.5]
    assert timing.paired_ratios(OURS, TRAFILATURA) == [0.4, 0.6, 0.5]


def test_the_ratio_is_the_median_of_paired_rounds_not_the_least_of_each_side() -> None:
    # The least of each side (4.0 / 9.0 = 0.44) pairs rounds that did not run together.
    timing = ProcessTiming(10, {OURS: [4.0, 6.0, 4.5], TRAFILATURA: [10.0, 10.0, 9.0]})
    assert timing.ratio(OURS, TRAFILATURA) == 0.5
    assert timing.spread(OURS, TRAFILATURA) == (0.4, 0.6)
    assert timing.seconds(OURS) == 4.5
    assert timing.ratio(OURS, "readability") is None
    assert timing.spread(OURS, "readability") is None
