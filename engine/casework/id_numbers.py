"""Resident identity numbers (GB 11643-1999): checksum, embedded birth date and sex, masking.

An 18-character number is six digits of the place of registration, eight of the birth date,
three of a sequence (odd for men, even for women) and a check character (ISO 7064 MOD 11-2).
Old 15-digit numbers (two-digit year, no check character) are upgraded to 18.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A checked identity number, with what it says about its holder."""

    number: str  # 18 characters, an upper-case X as the check character
    birth_date: date
    sex: str  # "male" or "female"


class BadIdNumber(ValueError):
    """Why a text is not a valid identity number; `code` is a message key."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code, self.detail = code, detail
        super().__init__(f"{code}: {detail}" if detail else code)


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def clean(text: str) -> str:
    """Full-width digits and X made half-width, spaces and dashes dropped, x made X."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def parse_id_number(text: str) -> IdNumber:
    """The identity number in `text`, checked; BadIdNumber says what is wrong."""
    number = clean(text)
    if len(number) == 15 and number.isdigit():
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_character(first17)
    if len(number) != 18:
        raise BadIdNumber("id.length", str(len(number)))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise BadIdNumber("id.characters")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise BadIdNumber("id.birth-date", number[6:14]) from exc
    if born.year < 1900:
        raise BadIdNumber("id.birth-date", number[6:14])
    if check_character(number[:17]) != number[17]:
        raise BadIdNumber("id.checksum")
    return IdNumber(number, born, "male" if int(number[16]) % 2 else "female")


def mask(number: str) -> str:
    """The place of registration and the last four characters; the birth date hidden."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
