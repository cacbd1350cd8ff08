"""The project's own Scrapy signals (Scrapy's are in ``scrapy.signals``).

pages_stored
    Sent by ``pipelines.store.StoreArticlesPipeline`` after a batch is committed, with
    ``articles`` (list of ``ArticleRow``) and ``failures`` (list of failure dicts with
    url, reason, skipped). The crawl state (``spiders/site.py``) marks those URLs done
    only then, so a killed run never records as done a page whose article was not
    written.
"""

pages_stored = object()
