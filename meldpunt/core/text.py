"""Showing text that people wrote."""

import re

# Bidirectional embedding, override and isolate controls (U+202A to U+202E, U+2066 to U+2069): in a
# file name or message they can make "gnp.exe" read as "exe.png". Shown as U+FFFD instead, so
# the reader sees the text in its real order and that something was there.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def neutralise_bidi(text: object) -> str:
    """The text with every bidirectional control replaced by U+FFFD; "" for None."""
    if text is None:
        return ""
    return _BIDI_CONTROLS.sub(REPLACEMENT, str(text))
