"""Fit the article-detection weights (``crawler.parsing.detect.WEIGHTS``) on some page sets and
report them on others.

    python -m bench.quality.fit_detection [--fit wcxb] [--report aeb,fundus,generated] [--cache DIR]
    python -m bench.quality.fit_detection --fit aeb,fundus,generated --report wcxb   # weights that never saw wcxb-dev

Page sets: ``wcxb`` (wcxb-dev, 1,497 pages of seven types), ``aeb`` and ``fundus`` (aeb-dev and
fundus-dev, articles only) and ``generated`` (``bench.pagegen``: pages of the seven types on
made-up sites, ``--generated N`` of them, never seen by anyone tuning the parser). Every page goes
through the parser's field extractors as ``parse_page`` runs them, and the script records the
hard-rule verdict and every signal ``detect.signals`` knows (cached per set in ``--cache``, so a
refit after changing only weights takes seconds). Then a logistic regression (L2 penalty, Newton
steps) over the ``--fit`` pages the hard rules let through, labelled article or not, each signal
kept to the direction it is defined to point (``FOR_ARTICLE``):

- the threshold is the one whose recall over the articles of the ``--recall-on`` sets (default:
  every fit set; the hard-rule refusals included) reaches ``--recall`` with the best precision;
- held-out figures per fit set, with each page type's error rate: 5-fold cross-validation with
  the folds drawn by registrable domain (no domain in both the fit and the test fold);
- precision and recall on every set, in and out of the fit, with each page type's error rate
  (non-articles called articles, articles refused); on each unfitted set with non-articles, also
  the precision at ``--curve-recall`` (the threshold moved to give that set that recall: a point
  of its precision-recall curve, the figure issue 12's target names);
- the weights, rounded to 0.1, in the form ``detect.py`` keeps them.

``--candidates NAMES`` adds signals tried and not in the product (``bench.quality.candidates``;
recorded in every cache) to the fit; ``--menu-links`` draws generated pages whose header menu may
link the page itself (``bench.pagegen.site.IN_MENU``; keep a cache folder of its own).
``--drop NAMES`` leaves signals out of the fit (``--drop layout``: every signal of
``crawler.parsing.layout``, to see what the layout adds); ``--shipped`` fits nothing and reports
``detect.py``'s own weights; ``--extend NAMES``
keeps the shipped weights and searches only the named signals' weights (``extend``); ``--seed``
draws other generated sites (keep one ``--cache`` folder per seed).

Numpy is a benchmark-only dependency (the ``bench`` extra); the product reads the weights from
``detect.py`` and never runs this.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import product
from pathlib import Path
from urllib.parse import urlsplit

# One BLAS thread: the matrices are small, and on a shared machine BLAS threads fighting for the
# cores made each fit take half a second instead of ten milliseconds.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread settings, which numpy reads on import)

from bench.quality import candidates  # noqa: E402
from bench.quality.datasets import DEFAULT_DATA_DIR, aeb_pages, fundus_pages, wcxb_pages  # noqa: E402
from crawler.parsing import detect, layout, load_document  # noqa: E402
from crawler.parsing.authors import extract_authors  # noqa: E402
from crawler.parsing.body import read_body  # noqa: E402
from crawler.parsing.dates import extract_dates  # noqa: E402
from crawler.parsing.document import Document  # noqa: E402
from crawler.parsing.metadata import extract_language, extract_site_name  # noqa: E402
from crawler.parsing.title import find_headline, site_name_from_title  # noqa: E402

SETS = ("wcxb", "aeb", "fundus", "generated")
# The direction each signal is defined to point: evidence for an article (+1) or against (-1).
# A fit that gives a signal the other sign learned a quirk of its pages (generated pages differ
# from real ones in more ways than their type): that signal is left out of it (weight 0).
FOR_ARTICLE = frozenset(
    (
        "jsonld_article", "jsonld_person", "og_article", "published_meta", "article_element", "byline_date", "authors",
        "medium_body", "reported_speech", "slug_words_3", "slug_words_5", "editorial_url", "date_url", "editorial_title",
    )
) | layout.FOR_ARTICLE | candidates.FOR_ARTICLE
FOLDS = 5
FOLD_SEED = 7  # which domains go together in a fold (--fold-seed: another draw, to see the folds' own noise)
# Second-level labels under which a country's domains are registered (example.co.uk, example.com.au).
_SECOND_LEVEL = frozenset(("co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "gv"))
ROUND_TO = 0.1
GENERATED_SEED = 12
EXTEND_STEPS = (0.0, 0.2, 0.4, 0.6, 0.8)  # --extend: each weight's size, in its defined direction
EXTEND_SHIFTS = (-0.6, -0.4, -0.2, 0.0, 0.2)  # ... and the bias shift
PAIR = "&"  # --pairs: "a&b" is on when both signals are


@dataclass(frozen=True, slots=True)
class Sample:
    page_id: str
    url: str
    page_type: str
    hard_reason: str | None
    signals: dict[str, bool]
    dataset: str = ""

    @property
    def is_article(self) -> bool:
        return self.page_type == "article"

    @property
    def site(self) -> str:
        host = (urlsplit(self.url).hostname or "").lower()
        return host.removeprefix("www.")

    @property
    def domain(self) -> str:
        """The registrable domain of ``site`` (``blog.example.co.uk`` -> ``example.co.uk``): the
        cross-validation keeps every page of one domain in one fold, whatever its subdomain."""
        labels = self.site.split(".")
        keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
        return ".".join(labels[-keep:])


def evidence(doc: Document) -> detect.Evidence:
    """What ``crawler.parsing.parse_document`` hands to ``detect_article``, built the same way."""
    language = extract_language(doc)
    site_name = extract_site_name(doc)
    title, headline = find_headline(doc, site_name=site_name)
    site_name = site_name or site_name_from_title(doc, title)
    dates = extract_dates(doc, language=language, headline=headline)
    authors = extract_authors(doc, headline=headline, site_name=site_name)
    body = read_body(doc)
    return detect.Evidence(
        body.text, title, dates.published, authors, byline_date=dates.shown, body_from_scripts=body.from_scripts, blocks=body.blocks
    )


def sample(job: tuple[str, str, str, str, str]) -> Sample:
    """``(dataset, page_id, url, page_type, html)`` -> its hard-rule verdict and signals."""
    dataset, page_id, url, page_type, html = job
    doc = load_document(html, url)
    found = evidence(doc)
    signals = detect.signals(doc, found)
    signals |= candidates.signals(doc, found) | candidates.combined(signals)
    return Sample(page_id, url, page_type, detect.hard_reason(doc, found), signals, dataset)


def _jobs(
    dataset: str, data_dir: Path, generated: int, seed: int = GENERATED_SEED, prose_share: float = 0.0, menu_links: bool = False
) -> Iterator[tuple[str, str, str, str, str]]:
    if dataset == "wcxb":
        for page in wcxb_pages(data_dir):
            truth = json.loads((data_dir / "wcxb-dev" / "ground-truth" / f"{page.page_id}.json").read_text(encoding="utf-8"))
            yield dataset, page.page_id, page.url, truth["_internal"]["page_type"]["primary"], page.html()
    elif dataset == "aeb":
        for page in aeb_pages(data_dir):
            yield dataset, page.page_id, page.url, "article", page.html()
    elif dataset == "fundus":
        for page in fundus_pages(data_dir):
            yield dataset, page.page_id, page.url, "article", page.html()
    else:
        from bench.pagegen import generate

        for page in generate(generated, seed=seed, prose_share=prose_share, menu_links=menu_links):
            yield dataset, page.page_id, page.url, page.page_type, page.html


def collect(
    dataset: str, data_dir: Path, *, generated: int, workers: int, seed: int = GENERATED_SEED, prose_share: float = 0.0, menu_links: bool = False
) -> list[Sample]:
    jobs = list(_jobs(dataset, data_dir, generated, seed, prose_share, menu_links))
    if workers <= 1:
        return [sample(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(sample, jobs, chunksize=8))


def fit(x: np.ndarray, y: np.ndarray, l2: float | np.ndarray, steps: int = 50, weights: np.ndarray | None = None) -> np.ndarray:
    """Logistic regression by Newton's method; column 0 is the bias (not penalised); ``weights``
    weigh the samples (default: all 1); ``l2`` is one penalty or one per column."""
    w = np.ones(len(y)) if weights is None else weights
    coef = np.zeros(x.shape[1])
    penalty = np.array(np.broadcast_to(l2, x.shape[1]), dtype=float)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ coef)))
        gradient = x.T @ (w * (y - p)) - penalty * coef
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        coef += step
        if np.abs(step).max() < 1e-6:
            break
    return coef


def matrix(samples: Sequence[Sample], names: Sequence[str]) -> np.ndarray:
    return np.array([[1.0] + [float(s.signals[name]) for name in names] for s in samples]).reshape(len(samples), len(names) + 1)


def scores_of(samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray) -> np.ndarray:
    """Each page's score, rounded as ``detect.score`` rounds it (0.1 + 0.2 must equal 0.3)."""
    return np.round(matrix(samples, names) @ weights, 6)


