"""The fitting script behind crawler.parsing.detect.WEIGHTS (bench/quality/fit_detection.py)."""

from __future__ import annotations

import numpy as np

from bench.quality.fit_detection import Sample, add_pairs, evaluate, fit, fit_and_pick, fit_signed, folds_by_domain, pick_threshold, rounded


def _sample(n: int, site: str, article: bool, signals: dict[str, bool], hard: str | None = None, dataset: str = "") -> Sample:
    return Sample(f"{site}-{n}", f"https://www.{site}/page/{n}", "article" if article else "service", hard, signals, dataset)


def test_fit_gives_a_telling_signal_a_positive_weight_and_a_misleading_one_a_negative_weight():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 2, 400)
    telling = np.where(rng.random(400) < 0.9, labels, 1 - labels)
    misleading = np.where(rng.random(400) < 0.8, 1 - labels, labels)
    x = np.column_stack([np.ones(400), telling, misleading])
    weights = fit(x, labels.astype(float), l2=1.0)
    assert weights[1] > 1.0 and weights[2] < -0.5
    assert list(rounded(np.array([0.33, -0.64, 1.06]))) == [0.3, -0.6, 1.1]


def test_threshold_keeps_the_recall_asked_for_over_every_article():
    scores = np.array([3.0, 2.0, 1.0, 0.5, 0.0])
    labels = np.array([1, 1, 0, 1, 0])
    assert pick_threshold(scores, labels, articles=3, recall=0.6) == 2.0
    assert pick_threshold(scores, labels, articles=3, recall=1.0) == 0.5
    # a fourth article the hard rules refused: full recall is out of reach, 3 of 4 is the most
    assert pick_threshold(scores, labels, articles=4, recall=0.75) == 0.5


def test_folds_never_split_a_domain_nor_its_subdomains():
    samples = [_sample(n, f"{('blog.', 'shop.', '')[n % 3]}site{n % 7}.example", n % 2 == 0, {}) for n in range(70)]
    samples += [_sample(n, f"{('news.', '')[n % 2]}paper{n % 4}.co.uk", n % 2 == 0, {}) for n in range(40)]
    folds = folds_by_domain(samples, 5)
    fold_of_domain: dict[str, set[int]] = {}
    for s, fold in zip(samples, folds):
        fold_of_domain.setdefault(s.domain, set()).add(fold)
    assert len(fold_of_domain) == 11 and all(len(found) == 1 for found in fold_of_domain.values())
    assert len(set(folds)) == 5


def test_held_out_figures_count_the_articles_the_hard_rules_refused():
    samples = []
    for n in range(200):
        article = n % 2 == 0
        samples.append(_sample(n, f"site{n % 20}.example", article, {"byline_date": article or n % 10 == 1}))
    samples.append(_sample(999, "site0.example", True, {"byline_date": True}, hard="home page"))
    held_out, in_sample, weights, _ = evaluate(samples, ["byline_date"], l2=1.0, recall=0.9)
    assert held_out[""].articles == in_sample.articles == 101
    assert held_out[""].hits == 100 and held_out[""].called == 120
    assert held_out[""].errors == {"article": (1, 101), "service": (20, 100)}  # the refused home page is an error
    assert weights[1] > 0


def test_a_signal_that_comes_out_pointing_the_wrong_way_is_left_out():
    """'code' is defined as evidence against an article: pages where it goes with articles teach
    a quirk of those pages, so the fit leaves it at 0 and keeps the signal that points right."""
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 2, 400)
    byline = np.where(rng.random(400) < 0.85, labels, 1 - labels)
    code = np.where(rng.random(400) < 0.8, labels, 1 - labels)  # goes with articles here
    x = np.column_stack([np.ones(400), byline, code])
    coef = fit_signed(x, labels.astype(float), ["byline_date", "code"], 1.0, np.ones(400))
    assert coef[1] > 0.5 and coef[2] == 0.0


def test_recall_can_be_counted_on_one_set_only():
    """Generated articles are easy: the threshold may keep the recall asked for on a real set's
    articles instead of on all of them."""
    samples = [_sample(n, f"real{n}.example", True, {"byline_date": n % 4 != 0}, dataset="wcxb") for n in range(40)]
    samples += [_sample(n, f"gen{n}.example", True, {"byline_date": True}, dataset="generated") for n in range(200)]
    samples += [_sample(n, f"neg{n}.example", False, {"byline_date": n % 5 == 0}, dataset="generated") for n in range(200)]
    _, everywhere = fit_and_pick(samples, ["byline_date"], l2=1.0, recall=0.9)
    _, on_real = fit_and_pick(samples, ["byline_date"], l2=1.0, recall=0.9, recall_on=frozenset({"wcxb"}))
    assert on_real < everywhere  # three in four real articles have the byline: 0.9 of them needs a lower bar


