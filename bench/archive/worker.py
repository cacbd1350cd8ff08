"""The CPU a distributed worker spends archiving a page, against its own page work, interleaved in one process.

    python -m bench.archive.worker [WARC ...] [--synthetic N] [--rounds R]
    # the pages of the WARC files and N demo-template pages (bench.scale's kind);
    # neither given: ../shared/datasets/warc-samples/fundus-dev-pages.warc.gz

Each page, in turn (the order rotated from page to page, every page ``--rounds`` times):

- ``worker archive``: ``crawler.distributed.archive.WorkerArchiveMiddleware.process_response``:
  the request and response records written to a WARC file, the index row serialized and pushed
  to a local redis-server (RPUSH; the server's own CPU is not counted: it is Redis's machine);
- ``local archive``: a local crawl's ``ArchiveMiddleware``: the same records, the row batched
  into SQLite (for comparison);
- ``page work``: what a worker does with the page besides Scrapy's own machinery: the parse
  and the steps it runs before the push (``parse_fetched`` with ``page_steps``: cleaning,
  validation, language, summary where it is a page step).

CPU is process time per call (the load of a shared machine stretches wall time, not this).
Printed: milliseconds of CPU per page for each and the worker archive's share of
archive + page work, an upper bound of its share of a worker's CPU (Scrapy, Twisted and the
frontier's Redis calls come on top). Issue 13's budget for the archive: <= 10% of crawl time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse

from bench.archive.warcbytes import DEFAULT, exchanges
from bench.scale.run import RedisServer


def _crawler(**settings: Any) -> Any:
    from scrapy.utils.reactor import install_reactor, is_reactor_installed
    from scrapy.utils.test import get_crawler

    from crawler.runner import build_settings

    if not is_reactor_installed():
        install_reactor(build_settings()["TWISTED_REACTOR"])
    return get_crawler(settings_dict={**build_settings(settings).copy_to_dict(), "TWISTED_REACTOR": None})


def _pages(warcs: list[Path], synthetic: int, folder: Path) -> list[tuple[str, bytes]]:
    pages = [(exchange.url, exchange.body) for path in warcs for exchange in exchanges(path)
             if exchange.status == 200 and exchange.body]
    if synthetic:
        from crawler.demo.generate import build_synthetic_site

        root = folder / "site"
        build_synthetic_site(root, synthetic, chain_length=50)
        pages += [(f"http://bench.test/{path.relative_to(root)}", path.read_bytes())
                  for path in sorted(root.rglob("*.html"))]
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warcs", nargs="*", type=Path)
    parser.add_argument("--synthetic", type=int, default=0, help="add N demo-template pages (bench.scale's kind)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from crawler.archive.warc import Response  # noqa: F401 (imports warm before timing)
    from crawler.article import ArticleConfig, ArticlePipeline, Tally, page_steps
    from crawler.article.prepare import FetchedPage, parse_fetched
    from crawler.distributed.archive import WorkerArchiveMiddleware
    from crawler.middlewares.archive import ArchiveMiddleware
    from crawler.runner import build_settings
    from crawler.urls import site_key

    with tempfile.TemporaryDirectory(prefix="bench-archive-worker-") as tmp, RedisServer(Path(tmp)) as redis:
        folder = Path(tmp)
        pages = _pages(args.warcs or ([] if args.synthetic else [DEFAULT]), args.synthetic, folder)
        worker = WorkerArchiveMiddleware.from_crawler(_crawler(
            NEWSCRAWL_REDIS_URL=redis.url, NEWSCRAWL_ARCHIVE_DIR=str(folder / "worker")))
        local = ArchiveMiddleware.from_crawler(_crawler(
            NEWSCRAWL_DB_PATH=str(folder / "news.db"), NEWSCRAWL_ARCHIVE_DIR=str(folder / "local")))
        config = ArticleConfig.from_settings(build_settings())
        steps = ArticlePipeline(config, stats=Tally(), steps=page_steps(), rows=False)

        def page_work(url: str, body: bytes) -> None:
            fetched = FetchedPage(body=body, content_type="text/html; charset=utf-8", fetched_url=url,
                                  response_url=url, http_status=200, fetched_at=datetime.now(UTC), site=site_key(url))
            item = parse_fetched(fetched)
            if not isinstance(item, Exception):
                steps.process(item)

        def archived(middleware: Any) -> Any:
            def run(url: str, body: bytes) -> None:
                response = HtmlResponse(url=url, body=body, request=Request(url),
                                        headers={"Content-Type": "text/html; charset=utf-8"})
                middleware.process_response(response.request, response)
            return run

        measures = {"worker archive": archived(worker), "local archive": archived(local), "page work": page_work}
        names = list(measures)
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(args.rounds):
            for number, (url, body) in enumerate(pages):
                shift = (number + round_number) % len(names)
                for name in names[shift:] + names[:shift]:
                    started = time.process_time()
                    measures[name](url, body)
                    cpu[name].append(time.process_time() - started)
        worker.spider_closed()
        local.spider_closed()
        assert worker.crawler.stats.get_value("newscrawl/archive/records") == len(pages) * args.rounds
        kb = statistics.mean(len(body) for _, body in pages) / 1024
        print(f"{len(pages)} pages (mean {kb:.0f} KB), {args.rounds} rounds, CPU per page in ms (mean / median):")
        for name in names:
            print(f"  {name:15s} {1000 * statistics.mean(cpu[name]):7.2f} / {1000 * statistics.median(cpu[name]):7.2f}")
        share = sum(cpu["worker archive"]) / (sum(cpu["worker archive"]) + sum(cpu["page work"]))
        print(f"worker archive / (worker archive + page work): {share:.1%} (budget: <= 10% of crawl time)")


if __name__ == "__main__":
    main()
