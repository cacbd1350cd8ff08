"""One module per `newscrawl` command; crawler.cli registers them by name."""
