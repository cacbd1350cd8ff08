"""The project settings for the commands that run no crawl, without importing Scrapy.

`newscrawl import` and `newscrawl reparse` read settings (the pool's size, the article
steps' thresholds, the archive's folder) but run no Scrapy engine. Scrapy's ``Settings``
lives in a package whose import (``scrapy/__init__``: its HTTP classes, spiders, Twisted)
was most of those commands' start-up in their main process (docs/benchmarks.md, "import's
start without Scrapy"). ``ProjectSettings`` reads the same defaults (``crawler/settings.py``,
the one place they are written) with the same overrides on top, and converts values as
Scrapy's ``BaseSettings`` getters do (``tests/cli/test_project_settings.py`` compares the two
on every setting). Anything that runs Scrapy uses ``crawler.runner.build_settings``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import import_module
from typing import Any

SETTINGS_MODULE = "crawler.settings"


class ProjectSettings:
    """crawler/settings.py with overrides, read through Scrapy's getter names and conversions."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        module = import_module(SETTINGS_MODULE)
        self._values: dict[str, Any] = {name: getattr(module, name) for name in dir(module) if name.isupper()}
        self._values.update(overrides or {})

    def __getitem__(self, name: str) -> Any:
        return self._values.get(name)  # None when unset, as Scrapy's

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def get(self, name: str, default: Any = None) -> Any:
        value = self._values.get(name)
        return default if value is None else value

    def getbool(self, name: str, default: bool = False) -> bool:
        value = self.get(name, default)
        try:
            return bool(int(value))
        except ValueError:
            if value in ("True", "true"):
                return True
            if value in ("False", "false"):
                return False
            raise ValueError(f"{name}: supported values for boolean settings are 0/1, True/False, '0'/'1', "
                             f"'True'/'False' and 'true'/'false', not {value!r}") from None

    def getint(self, name: str, default: int = 0) -> int:
        return int(self.get(name, default))

    def getfloat(self, name: str, default: float = 0.0) -> float:
        return float(self.get(name, default))

    def getlist(self, name: str, default: list[Any] | None = None) -> list[Any]:
        value = self.get(name, default or [])
        if not value:
            return []
        return list(value.split(",") if isinstance(value, str) else value)

    def getdict(self, name: str, default: dict[Any, Any] | None = None) -> dict[Any, Any]:
        value = self.get(name, default or {})
        return dict(json.loads(value) if isinstance(value, str) else value)
