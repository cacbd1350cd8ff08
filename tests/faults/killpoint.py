"""`python -m tests.faults.killpoint WHEN ARGS...`: the `newscrawl` command line, SIGKILLed by
itself right after one chosen COMMIT, so a test can place a kill exactly on a transaction
boundary (where a kill by the clock lands once in hundreds of tries).

WHEN is ``any:N`` (the N-th commit of the process, whatever it wrote) or ``articles:N`` (the
N-th commit of a transaction that stored articles: ``ArticleStore.upsert_articles``). Every write path commits through
``crawler.storage.db.transaction``, which ends with ``db.execute("COMMIT")`` on a
``sqlite_utils.Database``: that call is the one counted.

The site spider's 1-second timer that writes its buffered crawl-state marks is stretched to
an hour, as on a machine too busy to run it: the marks then wait for the next stored batch
(or 200 of them), the longest a run can leave them unwritten, so a kill after a commit finds
the state exactly as that commit left it.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import sqlite_utils


def arm(when: str) -> None:
    kind, _, count = when.partition(":")
    if kind not in ("any", "articles") or not count.isdigit():
        raise SystemExit(f"killpoint: WHEN is any:N or articles:N, not {when!r}")
    target = int(count)
    seen = {"commits": 0}
    wrote_articles: set[int] = set()  # ids of the databases whose open transaction wrote articles
    execute = sqlite_utils.Database.execute

    def counting_execute(self: sqlite_utils.Database, sql: str, *args: Any, **kwargs: Any) -> Any:
        statement = sql.lstrip()[:40].upper()
        if statement.startswith("INSERT INTO ARTICLES ") or (statement.startswith("UPDATE ARTICLES ") and "last_seen_at" in sql):
            wrote_articles.add(id(self))  # ArticleStore.upsert_articles (not a link check's UPDATE)
        result = execute(self, sql, *args, **kwargs)
        if statement.startswith("COMMIT"):
            counts = kind == "any" or id(self) in wrote_articles
            wrote_articles.discard(id(self))
            if counts:
                seen["commits"] += 1
                if seen["commits"] == target:
                    os.kill(os.getpid(), signal.SIGKILL)
        elif statement.startswith("ROLLBACK"):
            wrote_articles.discard(id(self))
        return result

    sqlite_utils.Database.execute = counting_execute  # type: ignore[method-assign]
    import spiders.site

    spiders.site.STATE_FLUSH_SECONDS = 3600.0


if __name__ == "__main__":
    arm(sys.argv[1])
    sys.argv = ["newscrawl", *sys.argv[2:]]
    from crawler.cli import main

    main()
