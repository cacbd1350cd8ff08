"""The crawl's cycle collector: startup objects frozen and young collections rarer while the reactor runs,
put back as they were afterwards (tests and other commands run crawls in the same process)."""

from __future__ import annotations

import gc

import pytest

from crawler.runner import GC_YOUNG_THRESHOLD, _collector_for_a_crawl


def test_the_collector_is_cheaper_during_a_crawl_and_put_back_after_it():
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with _collector_for_a_crawl():
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0  # what existed when the crawl started
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_collector_is_put_back_when_the_crawl_raises():
    before = gc.get_threshold()
    with pytest.raises(KeyboardInterrupt), _collector_for_a_crawl():
        raise KeyboardInterrupt
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