def pick_threshold(scores: np.ndarray, labels: np.ndarray, articles: int, recall: float, counted: np.ndarray | None = None) -> float:
    """The threshold with the best precision whose recall over ``articles`` (every article,
    the ones the hard rules refused included) is at least ``recall``; with ``counted``, only
    the pages it marks count towards that recall (``articles`` is then their articles)."""
    counted = np.ones(len(scores), dtype=bool) if counted is None else counted
    best, best_precision = float(scores.min()), -1.0
    for threshold in np.unique(scores):
        called = scores >= threshold
        hits = called & (labels == 1)
        if int((hits & counted).sum()) / articles < recall:
            continue
        precision = int(hits.sum()) / max(1, int(called.sum()))
        if precision > best_precision:
            best, best_precision = float(threshold), precision
    return best


@dataclass(slots=True)
class Tally:
    hits: int = 0
    called: int = 0
    articles: int = 0
    errors: dict[str, tuple[int, int]] = field(default_factory=dict)  # page type -> (called wrongly, pages)
    margins: list[tuple[float, int, str]] = field(default_factory=list)  # (score - threshold, label, page type) of each scored page

    def add(self, called: np.ndarray, labels: np.ndarray, articles: int) -> None:
        self.hits += int((called & (labels == 1)).sum())
        self.called += int(called.sum())
        self.articles += articles

    def merge(self, other: Tally) -> None:
        self.hits, self.called, self.articles = self.hits + other.hits, self.called + other.called, self.articles + other.articles
        self.margins += other.margins
        for kind, (wrong, total) in other.errors.items():
            before = self.errors.get(kind, (0, 0))
            self.errors[kind] = (before[0] + wrong, before[1] + total)

    def precision_at(self, recall: float) -> str:
        """Precision with each fold's threshold moved by one shared amount until the pooled
        held-out pages reach ``recall`` (every article counted, the hard-rule refusals too): the
        cross-validated point of the precision-recall curve, comparable with ``curve_point``."""
        margins = np.array([margin for margin, _, _ in self.margins])
        labels = np.array([label for _, label, _ in self.margins])
        for shift in sorted(np.unique(margins), reverse=True):
            called = margins >= shift
            hits = int((called & (labels == 1)).sum())
            if hits / max(1, self.articles) >= recall:
                return f"shift {shift:g}: precision {hits / int(called.sum()):.3f} ({hits}/{int(called.sum())}), recall {hits / self.articles:.3f}"
        return "n/a"

    def band(self, margin: float) -> str:
        """What ``detect.UNCERTAIN_MARGIN``'s band holds at each fold's own threshold: the
        precision and recall of the pages above it (sure articles) and the pages in it by type."""
        sure = [label for value, label, _ in self.margins if value >= margin]
        held: dict[str, int] = {}
        for value, _, kind in self.margins:
            if 0 <= value < margin:
                held[kind] = held.get(kind, 0) + 1
        hits = sum(sure)
        inside = ", ".join(f"{kind} {count}" for kind, count in sorted(held.items()))
        return (f"above the band of {margin:g}: precision {hits / max(1, len(sure)):.3f} ({hits}/{len(sure)}), recall "
                f"{hits / max(1, self.articles):.3f}; in it {sum(held.values())} pages: {inside or 'none'}")

    def by_type(self) -> str:
        return ", ".join(f"{kind} {wrong}/{total} ({wrong / total:.3f})" for kind, (wrong, total) in sorted(self.errors.items()))

    def __str__(self) -> str:
        precision = f"{self.hits / self.called:.3f} ({self.hits}/{self.called})" if self.called else "n/a"
        recall = self.hits / max(1, self.articles)
        return f"precision {precision}, recall {recall:.3f} ({self.hits}/{self.articles})"


