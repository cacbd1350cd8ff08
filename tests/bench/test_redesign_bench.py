"""bench.template.redesign: whole runs through the article pipeline, the template step's guards on and off."""

from __future__ import annotations

import logging

from bench.template.redesign import main, run_site


def test_the_guards_keep_a_redesigned_site_whole_and_change_nothing_on_a_site_that_keeps_its_template() -> None:
    guarded, stale = run_site(6000, pages=100, redesign=True, off=frozenset())
    unguarded, none = run_site(6000, pages=100, redesign=True, off=frozenset({"stale", "reread"}))
    assert stale == 1 and none == 0
    assert guarded["body F1"] > 0.97 > 0.9 > unguarded["body F1"]
    kept = run_site(5000, pages=60, redesign=False, off=frozenset())
    assert kept == run_site(5000, pages=60, redesign=False, off=frozenset({"stale", "reread"}))
    assert kept[1] == 0


def test_the_command_prints_each_configuration(capsys) -> None:
    logger = logging.getLogger("crawler")
    level = logger.level
    try:
        assert main(["--seeds", "5001:5002", "--pages", "30", "--no-redesign"]) == 0
    finally:
        logger.setLevel(level)  # the command quiets the crawler's logs: other tests read them
    out = capsys.readouterr().out
    assert all(name in out for name in ("both guards", "no re-read", "no stale hint", "neither"))


def test_runs_split_a_site_s_pages_and_the_guards_not_kept_are_compared(capsys) -> None:
    logger = logging.getLogger("crawler")
    level = logger.level
    try:
        assert main(["--seeds", "5001:5002", "--pages", "30", "--runs", "3", "--no-redesign"]) == 0
    finally:
        logger.setLevel(level)
    out = capsys.readouterr().out
    assert "in 3 run(s)" in out and "guards not kept" in out and "paired site ratios" in out
