"""Throughput on one machine: the bare Scrapy ceiling, a hand-built baseline and newscrawl.

``make bench-throughput`` (or ``python -m bench.throughput``): see README.md.
"""