def rounded(weights: np.ndarray) -> np.ndarray:
    return np.round(np.round(weights / ROUND_TO) * ROUND_TO, 6)


def folds_by_domain(samples: Sequence[Sample], folds: int, seed: int = FOLD_SEED) -> list[int]:
    """Each page's fold; every page of one registrable domain (``Sample.domain``), of every set,
    in the same one: no domain is in both the fit and the test fold."""
    domains = sorted({s.domain for s in samples})
    random.Random(seed).shuffle(domains)
    fold_of = {domain: n % folds for n, domain in enumerate(domains)}
    return [fold_of[s.domain] for s in samples]


def _labels(samples: Sequence[Sample]) -> np.ndarray:
    return np.array([1 if s.is_article else 0 for s in samples])


def fit_signed(x: np.ndarray, y: np.ndarray, names: Sequence[str], l2: float, weights: np.ndarray, pair_l2: float | None = None) -> np.ndarray:
    """``fit`` with every signal kept to its defined direction (``FOR_ARTICLE``): a signal whose
    weight comes out with the other sign is dropped and the rest refitted, until none is. A pair
    (``PAIR``-joined names, ``--pairs``) has no direction and its own penalty ``pair_l2``."""
    sign = np.array([0.0] + [0.0 if PAIR in name else 1.0 if name in FOR_ARTICLE else -1.0 for name in names])
    penalty = np.array([0.0] + [pair_l2 if PAIR in name and pair_l2 is not None else l2 for name in names])
    kept = np.ones(x.shape[1], dtype=bool)
    while True:
        coef = np.zeros(x.shape[1])
        coef[kept] = fit(x[:, kept], y, penalty[kept], weights=weights)
        wrong = (coef * sign < 0) & kept
        if not wrong.any():
            return coef
        kept[int(np.argmin(np.where(wrong, coef * sign, 0.0)))] = False


