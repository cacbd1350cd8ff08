"""Where a page's CPU goes: the parser, trafilatura and the cleaning, one core, same pages.

Measured in the benchmark's own process after the crawls, over a sample of the site's
pages, so the table's ratios can be read against what one page costs to parse.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLE = 300  # pages, spread over every chain


def _median_ms(function: Callable[[Any], Any], inputs: list[Any]) -> float:
    for value in inputs[:5]:
        function(value)  # warm-up: first calls load language data and caches
    timings = []
    for value in inputs:
        started = time.perf_counter()
        function(value)
        timings.append(time.perf_counter() - started)
    return 1000 * statistics.median(timings)


def page_costs(site: Path, base_url: str = "http://127.0.0.1:8000") -> dict[str, float]:
    """Median ms per page of parse_page, trafilatura.bare_extraction (with metadata) and clean_result."""
    import trafilatura

    from crawler.demo.generate import file_for
    from crawler.parsing import parse_page
    from crawler.article.clean import clean_result

    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    paths = [path for chain in manifest["chains"] for path in chain]
    step = max(1, len(paths) // SAMPLE)
    pages = [((site / file_for(path)).read_bytes(), base_url + path) for path in paths[::step][:SAMPLE]]
    parsed = [parse_page(body, url, content_type="text/html") for body, url in pages]
    return {
        "parse_page": _median_ms(lambda page: parse_page(page[0], page[1], content_type="text/html"), pages),
        "bare_extraction": _median_ms(
            lambda page: trafilatura.bare_extraction(page[0].decode("utf-8"), url=page[1], with_metadata=True), pages
        ),
        "clean_result": _median_ms(clean_result, parsed),
    }
