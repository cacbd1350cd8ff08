"""SQLite storage: the schema (as idempotent migrations) and the one writer API."""

from crawler.storage.db import NotANewscrawlDatabase, open_database
from crawler.storage.schema import SCHEMA_VERSION, migrate
from crawler.storage.store import ArticleStore, UpsertOutcome

__all__ = [
    "ArticleStore",
    "NotANewscrawlDatabase",
    "SCHEMA_VERSION",
    "UpsertOutcome",
    "migrate",
    "open_database",
]
