"""Issue 17's targets for rendering, measured on local sites: ``python -m bench.render``.

    python -m bench.render [--articles 40] [--repeat 5] [--pages 500] [--only a,b,c,d]

(a) A script-built site (``crawler.demo.scriptsite``: every article page is a shell whose script
    fetches the article from a JSON API and writes its body and prev/next links), crawled with
    ``--render auto`` from the middle article: articles stored, bodies and titles right, chain
    rows right, links confirmed both ways.
(b) The demo site (what ``make demo`` crawls), ``--render never`` and ``--render auto`` side by
    side, alternating which goes first, ``--repeat`` times each: pages rendered under auto, and
    the crawl rate (pages per second of the crawl, and the command's wall time) auto / never.
(c) ``--render always`` on a script-built site of ``--pages`` + 20 articles, entered at every 20th
    article: rendered pages per second between the 50th and the last rendered page, and the
    memory of the crawl's whole process tree (the crawl, Playwright's driver, every Chromium
    process) sampled every 0.2 s: RSS (and PSS, which counts shared pages once) when the 50th
    and the ``--pages``-th page had been rendered, and the ratio.
(d) The page that reaches for a private address (127.0.0.2) by fetch, image, frame, WebSocket,
    beacon, script, popup, worker and a redirect: requests that reached it.

Each crawl is a ``newscrawl crawl`` subprocess with the local-site settings. The machine's load
average is printed before and after: the machine is shared, compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.demo.scriptsite import ScriptSite, paragraphs_of, title_of
from crawler.demo.server import DemoSite
from crawler.runner import local_site_settings

SAMPLE_SECONDS = 0.2


@dataclass
class Run:
    exit_code: int
    wall: float
    summary: dict[str, Any]
    stats: dict[str, int]
    samples: list[tuple[float, int, int, int]] = field(default_factory=list)  # (time, rendered so far, RSS kB, PSS kB)
    cpu: float = 0.0  # user + system seconds of the crawl process and the children it reaped (wait4)


def _command(urls: list[str], db: Path, render: str, settings: dict[str, Any] | None = None) -> list[str]:
    command = [sys.executable, "-m", "crawler", "crawl", *urls, "--db", str(db), "--json-logs", "--render", render]
    for name, value in {**local_site_settings(), **(settings or {})}.items():
        command += ["--set", f"{name}={','.join(map(str, value)) if isinstance(value, (list, tuple)) else value}"]
    return command


def _stats(stderr: str) -> dict[str, int]:
    for line in stderr.splitlines():
        if "Dumping Scrapy stats" in line:
            return {name: int(value) for name, value in re.findall(r"'([^']+)': (\d+)[,}]", line)}
    return {}


def _summary(stdout: str) -> dict[str, Any]:
    for line in stdout.splitlines():
        if line.startswith("{") and '"summary"' in line:
            return json.loads(line)
    return {}


def _tree(root: int) -> list[int]:
    """``root`` and every process below it (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return tree


def _memory_kb(pids: list[int]) -> tuple[int, int]:
    """Summed RSS and PSS (kB) of the processes."""
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def crawl(urls: list[str], db: Path, render: str, settings: dict[str, Any] | None = None,
          progress: Any = None) -> Run:  # fmt: skip
    """One crawl; with ``progress`` (() -> pages rendered so far), the process tree's memory is sampled."""
    started = time.monotonic()
    process = subprocess.Popen(_command(urls, db, render, settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output: dict[str, str] = {}
    readers = [threading.Thread(target=lambda name=name, stream=stream: output.__setitem__(name, stream.read()))
               for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))]  # fmt: skip
    for reader in readers:
        reader.start()
    samples = []
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if progress is not None:
            samples.append((time.monotonic() - started, progress(), *_memory_kb(_tree(process.pid))))
        time.sleep(SAMPLE_SECONDS)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return Run(process.returncode, wall, _summary(output["stdout"]), _stats(output["stderr"]), samples,
               usage.ru_utime + usage.ru_stime)  # fmt: skip


def script_site(articles: int, folder: Path) -> bool:
    """(a): every article of a script-built site stored, bodies right, chains followed."""
    with ScriptSite(articles=articles) as site:
        run = crawl([site.url(f"/a/{articles // 2}.html")], folder / "a.db", "auto")
    conn = sqlite3.connect(folder / "a.db")
    rows = {url: rest for url, *rest in conn.execute("SELECT url, title, body, prev_url, next_url FROM articles")}
    conn.close()
    urls = [site.url(f"/a/{k}.html") for k in range(1, articles + 1)]
    bodies = sum(1 for k, url in enumerate(urls, 1) if url in rows and rows[url][1] == "\n\n".join(paragraphs_of(str(k))))
    titles = sum(1 for k, url in enumerate(urls, 1) if url in rows and rows[url][0] == title_of(str(k)))
    chain = sum(1 for index, url in enumerate(urls) if url in rows and tuple(rows[url][2:]) == (
        urls[index - 1] if index else None, urls[index + 1] if index + 1 < articles else None))  # fmt: skip
    stored = sum(url in rows for url in urls)
    confirmed = run.stats.get("newscrawl/chain/confirmed", 0)
    print(f"\n(a) script-built site, {articles} articles, --render auto from /a/{articles // 2}.html (exit {run.exit_code}, {run.wall:.1f} s)")
    print("| stored | bodies right | titles right | prev/next rows right | links confirmed | shells found | pages rendered |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {stored}/{articles} | {bodies}/{articles} | {titles}/{articles} | {chain}/{articles} | {confirmed}/{2 * (articles - 1)} "
          f"| {run.stats.get('newscrawl/render/shells', 0)} | {run.stats.get('newscrawl/render/pages', 0)} |")  # fmt: skip
    return stored == bodies == chain == articles and confirmed == 2 * (articles - 1)


def _rate(run: Run) -> float:
    """Pages fetched per second of the crawl (from the engine's start; no process start-up)."""
    return run.stats.get("response_received_count", 0) / max(run.summary.get("elapsed_seconds", 0), 1e-9)


def auto_cost(site: DemoSite) -> tuple[float, float]:
    """What ``auto`` adds to a page the ordinary path has parsed, in CPU seconds, measured in this
    process (the load of the machine hardly changes it): an article page (RenderMiddleware's
    look-ups and the download handler's dispatch) and a page that is no article (the shell check:
    one more parse of its HTML), on a demo article and the demo's home page."""
    from types import SimpleNamespace
    from urllib.request import urlopen

    from scrapy import Request
    from scrapy.http import HtmlResponse

    from crawler.parse_pool import PAGE_KEY
    from crawler.render.middleware import RenderMiddleware

    class Spider:
        def parse(self, response: Any) -> None: ...

    spider = Spider()
    middleware = RenderMiddleware(SimpleNamespace(spider=spider, stats=None), "auto")
    costs = []
    publisher = site.publishers[0]
    for url, is_article, rounds in ((site.middle_url(publisher), True, 20000), (site.base_url(publisher), False, 50)):
        with urlopen(url) as answer:  # noqa: S310 - the demo on 127.0.0.1
            body = answer.read()
        request = Request(url, callback=spider.parse, meta={PAGE_KEY: SimpleNamespace(parsed=SimpleNamespace(is_article=is_article))})
        response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=request)
        started = time.process_time()
        for _ in range(rounds):
            middleware.process_request(request)
            assert middleware.process_response(request, response) is response and not request.meta.get("playwright")
        costs.append((time.process_time() - started) / rounds)
    return costs[0], costs[1]


