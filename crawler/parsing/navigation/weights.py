"""What each piece of navigation evidence adds to a block's score (``crawler.parsing.navigation``).

Kept apart so that the candidate search (blocks.py) can tell, before reading a link closely,
that no evidence could lift its block to ``MIN_SCORE``.
"""

from __future__ import annotations

from crawler.parsing.navigation import labels

MIN_SCORE = 3.0  # a block below this is not taken for the chain
REL = labels.REL
URL_ORDER = 2.0
URL_DISORDER = -2.0  # both URLs on one side of the page
LABEL_SHAPE = 2.0
AFTER_BODY = 1.0
IN_BODY = -3.0
HEADING = -2.5
FURNITURE = -2.0  # in the page's header or footer
MIRRORED = 1.0  # two slots of one tag whose classes differ by one token, or a single's empty twin
MIRRORED_ALIKE = 0.5  # two slots of one tag with the same classes
SINGLE_URL_ORDER = 0.5  # a lone link's date or id gives its direction, little more
SINGLE_URL_DISORDER = -1.0  # ... and says little against a label: ids are not always in order
SINGLE_LABEL_SHAPE = 1.0  # a lone link's slot shows a label and a headline
HEAD_REL = 3.0

# The most a single without a rel attribute can score before its place counts: the strongest
# hint, its URL in order, a label and a headline, an empty twin beside it.
SINGLE_CEILING = labels.STRONGEST + SINGLE_URL_ORDER + SINGLE_LABEL_SHAPE + MIRRORED