def test_generated_pages_weigh_what_they_are_told_in_the_fit():
    """A signal telling on the generated pages and not on the real ones gets less weight when
    each generated page weighs less."""
    samples = [_sample(n, f"real{n}.example", n % 2 == 0, {"byline_date": n % 3 == 0}, dataset="aeb") for n in range(100)]
    samples += [_sample(n, f"gen{n}.example", n % 2 == 0, {"byline_date": n % 2 == 0 or n % 9 == 1}, dataset="generated") for n in range(300)]
    full, _ = fit_and_pick(samples, ["byline_date"], l2=1.0, recall=0.5)
    light, _ = fit_and_pick(samples, ["byline_date"], l2=1.0, recall=0.5, generated_weight=0.05)
    assert full[1] > light[1] >= 0


def test_the_curve_point_moves_the_threshold_to_the_recall_asked_for_on_that_set():
    """Precision at a recall on a set the weights never saw: the highest threshold keeping that
    recall over every article of the set, the hard-rule refusals included."""
    from bench.quality.fit_detection import threshold_for_recall

    samples = [_sample(n, "site.example", n < 4, {"byline_date": n in (0, 1, 4)}) for n in range(6)]
    samples.append(_sample(9, "site.example", True, {"byline_date": True}, hard="home page"))
    weights = np.array([0.0, 1.0])  # score 1 with a dated byline, else 0
    assert threshold_for_recall(samples, ["byline_date"], weights, 0.4) == 1.0  # 2 of 5 articles
    assert threshold_for_recall(samples, ["byline_date"], weights, 0.8) == 0.0  # 4 of 5: every scored page
    assert threshold_for_recall(samples, ["byline_date"], weights, 1.0) == 0.0  # out of reach: the lowest


def test_extend_keeps_the_shipped_weights_and_searches_only_the_named_signals():
    from bench.quality.fit_detection import extend
    from crawler.parsing.detect import WEIGHTS

    def page(n: int, site: str, article: bool, on: set[str], dataset: str) -> Sample:
        return _sample(n, site, article, {name: name in on for name in [*WEIGHTS, "card_list"]}, dataset=dataset)

    found: dict[str, list[Sample]] = {}
    for dataset in ("fitted", "unseen"):
        pages = [page(n, f"a{n}.example", True, {"byline_date", "medium_body"}, dataset) for n in range(20)]
        pages += [page(n, f"l{n}.example", False, {"byline_date", "medium_body", "authors", "card_list"}, dataset) for n in range(10)]
        found[dataset] = pages
    kept = extend(found, ["fitted"], "unseen", ["card_list"], 1.0)
    best = kept[0]
    assert best.precision == 1.0 and best.weights[0] < 0  # the listings' cards now refuse them
    shipped = next(e for e in kept if e.weights == (0.0,) and e.shift == 0.0)
    assert shipped.precision < 1.0


def test_an_unknown_candidate_signal_is_refused_before_any_page_is_read(tmp_path, capsys):
    from bench.quality.fit_detection import main

    assert main(["--candidates", "in_navigation,no_such_signal", "--data", str(tmp_path / "missing")]) == 2
    assert "no_such_signal" in capsys.readouterr().err


def test_held_out_pages_give_one_point_of_the_precision_recall_curve():
    """Each fold's pages are scored against their own fold's threshold; moving every threshold
    by one amount gives the cross-validated precision at the recall asked for."""
    from bench.quality.fit_detection import Tally

    held_out = Tally(articles=5, margins=[(2.0, 1, "article"), (1.5, 0, "listing"), (1.0, 1, "article"), (0.5, 1, "article"),
                                          (0.0, 0, "service"), (-0.5, 1, "article"), (-1.0, 0, "forum")])
    assert held_out.precision_at(0.6) == "shift 0.5: precision 0.750 (3/4), recall 0.600"
    assert held_out.precision_at(0.8) == "shift -0.5: precision 0.667 (4/6), recall 0.800"
    assert held_out.precision_at(1.0) == "n/a"  # the fifth article was refused by a hard rule
    # the band [0, 1): one article and a service page in it, three articles and a listing above
    assert held_out.band(1.0) == "above the band of 1: precision 0.667 (2/3), recall 0.400; in it 2 pages: article 1, service 1"


def test_pairs_are_on_when_both_signals_are_and_keep_the_sign_the_fit_gives_them():
    """--pairs: a product term has no defined direction, so a pair of two signals for an article
    may come out against one (here a forum URL with a long slug), with its own penalty."""
    page = Sample("1", "https://a.example/x", "forum", None, {"forum_url": True, "slug_words_5": True, "code": False})
    names = add_pairs([page], ["forum_url", "slug_words_5", "code"], 3)  # ordered by the size of their shipped weight
    assert names == ["forum_url&code", "forum_url&slug_words_5", "code&slug_words_5"]
    assert page.signals["forum_url&slug_words_5"] and not page.signals["forum_url&code"]
    rng = np.random.default_rng(5)
    slug = rng.integers(0, 2, 600)
    forum = rng.integers(0, 2, 600)
    labels = np.where(slug & forum, 0, np.where(rng.random(600) < 0.7, slug, 1 - slug))
    x = np.column_stack([np.ones(600), slug, slug * forum])
    coef = fit_signed(x, labels.astype(float), ["slug_words_5", "slug_words_5&forum_url"], 1.0, np.ones(600), pair_l2=0.5)
    assert coef[1] > 0 and coef[2] < -1.0