def demo_rate(repeat: int, folder: Path) -> bool:
    """(b): auto on the demo renders nothing and crawls within 5% of never."""
    runs: dict[str, list[Run]] = {"never": [], "auto": []}
    with DemoSite() as site:
        starts = [site.middle_url(key) for key in site.publishers]
        article_cost, other_cost = auto_cost(site)
        for index in range(repeat):
            for mode in (("never", "auto") if index % 2 == 0 else ("auto", "never")):
                runs[mode].append(crawl(starts, folder / f"b-{mode}-{index}.db", mode))
    print(f"\n(b) the demo site ({len(site.articles())} articles), never and auto side by side, {repeat} runs each, alternating")
    print("| mode | pages (median) | crawl pages/s (median) | wall s (median) | CPU s of the crawl process (median) | pages rendered (all runs) | browsers started |")
    print("|---|---|---|---|---|---|---|")
    medians = {}
    for mode, done in runs.items():
        rate = statistics.median(_rate(run) for run in done)
        wall = statistics.median(run.wall for run in done)
        medians[mode] = (rate, wall)
        pages = statistics.median(run.stats.get("response_received_count", 0) for run in done)
        rendered = sum(run.stats.get("newscrawl/render/requested", 0) for run in done)
        browsers = sum(run.stats.get("playwright/browser_count", 0) for run in done)
        cpu = statistics.median(run.cpu for run in done)
        print(f"| {mode} | {pages:.0f} | {rate:.1f} | {wall:.2f} | {cpu:.2f} | {rendered} | {browsers} |")
    pairs = [_rate(a) / _rate(n) for a, n in zip(runs["auto"], runs["never"])]
    walls = [n.wall / a.wall for a, n in zip(runs["auto"], runs["never"])]
    cpus = [n.cpu / a.cpu for a, n in zip(runs["auto"], runs["never"])]
    print(f"auto / never crawl rate: median of pairs {statistics.median(pairs):.3f} (pairs {', '.join(f'{p:.3f}' for p in pairs)}); "
          f"by wall time {statistics.median(walls):.3f}; CPU never / auto {statistics.median(cpus):.3f}")  # fmt: skip
    per_page = statistics.median(run.cpu / max(run.stats.get("response_received_count", 1), 1) for run in runs["never"])
    print(f"what auto adds, measured in-process: {1e6 * article_cost:.1f} µs of CPU per article page "
          f"({100 * article_cost / per_page:.3f}% of never's {1000 * per_page:.1f} ms of CPU per page, start-up included), "
          f"{1000 * other_cost:.2f} ms per page that is no article (the shell check parses it once more)")  # fmt: skip
    rendered = sum(run.stats.get("newscrawl/render/requested", 0) for run in runs["auto"])
    return rendered == 0 and article_cost < 0.05 * per_page


