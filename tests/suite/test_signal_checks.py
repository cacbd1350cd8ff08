"""tests/conftest.py's signal checks, run on small suites in a fresh pytest process of their own."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"


def run_suite(tmp_path: Path, tests: str, *, sigint_ignored: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``tests`` (a test module's text) under the suite's conftest in a new pytest process;
    ``sigint_ignored`` starts it as a background job without job control starts it."""
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(tests, encoding="utf-8")

    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          preexec_fn=ignore_sigint if sigint_ignored else None)  # fmt: skip


def test_a_test_that_leaves_sigint_ignored_fails_and_the_next_one_finds_it_put_back(tmp_path: Path) -> None:
    """What Scrapy's second Ctrl-C does (install_shutdown_handlers(SIG_IGN)) done in a test: that test fails
    by name, and the test after it sees SIGINT as the session started with it."""
    result = run_suite(tmp_path, (
        "import signal\n"
        "def test_leaves_it_ignored():\n"
        "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "def test_after():\n"
        "    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler\n"
    ))  # fmt: skip
    assert "ERROR at teardown of test_leaves_it_ignored" in result.stdout, result.stdout
    assert "test_inner.py::test_leaves_it_ignored left signal handlers changed" in result.stdout
    assert "2 passed, 1 error" in result.stdout, result.stdout  # the error is the first test's teardown


def test_a_sigterm_handler_left_by_a_module_fixture_fails_the_next_test(tmp_path: Path) -> None:
    """A handler left behind outside every test (here a module fixture's set-up) is named by the first
    test to find it; the test that put it there cannot be told, so that one is named by what it saw."""
    result = run_suite(tmp_path, (
        "import signal\n"
        "import pytest\n"
        "@pytest.fixture(scope='module')\n"
        "def handler():\n"
        "    signal.signal(signal.SIGTERM, lambda signum, frame: None)\n"
        "def test_first(handler):\n"
        "    pass\n"
        "def test_second():\n"
        "    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL\n"
    ))  # fmt: skip
    assert "signal handlers changed since the session started, before test_inner.py::test_first" in result.stdout, \
        result.stdout
    assert "SIGTERM" in result.stdout and "1 passed, 1 error" in result.stdout, result.stdout


def test_a_suite_started_with_sigint_ignored_gives_its_children_ctrl_c(tmp_path: Path) -> None:
    """Started as `python -m pytest &` from a script: SIGINT came in ignored, and every process a test
    started inherited it (the Ctrl-C tests of tests/parse_pool then failed, their children deaf)."""
    result = run_suite(tmp_path, (
        "import signal, subprocess, sys\n"
        "def test_child_hears_ctrl_c():\n"
        "    child = subprocess.run([sys.executable, '-c', 'import signal; print(signal.getsignal(signal.SIGINT))'],\n"
        "                           capture_output=True, text=True, check=True)\n"
        "    assert 'default_int_handler' in child.stdout, child.stdout\n"
    ), sigint_ignored=True)  # fmt: skip
    assert "1 passed" in result.stdout, result.stdout
    assert "SIGINT was ignored when pytest started" in result.stdout, result.stdout