def fit_and_pick(
    samples: Sequence[Sample], names: Sequence[str], *, l2: float, recall: float, recall_on: frozenset[str] | None = None,
    generated_weight: float = 1.0, pair_l2: float | None = None,
) -> tuple[np.ndarray, float]:
    """Rounded weights and the threshold keeping ``recall`` over the articles of the sets in
    ``recall_on`` (default: every set); each generated page weighs ``generated_weight`` in the fit."""
    scored = [s for s in samples if s.hard_reason is None]
    x, y = matrix(scored, names), _labels(scored)
    weighed = np.array([generated_weight if s.dataset == "generated" else 1.0 for s in scored])
    weights = rounded(fit_signed(x, y, names, l2, weighed, pair_l2))
    counts = [recall_on is None or s.dataset in recall_on for s in samples]
    articles = sum(s.is_article for s, counted in zip(samples, counts) if counted)
    counted = np.array([recall_on is None or s.dataset in recall_on for s in scored])
    return weights, pick_threshold(scores_of(scored, names, weights), y, articles, recall, counted)


def tally(samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray, threshold: float) -> Tally:
    scored = [s for s in samples if s.hard_reason is None]
    result = Tally()
    result.add(scores_of(scored, names, weights) >= threshold, _labels(scored), sum(s.is_article for s in samples))
    return result


