"""bench.scale's targets table: each of issue 16's figures against its target, verdicts computed, not written."""

from __future__ import annotations

from bench.scale.__main__ import targets_table
from bench.scale.run import GapMeasure, ScaleMeasure
from bench.scale.seen import SeenMeasure


def _crawl(workers: int, rate: float) -> ScaleMeasure:
    return ScaleMeasure(workers=workers, articles=480, expected=480, steady_seconds=0.8 * 480 / rate,
                        total_seconds=60, worker_cpu_seconds=10, requeued=0)


def test_the_targets_table_judges_each_figure():
    gaps = GapMeasure(workers=4, delay=1.0, requests=21, gaps=[0.9] + [1.0] * 19)
    assert gaps.percentile(0.05) == 1.0 and gaps.percentile(0.0) == 0.9
    memory = [SeenMeasure("SET", 1000, 88.0, None), SeenMeasure("Bloom", 1000, 4.2, 0.0, 100)]
    text = targets_table(gaps, [_crawl(1, 10.0), _crawl(4, 30.0)], memory)
    rows = text.splitlines()[2:]
    assert rows[0].endswith("| met |") and "p5 1.000 s, min 0.900 s" in rows[0]
    assert rows[1].endswith("| NOT met |") and "3.00x (10.0 -> 30.0 articles/s" in rows[1] and "at most 3.20x" in rows[1]
    assert rows[2].endswith("| - |") and rows[3].endswith("| met |")
