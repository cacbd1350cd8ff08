"""Only for Scrapyd's deploy tool: `scrapyd-deploy` builds an egg with `setup.py bdist_egg`.

Everything (metadata, packages, the ``scrapy`` entry point naming crawler.settings)
is in pyproject.toml.
"""

from setuptools import setup

setup()
