"""Read side of the database for analysts: queries with filters, full-text search, exports, statistics."""
