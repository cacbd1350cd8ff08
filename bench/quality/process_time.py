"""Speed in whole processes: each system parses the same pages in a fresh Python process.

The interleaved median of timing.py measures one call on a warm interpreter. A crawler pays
more than that: the imports, the first calls that fill caches, the garbage collector over a
long run. Here each system runs in its own new process over every page (the pages are decoded
and stored once, beforehand, in a pickle the process loads), and the parent reads the child's
CPU seconds (user + system, from ``os.wait4``): interpreter start, imports, loading the pages
and parsing them all. A baseline process that only loads the pages shows the fixed share.
CPU seconds, unlike wall time, hardly move when another process shares the core.

    python -m bench.quality.process_time SYSTEM PAGES.pickle   # the child; SYSTEM may be "baseline"
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.quality.datasets import Page

BASELINE = "baseline"  # loads the pages, parses nothing


@dataclass(frozen=True, slots=True)
class ProcessTiming:
    pages: int
    repeats: int
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # system -> least CPU s of its runs

    def ratio(self, system: str, reference: str) -> float | None:
        if system not in self.cpu_seconds or not self.cpu_seconds.get(reference):
            return None
        return self.cpu_seconds[system] / self.cpu_seconds[reference]


def _cpu_seconds_of_child(system: str, pages_file: Path) -> float:
    """Run one child to its end; its user + system CPU seconds."""
    command = [sys.executable, "-m", "bench.quality.process_time", system, str(pages_file)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def measure_processes(pages: list[Page], systems: list[str], *, repeats: int = 1) -> ProcessTiming:
    """Each system (and the baseline) over ``pages`` in fresh processes, ``repeats`` times each,
    the order of the systems reversed on every other round; the least CPU time of each is kept."""
    documents = [(page.html(), page.url) for page in pages]
    order = [BASELINE, *systems]
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-quality-") as folder:
        pages_file = Path(folder) / "pages.pickle"
        pages_file.write_bytes(pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL))
        for round_index in range(repeats):
            for system in order if round_index % 2 == 0 else reversed(order):
                seconds = _cpu_seconds_of_child(system, pages_file)
                best[system] = min(seconds, best.get(system, seconds))
    return ProcessTiming(len(documents), repeats, best)


def _child(system: str, pages_file: Path) -> None:
    documents = pickle.loads(pages_file.read_bytes())
    if system == BASELINE:
        return
    from bench.quality.systems import run_safely

    for html, url in documents:
        run_safely(system, html, url)


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]))
