from __future__ import annotations

from datetime import date

import pytest

from engine.casework.id_numbers import BadIdNumber, mask, parse_id_number
from engine.casework.names import normalise, similarity
from tests.engine.casework.discovery_lists import id_number


def test_a_valid_number_gives_its_birth_date_and_sex() -> None:
    boy, girl = id_number("20120304", 13), id_number("20120304", 14)
    assert parse_id_number(boy).birth_date == date(2012, 3, 4)
    assert (parse_id_number(boy).sex, parse_id_number(girl).sex) == ("male", "female")
    # full-width digits, spaces and a lower-case x are what people type
    typed = " ".join(boy[:6]) + boy[6:].translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    assert parse_id_number(typed).number == boy
    assert parse_id_number("11010519491231002x").number.endswith("X")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("32108120120304013", "id.length"),
        ("3210812012030401AB", "id.characters"),
        ("321081201302300132", "id.birth-date"),  # 30 February
    ],
)
def test_bad_numbers_say_what_is_wrong(text: str, code: str) -> None:
    with pytest.raises(BadIdNumber) as caught:
        parse_id_number(text)
    assert caught.value.code == code


def test_one_mistyped_digit_fails_the_checksum() -> None:
    good = id_number("20120304", 13)
    wrong = good[:15] + str((int(good[15]) + 1) % 10) + good[16:]
    with pytest.raises(BadIdNumber, match="id.checksum"):
        parse_id_number(wrong)


def test_old_fifteen_digit_numbers_are_upgraded() -> None:
    assert parse_id_number("110105491231002").number == "11010519491231002X"


def test_masking_hides_the_birth_date() -> None:
    assert mask("32108120120304013X") == "321081********013X"


def test_names_compare_across_scripts_widths_and_spaces() -> None:
    assert normalise("陳 曉明") == normalise("陈晓明") == "陈晓明"
    assert normalise("阿依古丽・买买提") == normalise("阿依古丽·买买提")
    assert normalise("ＷＡＮＧ") == "wang"
    assert similarity("陈晓明", "陈小明") == pytest.approx(2 / 3)
    assert similarity("", "陈晓明") == 0.0
