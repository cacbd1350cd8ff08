"""The accuracy pass: every selected system on every page, in worker processes."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from bench.quality.datasets import AEB, Page
from bench.quality.metrics import page_counts, word_f1
from bench.quality.scoring import PageResult
from bench.quality.systems import OURS, run_safely


def systems_for(page: Page, systems: list[str]) -> list[str]:
    """Every system reads the articles; only newscrawl, which decides "is it an article", reads the rest."""
    if page.truth.is_article:
        return systems
    return [name for name in systems if name == OURS]


def evaluate_page(page: Page, systems: list[str]) -> PageResult:
    html = page.html()
    return PageResult(page, {name: run_safely(name, html, page.url) for name in systems_for(page, systems)})


def _evaluate_star(job: tuple[Page, list[str]]) -> PageResult:
    return evaluate_page(*job)


def evaluate(pages: list[Page], systems: list[str], *, workers: int = 2) -> list[PageResult]:
    """Results in the order of ``pages``."""
    jobs = [(page, systems) for page in pages]
    if workers <= 1:
        return [_evaluate_star(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_evaluate_star, jobs, chunksize=4))


def dump_results(path: Path, results: list[PageResult]) -> None:
    """One JSON line per page and system, with the page's body score, for failure analysis."""
    with path.open("w", encoding="utf-8") as out:
        for result in results:
            page = result.page
            for system, extraction in result.extractions.items():
                record = {"dataset": page.dataset, "id": page.page_id, "url": page.url, "system": system}
                record.update({key: value for key, value in asdict(extraction).items()})
                record["published"] = None if extraction.published is None else str(extraction.published)
                if page.dataset == AEB:
                    counts = page_counts(page.truth.body, extraction.body)
                    record["score"] = counts.tp
                elif page.truth.is_article:
                    record["score"] = word_f1(page.truth.body, extraction.body)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
