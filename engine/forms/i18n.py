"""Languages and localised text. zh-CN is the first language, English the second."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

LocalText = Mapping[str, str]


def pick(text: LocalText | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text in `lang`, falling back to the other known languages, then to any."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if lang in text:
        return text[lang]
    for other in LANGUAGES:
        if other in text:
            return text[other]
    return next(iter(text.values()), "")


def first_word(text: LocalText | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The first word of the text in `lang` ("红色" of "红色 高风险"): what tables and lists
    show of a band's label."""
    return pick(text, lang).split(" ")[0]


def display_width(text: str) -> int:
    """Terminal columns `text` takes: CJK (East Asian wide/fullwidth) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` terminal columns: cut with "…" when too wide, else padded."""
    if display_width(text) <= width:
        return pad(text, width)
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return pad(out + "…", width)
