"""Scale-out on Redis: a shared frontier for any number of worker processes, one writer.

- ``newscrawl enqueue`` puts start pages, feeds and sitemaps into the frontier
  (``seeding``, ``frontier.LeasedQueue``) and each site's settings into Redis (``sites``);
- ``newscrawl worker`` runs the site crawl's spider without its local state (``spider``)
  with ``scheduler.LeasedRedisScheduler``: it leases requests from the frontier, discovers
  and parses, cleans and validates, and pushes items to a Redis list
  (``pipeline.PushItemsPipeline``);
- ``newscrawl ingest`` drains that list into SQLite in batches through the same furniture,
  de-duplication and store code as a local crawl (``ingest``).

Everything in Redis is JSON (``serializer``); key names live in ``keys``.
"""