def render_rate(pages: int, folder: Path) -> bool:
    """(c): rendered pages per second, and the process tree's memory after 50 and ``pages`` renders."""
    articles = pages + 20
    with ScriptSite(articles=articles) as site:
        def rendered() -> int:
            return sum(1 for path in list(site.hits) if path.startswith("/api/"))

        starts = [site.url(f"/a/{k}.html") for k in range(1, articles + 1, 20)]
        run = crawl(starts, folder / "c.db", "always", progress=rendered)
    first = {}
    for mark in (50, pages):
        first[mark] = next((sample for sample in run.samples if sample[1] >= mark), None)
    cores = os.cpu_count()
    print(f"\n(c) --render always, {articles} script-built articles entered at every 20th (exit {run.exit_code}, {run.wall:.1f} s, "
          f"{run.stats.get('newscrawl/render/pages', 0)} pages rendered, {run.stats.get('newscrawl/render/contexts_closed', 0)} contexts "
          f"closed, {cores} cores)")  # fmt: skip
    if first[50] is None or first[pages] is None:
        print("the crawl rendered fewer pages than asked")
        return False
    (t50, n50, rss50, pss50), (tn, nn, rssn, pssn) = first[50], first[pages]
    peak50 = max(sample[2] for sample in run.samples if sample[1] <= n50)
    peakn = max(sample[2] for sample in run.samples if sample[1] <= nn)
    done = max(run.stats.get("newscrawl/render/pages", 0), 1)
    print(f"rendered pages per second from the {n50}th to the {nn}th page: {(nn - n50) / (tn - t50):.2f}; CPU of the crawl and the "
          f"processes it reaped (Playwright's driver, Chromium): {run.cpu:.0f} s, {run.cpu / done:.2f} s per rendered page")  # fmt: skip
    print("| memory of the process tree | after 50 pages | after {0} pages | ratio |".format(pages))
    print("|---|---|---|---|")
    print(f"| RSS, MB | {rss50 / 1024:.0f} | {rssn / 1024:.0f} | {rssn / rss50:.2f} |")
    print(f"| PSS, MB | {pss50 / 1024:.0f} | {pssn / 1024:.0f} | {pssn / pss50:.2f} |")
    print(f"| peak RSS so far, MB | {peak50 / 1024:.0f} | {peakn / 1024:.0f} | {peakn / peak50:.2f} |")
    return rssn / rss50 <= 1.3


def private_hits(folder: Path) -> bool:
    """(d): requests from the browser that reached a blocked address."""
    with ScriptSite() as site:
        run = crawl([site.url("/ssrf.html")], folder / "d.db", "always", settings={"ALLOWED_NETWORKS": "127.0.0.1/32"})
        hits = list(site.private_hits)
    refused = {name.removeprefix("newscrawl/render/refused/"): value for name, value in run.stats.items()
               if name.startswith("newscrawl/render/refused/")}  # fmt: skip
    print(f"\n(d) requests that reached 127.0.0.2 from the rendered page: {len(hits)} {hits or ''} (exit {run.exit_code}); refused: {refused}")
    return not hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="(a): articles of the script-built site (default 40)")
    parser.add_argument("--repeat", type=int, default=5, help="(b): crawls of the demo per mode (default 5)")
    parser.add_argument("--pages", type=int, default=500, help="(c): rendered pages to measure memory after (default 500)")
    parser.add_argument("--only", default="a,b,c,d", help="which parts to run (default a,b,c,d)")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())} ({os.cpu_count()} cores)")
    met = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for part, run in (("a", lambda: script_site(args.articles, folder)), ("b", lambda: demo_rate(args.repeat, folder)),
                          ("c", lambda: render_rate(args.pages, folder)), ("d", lambda: private_hits(folder))):  # fmt: skip
            if part in parts:
                met[part] = run()
    print(f"\nload average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print("targets met: " + ", ".join(f"({part}) {'yes' if ok else 'NO'}" for part, ok in met.items()))
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
