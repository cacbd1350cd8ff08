"""Datasette set-up for `newscrawl serve`: metadata (descriptions, facets, canned queries) and the plugin."""