def evaluate(
    samples: Sequence[Sample], names: Sequence[str], *, l2: float, recall: float, recall_on: frozenset[str] | None = None,
    generated_weight: float = 1.0, fold_seed: int = FOLD_SEED, pair_l2: float | None = None,
) -> tuple[dict[str, Tally], Tally, np.ndarray, float]:
    """(held-out tally per set by 5-fold cross-validation by domain, with its errors by page type;
    in-sample tally, rounded weights, threshold)."""
    fold = folds_by_domain(samples, FOLDS, fold_seed)
    held_out: dict[str, Tally] = {}
    for k in range(FOLDS):
        train = [s for s, f in zip(samples, fold) if f != k]
        weights, threshold = fit_and_pick(train, names, l2=l2, recall=recall, recall_on=recall_on, generated_weight=generated_weight, pair_l2=pair_l2)
        for dataset in dict.fromkeys(s.dataset for s in samples):
            test = [s for s, f in zip(samples, fold) if f == k and s.dataset == dataset]
            part = tally(test, names, weights, threshold)
            part.errors = errors_by_type(test, names, weights, threshold)
            scored = [s for s in test if s.hard_reason is None]
            part.margins = [
                (round(float(value) - threshold, 6), int(s.is_article), s.page_type) for s, value in zip(scored, scores_of(scored, names, weights))
            ]
            held_out.setdefault(dataset, Tally()).merge(part)
    weights, threshold = fit_and_pick(samples, names, l2=l2, recall=recall, recall_on=recall_on, generated_weight=generated_weight, pair_l2=pair_l2)
    return held_out, tally(samples, names, weights, threshold), weights, threshold


def errors_by_type(samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray, threshold: float) -> dict[str, tuple[int, int]]:
    """Page type -> (pages called wrongly, pages): non-articles called articles, articles refused."""
    found: dict[str, tuple[int, int]] = {}
    scores = scores_of(samples, names, weights)
    for s, value in zip(samples, scores):
        called = s.hard_reason is None and float(value) >= threshold
        wrong, total = found.get(s.page_type, (0, 0))
        found[s.page_type] = (wrong + (called != s.is_article), total + 1)
    return dict(sorted(found.items()))


def threshold_for_recall(samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray, recall: float) -> float:
    """The highest threshold whose recall over every article of ``samples`` (the hard-rule
    refusals included) is at least ``recall``: a point on the set's precision-recall curve."""
    scored = [s for s in samples if s.hard_reason is None]
    scores, labels = scores_of(scored, names, weights), _labels(scored)
    articles = max(1, sum(s.is_article for s in samples))
    for threshold in sorted(np.unique(scores), reverse=True):
        if int(((scores >= threshold) & (labels == 1)).sum()) / articles >= recall:
            return float(threshold)
    return float(scores.min()) if len(scores) else 0.0


def report(name: str, samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray, threshold: float) -> str:
    types = ", ".join(f"{kind} {wrong}/{total} ({wrong / total:.3f})" for kind, (wrong, total) in errors_by_type(samples, names, weights, threshold).items())
    return f"{name}: {tally(samples, names, weights, threshold)}\n    errors by page type: {types}"


def curve_point(name: str, samples: Sequence[Sample], names: Sequence[str], weights: np.ndarray, recall: float) -> str:
    """The same weights with the threshold moved to ``recall`` on this set: precision at that recall."""
    threshold = threshold_for_recall(samples, names, weights, recall)
    return report(f"{name}, threshold {threshold:g} for recall {recall}", samples, names, weights, threshold)


@dataclass(frozen=True, slots=True)
class Extension:
    weights: tuple[float, ...]  # of the searched signals, in their order
    shift: float  # added to the bias
    precision: float  # on the ranking set, at the threshold giving it the curve's recall


