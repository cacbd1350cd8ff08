"""The JSON a page's inline scripts carry: hydration states and data islands, decoded.

Script-built pages ship their data as JSON in one of a few carriers, all read here without
knowing the framework by name:

- a whole script is JSON: ``<script id="__NEXT_DATA__" type="application/json">``, Nuxt 3's
  ``__NUXT_DATA__``, Astro islands, any ``type="application/json"`` block;
- an assignment in a script: ``window.__APOLLO_STATE__ = {...}``, ``window.__INITIAL_STATE__=
  {...};`` (Redux), ``__PRELOADED_STATE__``, ``var data = [...]``: decoded from the ``{`` or
  ``[`` after the ``=`` to where the JSON ends (JavaScript may follow);
- ``JSON.parse("...")``: the string literal, then the JSON inside it.

Two encodings are undone on the way: Nuxt 3's flat table (devalue: every object's values are
indices into one top-level array) is rebuilt into a tree (``hydrate_table``), and a long string
value that is itself JSON (a state serialised twice) is decoded once more by the walker.
JSON-LD is not read here: ``Document.json_ld`` holds it and the field extractors read it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from crawler.parsing.document import Document

MIN_SCRIPT_CHARS = 200  # a shorter script holds no article
MAX_SCRIPT_CHARS = 4_000_000  # script text decoded per page, in all
MAX_STARTS = 40  # assignment starts tried per script (a bundle has thousands of "= {")
MIN_VALUE_CHARS = 200  # a decoded assignment shorter than this is a config object, not a state
TABLE_MAX_NODES = 200_000  # nodes rebuilt from a devalue table (a hostile table cannot loop forever)
_JSON_TYPES = ("application/json", "text/json")
_CODE_TYPES = ("", "text/javascript", "application/javascript", "module")
_ASSIGNMENT = re.compile(r"=\s*(?=[\[{])")
_JSON_PARSE = re.compile(r"JSON\.parse\(\s*(?=\")")
_DECODER = json.JSONDecoder()
_WRAPPER = ("ShallowReactive", "Reactive", "Ref", "ShallowRef", "EmptyRef", "EmptyShallowRef", "NuxtError")


def _script_texts(doc: Document) -> Iterator[tuple[str, bool]]:
    """(text, is whole JSON) of each inline data or code script, within the page budget."""
    budget = MAX_SCRIPT_CHARS
    for script in doc.tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if script.get("src") or (kind not in _JSON_TYPES and kind not in _CODE_TYPES):
            continue
        text = (script.text or "").strip()
        if len(text) < MIN_SCRIPT_CHARS:
            continue
        yield text[:budget], kind in _JSON_TYPES or text[0] in "{["
        budget -= len(text)
        if budget <= 0:
            return


def loads(text: str) -> Any:
    """The JSON value of ``text``, or None when it is not JSON (or nested past the decoder's stack)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _assigned_values(text: str) -> Iterator[Any]:
    """JSON values assigned or handed to JSON.parse in a script, outermost first, none twice."""
    starts = sorted([(m.end(), False) for m in _ASSIGNMENT.finditer(text)][:MAX_STARTS]
                    + [(m.end(), True) for m in _JSON_PARSE.finditer(text)][:MAX_STARTS])
    covered = 0
    for start, quoted in starts:
        if start < covered:
            continue  # inside a value already decoded
        try:
            value, end = _DECODER.raw_decode(text, start)
        except (ValueError, RecursionError):
            continue
        if end - start < MIN_VALUE_CHARS:
            continue
        covered = end
        if quoted:
            value = loads(value) if isinstance(value, str) else None
        if isinstance(value, (dict, list)):
            yield value


def is_table(value: Any) -> bool:
    """A devalue table: a top-level array whose first entry is a wrapper or an object of indices."""
    if not isinstance(value, list) or len(value) < 2:
        return False
    head = value[0]
    if isinstance(head, list) and len(head) == 2 and head[0] in _WRAPPER and isinstance(head[1], int):
        return True
    return isinstance(head, dict) and bool(head) and all(isinstance(v, int) and 0 <= v < len(value) for v in head.values())


def hydrate_table(table: list[Any]) -> Any:
    """The tree a devalue table encodes (objects and arrays hold indices into the table)."""
    built: dict[int, Any] = {}
    count = 0

    def node(index: Any) -> Any:
        nonlocal count
        if not isinstance(index, int) or not 0 <= index < len(table):
            return None
        if index in built:
            return built[index]  # shared or cyclic: the same object
        count += 1
        if count > TABLE_MAX_NODES:
            return None
        raw = table[index]
        if isinstance(raw, dict):
            built[index] = out = {}
            for key, child in raw.items():
                out[key] = node(child)
            return out
        if isinstance(raw, list):
            if len(raw) == 2 and isinstance(raw[0], str) and isinstance(raw[1], int) and raw[0] in _WRAPPER:
                return node(raw[1])
            if raw and isinstance(raw[0], str) and raw[0] == "Date" and len(raw) == 2:
                return raw[1]
            built[index] = items = []
            items.extend(node(child) for child in raw)
            return items
        return raw

    try:
        return node(0)
    except RecursionError:
        return None


def script_payloads(doc: Document) -> list[Any]:
    """Every JSON value the page's inline scripts carry (see the module docstring), in page order."""
    found: list[Any] = []
    for text, whole in _script_texts(doc):
        values = [loads(text)] if whole else list(_assigned_values(text))
        for value in values:
            if is_table(value):
                value = hydrate_table(value)
            if isinstance(value, (dict, list)):
                found.append(value)
    return found
