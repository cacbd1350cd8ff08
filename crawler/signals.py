"""The project's own Scrapy signals (Scrapy's are in ``scrapy.signals``).

pages_storing
    Sent by ``pipelines.store.StoreArticlesPipeline`` just before it commits a batch. The
    crawl state (``spiders/site.py``) writes the marks it still buffers (a URL's ``pending``
    among them) then, so every stored article's URL is in ``crawl_state`` before its row is
    committed: a run killed between the two commits leaves a pending URL whose article is
    stored, which the next run settles (``ArticleStore.close_interrupted_runs``); before, it
    left an article with no state row at all, which no run ever settled.

pages_stored
    Sent by ``pipelines.store.StoreArticlesPipeline`` after a batch is committed, with
    ``articles`` (list of ``ArticleRow``) and ``failures`` (list of failure dicts with
    url, reason, skipped). The crawl state (``spiders/site.py``) marks those URLs done
    only then, so a killed run never records as done a page whose article was not
    written.

redis_failed
    Sent by a worker's component whose Redis call failed because Redis could not be
    reached (``crawler.distributed.keys.REDIS_DOWN``), with ``error``. The worker's
    scheduler counts it as part of the outage and hands back, instead of acknowledging,
    every request it had leased before: their output may not all be in Redis.
"""

pages_storing = object()
pages_stored = object()
redis_failed = object()
