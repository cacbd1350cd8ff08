"""A Ctrl-C that lands once a command has ended (the second of two, while an interrupted `import`
or `serve` exits) changes neither the exit code nor the output: it ended Python's shutdown in a
traceback, or the process by the signal (exit status -2 instead of 130 or 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.spider.site import PROJECT_ROOT

# The command runs through crawler.cli.main, as `newscrawl` does; Ctrl-C arrives while Python exits.
SCRIPT = """
import atexit, os, signal, sys, time
atexit.register(lambda: (os.kill(os.getpid(), signal.SIGINT), time.sleep(0.3)))
from crawler.cli import main
sys.argv = ["newscrawl", *sys.argv[1:]]
main()
"""


def test_a_ctrl_c_while_the_command_exits_changes_nothing(tmp_path: Path) -> None:
    for arguments, code in ((["--version"], 0), (["runs", "--db", str(tmp_path / "missing.db")], 1)):
        process = subprocess.run([sys.executable, "-c", SCRIPT, *arguments], cwd=PROJECT_ROOT, capture_output=True,
                                 text=True, timeout=60)
        assert process.returncode == code, process.stderr
        assert "KeyboardInterrupt" not in process.stderr and "Traceback" not in process.stderr, process.stderr
