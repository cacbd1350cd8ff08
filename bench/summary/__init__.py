"""Summary quality on wcxb-dev: TextRank against lead-3."""
