"""Fit the article-detection weights (``crawler.parsing.detect.WEIGHTS``) on wcxb-dev.

    python -m bench.quality.fit_detection [--data DIR] [--cache FILE] [--l2 2.0]

Every wcxb-dev page goes through the parser's field extractors as ``parse_page`` runs them,
and the script records the hard-rule verdict and every signal ``detect.signals`` knows (cached
in ``--cache``, so a refit after changing only weights takes a second). Then a logistic
regression (L2 penalty, Newton steps) over the pages the hard rules let through, labelled by
the dataset's page type (article or not):

- held-out figures: 5-fold cross-validation with the folds drawn by site (host), so no site is
  in its own test fold; the threshold is picked on the training folds (the highest precision
  whose recall over all their articles, the hard-rule refusals included, reaches
  ``--recall``), and the held-out precision and recall are pooled over the five test folds;
- the weights of a fit on all pages, rounded to 0.1, in the form ``detect.py`` keeps them,
  with the in-sample precision and recall at the threshold picked the same way.

Numpy is a benchmark-only dependency (the ``bench`` extra); the product reads the weights from
``detect.py`` and never runs this.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# One BLAS thread: the matrices are small (1,497 x 40), and on a shared machine BLAS threads
# fighting for the cores made each fit take half a second instead of ten milliseconds.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread settings, which numpy reads on import)

from bench.quality.datasets import DEFAULT_DATA_DIR, Page, wcxb_pages
from crawler.parsing import detect, load_document
from crawler.parsing.document import Document
from crawler.parsing.authors import extract_authors
from crawler.parsing.body import read_body
from crawler.parsing.dates import extract_dates
from crawler.parsing.metadata import extract_language, extract_site_name
from crawler.parsing.title import find_headline, site_name_from_title

FOLDS = 5
ROUND_TO = 0.1


@dataclass(frozen=True, slots=True)
class Sample:
    page_id: str
    url: str
    page_type: str
    hard_reason: str | None
    signals: dict[str, bool]

    @property
    def is_article(self) -> bool:
        return self.page_type == "article"

    @property
    def site(self) -> str:
        host = (urlsplit(self.url).hostname or "").lower()
        return host.removeprefix("www.")


def page_type(page: Page, data_dir: Path) -> str:
    truth = json.loads((data_dir / "wcxb-dev" / "ground-truth" / f"{page.page_id}.json").read_text(encoding="utf-8"))
    return truth["_internal"]["page_type"]["primary"]


def evidence(doc: Document) -> detect.Evidence:
    """What ``crawler.parsing.parse_document`` hands to ``detect_article``, built the same way."""
    language = extract_language(doc)
    site_name = extract_site_name(doc)
    title, headline = find_headline(doc, site_name=site_name)
    site_name = site_name or site_name_from_title(doc, title)
    dates = extract_dates(doc, language=language, headline=headline)
    authors = extract_authors(doc, headline=headline, site_name=site_name)
    body = read_body(doc)
    return detect.Evidence(body.text, title, dates.published, authors, byline_date=dates.shown, body_from_scripts=body.from_scripts)


def sample(job: tuple[Page, Path]) -> Sample:
    page, data_dir = job
    doc = load_document(page.html(), page.url)
    found = evidence(doc)
    hard = detect.hard_reason(doc, found)
    return Sample(page.page_id, page.url, page_type(page, data_dir), hard, detect.signals(doc, found))


def collect(data_dir: Path, workers: int) -> list[Sample]:
    jobs = [(page, data_dir) for page in wcxb_pages(data_dir)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(sample, jobs, chunksize=8))


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; column 0 is the bias (not penalised)."""
    weights = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ weights)))
        gradient = x.T @ (y - p) - penalty * weights
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        weights += step
        if np.abs(step).max() < 1e-6:
            break
    return weights


def matrix(samples: Sequence[Sample], names: Sequence[str]) -> np.ndarray:
    return np.array([[1.0] + [float(s.signals[name]) for name in names] for s in samples])


def scores_of(samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray) -> np.ndarray:
    """Each page's score, rounded as ``detect.score`` rounds it (0.1 + 0.2 must equal 0.3)."""
    return np.round(matrix(samples, names) @ weights, 6)


def pick_threshold(scores: np.ndarray, labels: np.ndarray, articles: int, recall: float) -> float:
    """The threshold with the best precision whose recall over ``articles`` (every article,
    the ones the hard rules refused included) is at least ``recall``."""
    best, best_precision = float(scores.min()), -1.0
    for threshold in np.unique(scores):
        called = scores >= threshold
        hits = int((called & (labels == 1)).sum())
        if hits / articles < recall:
            continue
        precision = hits / max(1, int(called.sum()))
        if precision > best_precision:
            best, best_precision = float(threshold), precision
    return best


