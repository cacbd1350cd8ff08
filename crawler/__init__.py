"""newscrawl: crawl news sites' article chains into a searchable SQLite database."""

__version__ = "0.1.0"
