"""JSON (never pickle) for everything newscrawl keeps in Redis: requests and items.

scrapy-redis falls back to pickle when ``SCHEDULER_SERIALIZER`` is unset
(``scrapy_redis.picklecompat``), so anyone who can write to the Redis server could run
code in every worker. This module is the serializer the worker's scheduler always uses:
``dumps``/``loads`` turn Scrapy's request dicts (``Request.to_dict``) into JSON and back.

Request dicts hold bytes (body, header names and values) and may hold dicts with
non-string keys (headers). JSON has neither, so they are tagged:

- ``bytes``           -> ``{"$b": "<base64>"}``
- a dict whose keys are not all plain strings, or any key starts with ``$``
                      -> ``{"$d": [[key, value], ...]}`` (keys and values encoded the same way)

Tuples come back as lists. Any other type (a set, a datetime, an object in ``meta``)
raises ``TypeError`` when the request is stored, not later when a worker reads it.

Items: ``dumps_item``/``loads_item`` for ``PageItem`` and ``FailedPage`` (dataclasses)
as ``{"type": "PageItem", "data": {...}}``, and for the WARC archive's index rows a worker
hands to the ingester (``ArchivedResponse``, ``crawler.distributed.archive``).
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from crawler.items import FailedPage, PageItem
from crawler.parsing.result import ParseResult
from crawler.storage.archive import ArchivedResponse

_BYTES = "$b"
_DICT = "$d"


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("$") for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {_DICT: [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    raise TypeError(f"cannot store a {type(value).__name__} in Redis as JSON: {value!r:.80}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1 and _BYTES in value:
            return base64.b64decode(value[_BYTES])
        if len(value) == 1 and _DICT in value:
            return {_hashable(_decode(key)): _decode(item) for key, item in value[_DICT]}
        return {key: _decode(item) for key, item in value.items()}
    return value


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dumps(obj: dict[str, Any]) -> bytes:
    """A request dict (``Request.to_dict()``) as compact JSON bytes."""
    return json.dumps(_encode(obj), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    """The request dict back from ``dumps`` output. Only JSON is ever decoded."""
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    obj = _decode(json.loads(data))
    if not isinstance(obj, dict):
        raise ValueError(f"a stored request must be a JSON object, got {type(obj).__name__}")
    return obj


# --- items ----------------------------------------------------------------------------------
_ITEM_TYPES: dict[str, type] = {"PageItem": PageItem, "FailedPage": FailedPage, "ArchivedResponse": ArchivedResponse}
_NESTED: dict[str, dict[str, type]] = {"PageItem": {"parsed": ParseResult}}


def dumps_item(item: PageItem | FailedPage | ArchivedResponse) -> bytes:
    """An item as JSON bytes: ``{"type": ..., "data": {field: value}}``."""
    type_name = type(item).__name__
    if type_name not in _ITEM_TYPES:
        raise TypeError(f"not an item newscrawl stores: {type_name}")
    payload = {"type": type_name, "data": dataclasses.asdict(item)}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads_item(data: bytes | str) -> PageItem | FailedPage | ArchivedResponse:
    """The item back from ``dumps_item`` output; unknown fields are an error, not ignored."""
    payload = json.loads(data)
    type_name = payload.get("type") if isinstance(payload, dict) else None
    if type_name not in _ITEM_TYPES:
        raise ValueError(f"not a stored newscrawl item: type {type_name!r}")
    fields = dict(payload["data"])
    for name, nested_type in _NESTED.get(type_name, {}).items():
        if fields.get(name) is not None:
            fields[name] = nested_type(**fields[name])
    return _ITEM_TYPES[type_name](**fields)
