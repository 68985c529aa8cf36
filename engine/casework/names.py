"""Chinese names compared as people read them: one script, one width, no stray spaces.

Traditional characters are converted to simplified with OpenCC (the reference converter of
the field, `opencc` on PyPI, loaded on first use); full-width letters and digits are made
half-width by Unicode NFKC; the dots of minority and foreign names (·・•‧) become one.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from typing import Any

_DOTS = str.maketrans({"・": "·", "•": "·", "‧": "·", "．": "·", "∙": "·"})


@cache
def _converter() -> Any:
    import opencc  # loaded when a list is first compared, not when the app starts

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)  # villages and surnames repeat through a list
def normalise(name: str) -> str:
    """The name in simplified characters, half-width, without spaces, dots unified."""
    text = unicodedata.normalize("NFKC", name).translate(_DOTS)
    text = "".join(ch for ch in text if not ch.isspace())
    if not text.isascii():
        text = str(_converter().convert(text))
    return text.lower()


def similarity(a: str, b: str) -> float:
    """0 (nothing alike) to 1 (the same) for two normalised names or places: the characters
    they share (Dice's coefficient). In Chinese every character carries meaning, so shared
    characters are what a reader compares; and it costs a microsecond, where an edit
    distance over a whole register would cost seconds."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    rest, shared = list(b), 0
    for ch in a:  # names and places are short: a list beats a Counter here
        if ch in rest:
            rest.remove(ch)
            shared += 1
    return 2 * shared / (len(a) + len(b))


@lru_cache(maxsize=65536)
def spelling(name: str) -> tuple[str, str]:
    """The name in pinyin without tones, and its initials: 王小明 → ("wangxiaoming", "wxm")
    (pypinyin, imported on first use), for finding a child as the worker types."""
    from pypinyin import lazy_pinyin

    syllables = [s.lower() for s in lazy_pinyin(name) if s.strip()]
    return "".join(syllables), "".join(s[:1] for s in syllables)