@dataclass(slots=True)
class _Scored:
    """A set's pages as ``extend`` reads them: the shipped score of the other signals, the
    searched signals, the hard rules' verdict and the labels."""

    base: np.ndarray
    searched: np.ndarray
    passed: np.ndarray
    labels: np.ndarray

    def called(self, weights: np.ndarray, shift: float, threshold: float = detect.THRESHOLD) -> np.ndarray:
        return self.passed & (np.round(self.base + self.searched @ weights + shift, 6) >= threshold)

    def outcome(self, weights: np.ndarray, shift: float) -> tuple[int, int]:
        called = self.called(weights, shift)
        return int((called & (self.labels == 1)).sum()), int(called.sum())

    def precision_at(self, weights: np.ndarray, shift: float, recall: float) -> float:
        """Precision at the highest threshold giving ``recall`` over every article."""
        scores = np.round(self.base + self.searched @ weights + shift, 6)
        found = np.sort(scores[self.passed & (self.labels == 1)])[::-1]
        needed = int(np.ceil(recall * (self.labels == 1).sum()))
        if needed > len(found):
            return 0.0
        called = self.passed & (scores >= found[needed - 1])
        return int((called & (self.labels == 1)).sum()) / int(called.sum())


def extend(found: dict[str, list[Sample]], fit_sets: Sequence[str], rank_set: str, names: Sequence[str], curve_recall: float) -> list[Extension]:
    """Keep the shipped weights of every other signal; try every setting of ``names``' weights
    (``EXTEND_STEPS``, each in its defined direction) and of a bias shift (``EXTEND_SHIFTS``).
    Keep the settings under which every fit set keeps at least the articles the shipped weights
    find, at no lower precision; rank them by precision on ``rank_set`` at the threshold giving
    it ``curve_recall`` (they are chosen on it: report on another set)."""
    others = [name for name in detect.WEIGHTS if name not in names]
    shipped = np.array([detect.BIAS] + [detect.WEIGHTS[name] for name in others])
    sign = np.array([1.0 if name in FOR_ARTICLE else -1.0 for name in names])
    scored = {
        dataset: _Scored(
            scores_of(found[dataset], others, shipped),
            matrix(found[dataset], names)[:, 1:],
            np.array([s.hard_reason is None for s in found[dataset]]),
            _labels(found[dataset]),
        )
        for dataset in dict.fromkeys([*fit_sets, rank_set])
    }
    floors = {dataset: scored[dataset].outcome(np.zeros(len(names)), 0.0) for dataset in fit_sets}
    kept = []
    for steps in product(EXTEND_STEPS, repeat=len(names)):
        weights = sign * np.array(steps)
        for shift in EXTEND_SHIFTS:
            results = {dataset: scored[dataset].outcome(weights, shift) for dataset in fit_sets}
            # at least as many articles, at no lower precision: hits / called >= floor hits / floor called
            if all(hits >= floors[d][0] and hits * floors[d][1] >= floors[d][0] * called for d, (hits, called) in results.items()):
                kept.append(Extension(tuple(float(w) for w in weights), shift, scored[rank_set].precision_at(weights, shift, curve_recall)))
    return sorted(kept, key=lambda e: (-e.precision, sum(map(abs, e.weights)), abs(e.shift)))


def add_pairs(samples: Sequence[Sample], names: Sequence[str], strongest: int) -> list[str]:
    """Pairwise terms, a model class beside the linear one: for every pair of the ``strongest``
    of ``names`` by the size of their shipped weight, a signal on when both are, added to each
    sample; their names."""
    chosen = sorted(names, key=lambda name: -abs(detect.WEIGHTS[name]))[:strongest]
    pairs = [f"{a}{PAIR}{b}" for n, a in enumerate(chosen) for b in chosen[n + 1:]]
    for s in samples:
        for pair in pairs:
            a, b = pair.split(PAIR)
            s.signals[pair] = s.signals[a] and s.signals[b]
    return pairs