@dataclass(slots=True)
class Tally:
    hits: int = 0
    called: int = 0
    articles: int = 0

    def add(self, called: np.ndarray, labels: np.ndarray, articles: int) -> None:
        self.hits += int((called & (labels == 1)).sum())
        self.called += int(called.sum())
        self.articles += articles

    def __str__(self) -> str:
        precision = self.hits / max(1, self.called)
        recall = self.hits / max(1, self.articles)
        return f"precision {precision:.3f} ({self.hits}/{self.called}), recall {recall:.3f} ({self.hits}/{self.articles})"


def rounded(weights: np.ndarray) -> np.ndarray:
    return np.round(np.round(weights / ROUND_TO) * ROUND_TO, 6)


def folds_by_site(samples: Sequence[Sample], folds: int, seed: int = 7) -> list[int]:
    sites = sorted({s.site for s in samples})
    random.Random(seed).shuffle(sites)
    fold_of = {site: n % folds for n, site in enumerate(sites)}
    return [fold_of[s.site] for s in samples]


def evaluate(samples: Sequence[Sample], names: Sequence[str], *, l2: float, recall: float) -> tuple[Tally, Tally, np.ndarray, float]:
    """(held-out tally, in-sample tally, rounded weights, threshold) for ``names``."""
    fold = folds_by_site(samples, FOLDS)
    held_out = Tally()
    for k in range(FOLDS):
        train = [s for s, f in zip(samples, fold) if f != k]
        test = [s for s, f in zip(samples, fold) if f == k]
        weights, threshold = _fit_and_pick(train, names, l2=l2, recall=recall)
        scored = [s for s in test if s.hard_reason is None]
        scores = scores_of(scored, names, weights)
        held_out.add(scores >= threshold, _labels(scored), sum(s.is_article for s in test))
    weights, threshold = _fit_and_pick(samples, names, l2=l2, recall=recall)
    scored = [s for s in samples if s.hard_reason is None]
    in_sample = Tally()
    in_sample.add(scores_of(scored, names, weights) >= threshold, _labels(scored), sum(s.is_article for s in samples))
    return held_out, in_sample, weights, threshold


def _labels(samples: Sequence[Sample]) -> np.ndarray:
    return np.array([1 if s.is_article else 0 for s in samples])


def _fit_and_pick(samples: Sequence[Sample], names: Sequence[str], *, l2: float, recall: float) -> tuple[np.ndarray, float]:
    scored = [s for s in samples if s.hard_reason is None]
    x, y = matrix(scored, names), _labels(scored)
    weights = rounded(fit(x, y, l2))
    return weights, pick_threshold(scores_of(scored, names, weights), y, sum(s.is_article for s in samples), recall)


def misses_by_type(samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray, threshold: float) -> dict[str, int]:
    """Non-articles called articles, by page type, and articles refused ("article")."""
    misses: dict[str, int] = {}
    for s in samples:
        called = s.hard_reason is None and float(scores_of([s], names, weights)[0]) >= threshold
        if called != s.is_article:
            misses[s.page_type] = misses.get(s.page_type, 0) + 1
    return dict(sorted(misses.items(), key=lambda item: -item[1]))


def load_cache(path: Path) -> list[Sample]:
    return [Sample(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def save_cache(path: Path, samples: Sequence[Sample]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for s in samples:
            record = {"page_id": s.page_id, "url": s.url, "page_type": s.page_type, "hard_reason": s.hard_reason, "signals": s.signals}
            out.write(json.dumps(record) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.quality.fit_detection", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="folder holding wcxb-dev/")
    parser.add_argument("--cache", type=Path, help="JSONL of signals per page: read if present, else written")
    parser.add_argument("--l2", type=float, default=2.0, help="L2 penalty on every weight but the bias")
    parser.add_argument("--recall", type=float, default=0.955, help="recall the threshold must keep")
    parser.add_argument("--workers", type=int, default=2)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cache and args.cache.is_file():
        samples = load_cache(args.cache)
    else:
        samples = collect(args.data, args.workers)
        if args.cache:
            save_cache(args.cache, samples)
    names = list(detect.WEIGHTS)
    missing = [name for name in names if name not in samples[0].signals]
    if missing:
        print(f"the cache lacks signals {missing}: delete it to recompute", file=sys.stderr)
        return 2
    held_out, in_sample, weights, threshold = evaluate(samples, names, l2=args.l2, recall=args.recall)
    print(f"pages: {len(samples)}, articles: {sum(s.is_article for s in samples)}, sites: {len({s.site for s in samples})}")
    print(f"held out ({FOLDS}-fold by site): {held_out}")
    print(f"in sample (all pages):       {in_sample}")
    print(f"in-sample misses by page type: {misses_by_type(samples, names, weights, threshold)}")
    print("WEIGHTS = {")
    for name, weight in zip(names, weights[1:]):
        print(f'    "{name}": {weight:g},')
    print("}")
    print(f"BIAS = {weights[0]:g}")
    print(f"THRESHOLD = {threshold:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
