"""Bytes to text: the one place a page's character encoding is decided.

Order (as browsers do): a byte-order mark, then the HTTP Content-Type charset, then a
``<meta charset>`` / ``http-equiv`` declaration in the first 4 KB, then detection
(BeautifulSoup's UnicodeDammit, which tries UTF-8 first and then a statistical guess).
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower())
    except LookupError:
        return None
    # Browsers read pages labelled latin-1/ascii as windows-1252 (WHATWG Encoding standard).
    if codec.name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return codec.name


def declared_encoding(body: bytes, content_type: str | None = None) -> str | None:
    """The encoding the page declares (BOM, header, then meta), or None."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and (name := _known(match.group(1))):
            return name
    match = _META_CHARSET.search(body[:4096])
    if match and (name := _known(match.group(1).decode("ascii", "ignore"))):
        # A page served as bytes but declaring a UTF-16 meta is in fact ASCII-compatible.
        return "utf-8" if name.startswith("utf-16") else name
    return None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode a page's bytes to text; never raises, replaces undecodable bytes."""
    name = declared_encoding(body, content_type)
    if name:
        text = body.decode(name, errors="replace")
        return text[1:] if text.startswith("\ufeff") else text
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from bs4.dammit import UnicodeDammit  # imported here: a tenth of a second, for the rare undeclared non-UTF-8 page

    dammit = UnicodeDammit(body, is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup
    return body.decode("cp1252", errors="replace")
