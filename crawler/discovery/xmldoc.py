"""Reading untrusted XML (feeds, sitemaps) safely: gzip, size caps, no entities, recovery.

One parser configuration for every XML document the crawler reads:
- no DTD loading, no entity resolution, no network access (no XXE, no billion laughs);
- ``huge_tree`` off, so libxml2's depth and text-size limits stay in force;
- ``recover`` on, so a truncated or malformed file still yields what it holds, and the
  problem is returned as a short reason that the caller records.
Gzip bodies (``.xml.gz`` sitemaps, or servers that gzip without saying so) are
decompressed up to ``MAX_XML_BYTES``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import lxml.etree

MAX_XML_BYTES = 50 * 1024 * 1024  # decompressed size cap (the sitemap protocol's own limit is 50 MB)
_GZIP_MAGIC = b"\x1f\x8b"


class XmlTooLarge(ValueError):
    """The (decompressed) document is larger than MAX_XML_BYTES."""


@dataclass(slots=True)
class XmlParse:
    """What the parser made of a document: its root (or None) and what went wrong."""

    root: lxml.etree._Element | None
    error: str | None = None  # short reason: "empty", "not_xml", "malformed: ...", "gzip: ..."
    closed: set[lxml.etree._Element] = field(default_factory=set)  # elements whose end tag was read

    def is_complete(self, element: lxml.etree._Element) -> bool:
        """False for an element the parser closed only because the document broke off."""
        return self.error is None or element in self.closed


def gunzip_capped(data: bytes, *, limit: int = MAX_XML_BYTES) -> tuple[bytes, str | None]:
    """Decompress a gzip body up to ``limit`` bytes; the second value says if it was cut short."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = decompressor.decompress(data, limit + 1)
    if len(out) > limit:
        raise XmlTooLarge(f"decompressed size exceeds {limit} bytes")
    return out, None if decompressor.eof else "gzip: truncated stream"


def _parser() -> lxml.etree.XMLPullParser:
    return lxml.etree.XMLPullParser(
        events=("end",),
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> XmlParse:
    """Parse a feed or sitemap body (gzip or plain) without trusting it."""
    gzip_error = None
    if data[:2] == _GZIP_MAGIC:
        try:
            data, gzip_error = gunzip_capped(data)
        except (OSError, EOFError, zlib.error) as exc:
            return XmlParse(None, f"gzip: {exc}")
        except XmlTooLarge as exc:
            return XmlParse(None, f"too_large: {exc}")
    elif len(data) > MAX_XML_BYTES:
        return XmlParse(None, f"too_large: {len(data)} bytes")
    if not data.strip():
        return XmlParse(None, gzip_error or "empty")
    parser = _parser()
    try:
        parser.feed(data)
        closed = {element for _, element in parser.read_events()}
        root = parser.close()
    except lxml.etree.XMLSyntaxError as exc:
        return XmlParse(None, f"not_xml: {exc}")
    errors = [entry for entry in parser.error_log if entry.level >= lxml.etree.ErrorLevels.ERROR]
    if root is None:
        reason = errors[0].message if errors else "no root element"
        return XmlParse(None, f"not_xml: {reason}")
    if errors:
        first = errors[0]
        return XmlParse(root, gzip_error or f"malformed: line {first.line}: {first.message}", closed)
    if root not in closed:
        return XmlParse(root, gzip_error or f"malformed: truncated before </{local_name(root)}>", closed)
    return XmlParse(root, gzip_error, closed)


def local_name(element: lxml.etree._Element) -> str:
    """The tag without its namespace, lower-cased ("{http://...}url" -> "url")."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return lxml.etree.QName(tag).localname.lower()


def child_text(element: lxml.etree._Element, *names: str) -> str | None:
    """Stripped text of the first direct child whose local name is one of ``names``, in order."""
    for name in names:
        for child in element:
            if local_name(child) == name:
                text = "".join(child.itertext()).strip()
                if text:
                    return text
    return None
