"""Chinese names compared as people read them: one script, one width, no stray spaces.

Traditional characters are converted to simplified with OpenCC (the reference converter of
the field, `opencc` on PyPI, loaded on first use); full-width letters and digits are made
half-width by Unicode NFKC; the dots of minority and foreign names (·・•‧) become one.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache
from typing import Any

_DOTS = str.maketrans({"・": "·", "•": "·", "‧": "·", "．": "·", "∙": "·"})


@cache
def _converter() -> Any:
    import opencc  # loaded when a list is first compared, not when the app starts

    return opencc.OpenCC("t2s")


def normalise(name: str) -> str:
    """The name in simplified characters, half-width, without spaces, dots unified."""
    text = unicodedata.normalize("NFKC", name).translate(_DOTS)
    text = "".join(ch for ch in text if not ch.isspace())
    if not text.isascii():
        text = str(_converter().convert(text))
    return text.lower()


def similarity(a: str, b: str) -> float:
    """0 (nothing alike) to 1 (the same) for two normalised names or places."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
