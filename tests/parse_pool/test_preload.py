"""What a process imports at start: the pool's fork server takes the page steps without the writer side,
and a process that stores does not import numpy for sqlite-utils."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import crawler.article
from crawler.article.pipeline import page_steps
from crawler.article.prepare import parse_fetched
from crawler.article.step import run_steps
from crawler.pool import PRELOAD

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code`` (in the project's root)."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_fork_server_preloads_every_module_a_pool_call_needs_and_not_the_writer_side() -> None:
    modules = _modules_after("\n".join(f"import {name}" for name in PRELOAD))
    needed = {step.__module__ for step in page_steps()} | {run_steps.__module__, parse_fetched.__module__}
    assert needed | {"crawler.summarize", "numpy"} <= modules  # the summary's ranking: imported at its first call
    for writer_side in ("crawler.article.pipeline", "crawler.article.furniture", "crawler.storage", "sqlite_utils",
                        "crawler.archive"):
        assert writer_side not in modules, writer_side


def test_storing_does_not_import_numpy_and_numpy_still_imports_after() -> None:
    modules = _modules_after("import crawler.storage")
    assert "sqlite_utils" in modules
    assert "numpy" not in modules and "pandas" not in modules
    modules = _modules_after("import crawler.storage, numpy; numpy.zeros(2); import sqlite_utils; sqlite_utils.Database(memory=True)")
    assert "numpy" in modules


def test_a_process_that_imported_numpy_first_keeps_sqlite_utils_numpy_types() -> None:
    code = "import numpy, crawler.storage, sqlite_utils.db as db; print(numpy.int64 in db.COLUMN_TYPE_MAPPING)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_the_article_package_names_resolve_when_asked_for() -> None:
    for name in crawler.article.__all__:
        assert getattr(crawler.article, name) is not None
    with pytest.raises(AttributeError):
        crawler.article.no_such_step  # noqa: B018


def test_the_fork_server_builds_the_calendar_words_of_a_page_of_unknown_language() -> None:
    code = "\n".join(f"import {name}" for name in PRELOAD) + (
        "\nfrom crawler.parsing.calendar_words import _unambiguous, calendar_words"
        "\nprint(_unambiguous.cache_info().currsize, calendar_words.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "1"]
