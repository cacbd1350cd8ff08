"""A cap on the attributes of one tag, applied to the HTML text before lxml parses it.

libxml2 (2.14, through lxml) builds a tag's attributes in time quadratic in their
number: a tag with 20,000 distinct attributes holds the parse for seconds, 100,000 for
minutes. No real page comes near: the most in aeb-dev and wcxb-dev is 136. So a tag
with more than ``MAX_ATTRIBUTES`` keeps its first ``MAX_ATTRIBUTES`` and loses the rest.

The scan costs an ordinary page one regular-expression pass (``_SUSPECT``): it stops
only at a tag whose first ``2 * MAX_ATTRIBUTES`` characters hold no ``>`` (a tag with
more attributes is at least that long, since each takes a name character and a
separator) or whose first ``>`` may be inside a quoted value (a tag hiding its length
behind a quoted ``>``). Only there is the tag walked attribute by attribute, the way the
HTML tokenizer reads it: names end at ASCII whitespace, ``/``, ``>`` or ``=``; values
are double-quoted, single-quoted or unquoted. The walk over-counts where it is unsure
(inside a script, a comment or an unclosed quote) and never under-counts, so a long run
of "attributes" after a ``<`` in a script is cut too; the cut keeps the end of the script,
style or comment it ran into (``_ENDINGS``). 37 of the 1,618 dataset pages (aeb-dev,
wcxb-dev) have such a run in a script; ``parse_page`` gives each the same result as
without the cap.

After a tag that is not crowded the scan goes on from the first ``>`` after its start,
never from further on: a ``<`` inside a script or a quoted value cannot make the scan
jump over a real tag.
"""

from __future__ import annotations

import re

MAX_ATTRIBUTES = 256  # attributes kept per tag; the most on a real page seen so far is 136

_WS = r"\t\n\f\r "  # the HTML tokenizer's whitespace (not Unicode's: U+00A0 is a name character to it)
_NAME = rf"(?:=[^{_WS}/>=]*+|[^{_WS}/>=]++)"  # a name may start with "=" (a parse error the tokenizer accepts)
_VALUE = rf"""(?:[{_WS}]*+=[{_WS}]*+(?:"[^"]*+"|'[^']*+'|[^{_WS}>]++))?+"""
_ATTRIBUTE = rf"(?:[{_WS}/]*+{_NAME}{_VALUE})"

# A tag that may hold more than MAX_ATTRIBUTES: no ">" in its first 2 * MAX_ATTRIBUTES characters,
# or a first ">" that may be quoted. If that ">" is inside a value, the last quote of the value's
# kind before it is the one that opened the value, which comes right after "=" and maybe
# whitespace: so that quote follows "=", "=" and one space, or two spaces.
_OPENER = rf"(?<==Q)|(?<==[{_WS}]Q)|(?<=[{_WS}][{_WS}]Q)"
_SUSPECT = re.compile(
    rf"""<[A-Za-z](?=[^>]{{{2 * MAX_ATTRIBUTES}}}|(?>[^>]*")(?:{_OPENER.replace("Q", '"')})"""
    rf"""|(?>[^>]*')(?:{_OPENER.replace("Q", "'")}))"""
)
_HEAD = re.compile(rf"<[A-Za-z][^{_WS}/>]*+{_ATTRIBUTE}{{0,{MAX_ATTRIBUTES}}}+")  # the name and the kept attributes
_REST = re.compile(rf"{_ATTRIBUTE}*+")  # the attributes beyond the cap
# What a cut keeps of them: if the "tag" was a "<" inside a script, a style or a comment,
# the walk ran on to the end of that element; its end must stay, or the rest of the page
# would become script. As attributes these are a few names over and over, which libxml2
# folds into one (duplicates cost it nothing).
_ENDINGS = re.compile(
    r"</(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)|--!?\Z|\]\]\Z", re.IGNORECASE
)


def _end(pattern: re.Pattern[str], html: str, pos: int) -> int:
    """Where ``pattern`` (which cannot fail: it may match nothing) stops when matched at ``pos``."""
    match = pattern.match(html, pos)
    return match.end() if match else pos


def cap_attributes(html: str) -> str:
    """``html`` with every tag cut down to its first ``MAX_ATTRIBUTES`` attributes (the same string if none had more)."""
    pieces: list[str] = []
    kept_from = pos = 0
    while (suspect := _SUSPECT.search(html, pos)) is not None:
        head_end = _end(_HEAD, html, suspect.start())
        rest_end = _end(_REST, html, head_end)
        if rest_end > head_end:
            pieces.append(html[kept_from:head_end])
            pieces.extend(f" {ending.group()}" for ending in _ENDINGS.finditer(html[head_end:rest_end]))
            kept_from = pos = rest_end
        else:
            closing = html.find(">", suspect.start())
            pos = len(html) if closing < 0 else closing + 1
    if not pieces:
        return html
    pieces.append(html[kept_from:])
    return "".join(pieces)
