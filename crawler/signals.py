"""The project's own Scrapy signals (Scrapy's are in ``scrapy.signals``).

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

pages_stored = object()
redis_failed = object()
