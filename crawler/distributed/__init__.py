"""Scale-out on Redis: a shared frontier for any number of worker processes, one writer.

- ``newscrawl enqueue`` puts start requests into the frontier (``frontier.LeasedQueue``);
- ``newscrawl worker`` runs the article spider with ``scheduler.LeasedRedisScheduler``:
  it leases requests from the frontier, parses, cleans and validates, and pushes items
  to a Redis list (``pipeline.PushItemsPipeline``);
- ``newscrawl ingest`` drains that list into SQLite in batches through the same store
  code as a local crawl (``ingest``).

Everything in Redis is JSON (``serializer``); key names live in ``keys``.
"""
