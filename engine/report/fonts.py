"""Fonts that can write Chinese: an embedded TrueType CJK font if one is found, else the
built-in CID font ReportLab ships (STSong-Light), so a report never shows boxes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_ENV = "CAREFORMS_CJK_FONT"
# TrueType-outline CJK fonts Debian and others install (CFF-based OpenType cannot be embedded).
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)
CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True, slots=True)
class ReportFont:
    name: str
    embedded: bool  # a TrueType font embedded in the PDF, or the reader's CID font
    source: str


@cache
def report_font(configured: str | None = None) -> ReportFont:
    """The font for report text: `configured` or $CAREFORMS_CJK_FONT, a known TrueType CJK
    font, else the CID fallback. Registered once per process."""
    chosen = configured or os.environ.get(FONT_ENV)
    for path in ([chosen] if chosen else []) + list(CANDIDATES):
        if not Path(path).is_file():
            continue
        try:
            font = TTFont("CareformsCJK", path, subfontIndex=0)
        except (TTFError, OSError):
            continue
        pdfmetrics.registerFont(font)
        return ReportFont("CareformsCJK", True, path)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return ReportFont(CID_FALLBACK, False, "reportlab built-in CID font")