def load_cache(path: Path) -> list[Sample]:
    """The cached samples; the candidates that join the product's signals are added when missing."""
    samples = [Sample(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]
    for s in samples:
        s.signals.update(candidates.combined(s.signals) | s.signals)
    return samples


def save_cache(path: Path, samples: Sequence[Sample]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for s in samples:
            out.write(json.dumps(asdict(s)) + "\n")


def samples_of(dataset: str, args: argparse.Namespace) -> list[Sample]:
    cache = args.cache / f"{dataset}.jsonl" if args.cache else None
    if cache and cache.is_file():
        return load_cache(cache)
    found = collect(
        dataset, args.data, generated=args.generated, workers=args.workers, seed=args.seed, prose_share=args.prose_share, menu_links=args.menu_links
    )
    if cache:
        save_cache(cache, found)
    return found


def _sets(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = set(names) - set(SETS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown page sets {sorted(unknown)}; known: {', '.join(SETS)}")
    return names


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.quality.fit_detection", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="folder holding wcxb-dev/, aeb-dev/ and fundus-dev/")
    parser.add_argument("--fit", type=_sets, default=["wcxb"], help="page sets the weights are fitted on")
    parser.add_argument("--report", type=_sets, default=["aeb", "fundus", "generated"], help="page sets reported on, never fitted on")
    parser.add_argument("--generated", type=int, default=3000, help="how many generated pages (bench.pagegen)")
    parser.add_argument("--drop", type=lambda value: [name for name in value.split(",") if name], default=[],
                        help="leave these signals out of the fit (\"layout\": all of crawler/parsing/layout.py's)")
    parser.add_argument("--shipped", action="store_true", help="fit nothing: report detect.py's own weights on the --report sets")
    parser.add_argument("--extend", type=lambda value: [name for name in value.split(",") if name],
                        help="keep the shipped weights; search only these signals' weights (see extend)")
    parser.add_argument("--seed", type=int, default=GENERATED_SEED, help="the generated pages' seed (another seed: other sites)")
    parser.add_argument("--prose-share", type=float, default=0.0,
                        help="share of generated listings, forums, documentation and service pages written as prose (bench/pagegen/prose.py); a cache of its own")
    parser.add_argument("--candidates", type=lambda value: [name for name in value.split(",") if name], default=[],
                        help=f"also fit these signals tried and not in the product ({', '.join(candidates.NAMES)})")
    parser.add_argument("--menu-links", action="store_true",
                        help="generated pages whose header menu may link the page itself (bench.pagegen.site.IN_MENU); a cache of its own")
    parser.add_argument("--cache", type=Path, help="folder of JSONL signal caches, one per page set: read if present, else written")
    parser.add_argument("--l2", type=float, default=2.0, help="L2 penalty on every weight but the bias")
    parser.add_argument("--pairs", type=int, default=0,
                        help="also fit the products of every pair of the N signals with the largest shipped weights (no direction)")
    parser.add_argument("--pair-l2", type=float, default=2.0, help="L2 penalty on the --pairs weights")
    parser.add_argument("--generated-weight", type=float, default=1.0, help="what each generated page weighs in the fit (a real page weighs 1)")
    parser.add_argument("--recall", type=float, default=0.955, help="recall the threshold must keep")
    parser.add_argument("--curve-recall", type=float, default=0.95, help="also report each unfitted set at the threshold giving it this recall")
    parser.add_argument("--recall-on", type=_sets, help="sets whose articles that recall counts (default: every fit set)")
    parser.add_argument("--fold-seed", type=int, default=FOLD_SEED, help="another draw of the cross-validation's folds")
    parser.add_argument("--workers", type=int, default=2)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    dropped = {signal for name in args.drop for signal in (layout.SIGNALS if name == "layout" else (name,))}
    unknown = [name for name in args.candidates if name not in candidates.NAMES]
    if unknown:
        print(f"unknown candidate signals {unknown}; known: {', '.join(candidates.NAMES)}", file=sys.stderr)
        return 2
    dropped |= {candidates.REPLACES[name] for name in args.candidates if name in candidates.REPLACES}
    names = [name for name in detect.WEIGHTS if name not in dropped] + args.candidates
    found = {dataset: samples_of(dataset, args) for dataset in dict.fromkeys(args.fit + args.report)}
    names += add_pairs([s for samples in found.values() for s in samples], [name for name in names if name in detect.WEIGHTS], args.pairs)
    for dataset, samples in found.items():
        missing = [name for name in names if name not in samples[0].signals]
        if missing:
            print(f"the {dataset} cache lacks signals {missing}: delete it to recompute", file=sys.stderr)
            return 2
    if args.shipped:
        weights = np.array([detect.BIAS] + [detect.WEIGHTS[name] for name in detect.WEIGHTS])
        for dataset in args.report:
            print(report(f"shipped weights, {dataset}", found[dataset], list(detect.WEIGHTS), weights, detect.THRESHOLD))
            if any(not s.is_article for s in found[dataset]):
                print(curve_point(f"shipped weights, {dataset}", found[dataset], list(detect.WEIGHTS), weights, args.curve_recall))
        return 0
    if args.extend:
        return _main_extend(args, found)
    fitted = [s for dataset in args.fit for s in found[dataset]]
    recall_on = frozenset(args.recall_on or args.fit)
    held_out, in_sample, weights, threshold = evaluate(
        fitted, names, l2=args.l2, recall=args.recall, recall_on=recall_on, generated_weight=args.generated_weight, fold_seed=args.fold_seed,
        pair_l2=args.pair_l2,
    )
    print(f"fitted on {', '.join(args.fit)}: {len(fitted)} pages, {sum(s.is_article for s in fitted)} articles, {len({s.site for s in fitted})} sites")
    print(f"threshold for recall {args.recall} over the articles of {', '.join(sorted(recall_on))}")
    for dataset, result in held_out.items():
        print(f"held out within the fit ({FOLDS}-fold by domain), {dataset}: {result}\n    errors by page type: {result.by_type()}")
        if any(label == 0 for _, label, _ in result.margins):
            print(f"    every fold's threshold moved for recall {args.curve_recall}: {result.precision_at(args.curve_recall)}")
        print(f"    {result.band(detect.UNCERTAIN_MARGIN)}")
    for dataset in args.fit:
        print(report(f"in the fit, {dataset}", found[dataset], names, weights, threshold))
    for dataset in args.report:
        if dataset not in args.fit:
            print(report(f"NOT fitted on, {dataset}", found[dataset], names, weights, threshold))
            if any(not s.is_article for s in found[dataset]):
                print(curve_point(f"NOT fitted on, {dataset}", found[dataset], names, weights, args.curve_recall))
    print("WEIGHTS = {")
    for name, weight in zip(names, weights[1:]):
        print(f'    "{name}": {weight:g},')
    print("}")
    print(f"BIAS = {weights[0]:g}")
    print(f"THRESHOLD = {threshold:g}")
    return 0


def _main_extend(args: argparse.Namespace, found: dict[str, list[Sample]]) -> int:
    unknown = [name for name in args.extend if name not in found[args.fit[0]][0].signals]
    if unknown:
        print(f"unknown signals {unknown}", file=sys.stderr)
        return 2
    rank_set = next(dataset for dataset in args.report if dataset not in args.fit)
    kept = extend(found, args.fit, rank_set, args.extend, args.curve_recall)
    print(f"{len(kept)} settings keep every article and the precision of the shipped weights on {', '.join(args.fit)}; ranked on {rank_set}")
    without = next(e for e in kept if not any(e.weights) and not e.shift)
    print(f"  without them (weights 0): {rank_set} precision {without.precision:.3f} at recall {args.curve_recall}")
    for setting in kept[:5]:
        print(f"  {dict(zip(args.extend, setting.weights))} bias shift {setting.shift:g}: {rank_set} precision {setting.precision:.3f} at recall {args.curve_recall}")
    if not kept:
        return 1
    best = kept[0]
    base = {name: weight for name, weight in detect.WEIGHTS.items() if name not in args.extend}
    names = list(base) + list(args.extend)
    weights = np.array([detect.BIAS + best.shift] + list(base.values()) + list(best.weights))
    for dataset in args.fit + args.report:
        print(report(dataset, found[dataset], names, weights, detect.THRESHOLD))
        if dataset != rank_set and any(not s.is_article for s in found[dataset]):
            print(curve_point(dataset, found[dataset], names, weights, args.curve_recall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
