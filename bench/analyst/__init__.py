"""Analyst benchmarks: search latency and export memory on generated databases (make bench-analyst)."""
