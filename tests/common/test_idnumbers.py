"""居民身份证 (GB 11643) and 统一社会信用代码 (GB 32100) validation (DOMAIN A1)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from apps.common.idnumbers import validate_credit_code, validate_resident_id

# Frozen so the birth-date bounds the strategies use cannot drift from the validator's.
TODAY = datetime.date(2026, 11, 22)
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)

# Real county-level codes (some created in 1983–1990: the birth year does not matter).
REGIONS = ["110101", "110105", "310101", "440104", "350102", "510104", "330102", "420102"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_KINDS = ["11", "12", "13", "19", "51", "52", "53", "59", "91", "92", "93"]
USCC_REGIONS = ["110000", "110105", "350100", "350102", "440300", "310115"]


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


def resident_id(region: str, birth: datetime.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def credit_code(kind: str, region: str, org: str) -> str:
    body = f"{kind}{region}{org}"
    return body + uscc.calc_check_digit(body)


valid_resident_ids = st.builds(
    resident_id,
    region=st.sampled_from(REGIONS),
    birth=st.dates(min_value=datetime.date(1896, 11, 22), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
)
valid_credit_codes = st.builds(
    credit_code,
    kind=st.sampled_from(USCC_KINDS),
    region=st.sampled_from(USCC_REGIONS),
    org=st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- 居民身份证 ------------------------------------------------------------------------------


@given(valid_resident_ids)
def test_any_valid_resident_id_passes_a1(number):
    assert validate_resident_id(number) == number
    assert validate_resident_id(f" {number.lower()} ") == number


@given(valid_resident_ids, st.integers(min_value=0, max_value=17), st.integers(1, 10))
def test_any_single_character_change_is_refused_a1(number, position, shift):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = number[position]
    new = alphabet[(alphabet.index(old) + shift) % len(alphabet)]
    if new == old:  # shift == len(alphabet) on the 10-digit positions
        new = alphabet[(alphabet.index(old) + 1) % len(alphabet)]
    changed = number[:position] + new + number[position + 1 :]

    with pytest.raises(ValidationError):
        validate_resident_id(changed)


@given(valid_resident_ids)
def test_wrong_check_digit_message_names_the_18th_character_a1(number):
    wrong = "0123456789X".replace(number[17], "")[0]

    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number[:17] + wrong)

    assert "第18位" in _message(exc)
    assert exc.value.code == "checksum"


@given(
    st.sampled_from(REGIONS),
    st.dates(min_value=TODAY + datetime.timedelta(days=1), max_value=datetime.date(2099, 12, 31)),
    st.integers(0, 999),
)
def test_future_birth_date_is_refused_a1(region, birth, seq):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(resident_id(region, birth, seq))

    assert "晚于今天" in _message(exc)


@given(
    st.sampled_from(REGIONS),
    st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(1896, 11, 21)),
    st.integers(0, 999),
)
def test_birth_more_than_130_years_ago_is_refused_a1(region, birth, seq):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(resident_id(region, birth, seq))

    assert "130" in _message(exc)


def test_exactly_130_years_old_today_is_accepted():
    assert validate_resident_id(resident_id("110105", datetime.date(1896, 11, 22), 1))


@given(
    st.sampled_from(["000000", "990000", "110199", "123456", "350199"]),
    st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2000, 12, 31)),
    st.integers(0, 999),
)
def test_unknown_region_is_refused_a1(region, birth, seq):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(resident_id(region, birth, seq))

    assert "地区码" in _message(exc)


def test_older_citizen_with_a_region_code_newer_than_their_birth_passes_a1():
    """IDs were issued from 1984 with the region code current then (350102 dates from 1983)."""
    number = resident_id("350102", datetime.date(1950, 5, 4), 17)

    assert validate_resident_id(number) == number


@pytest.mark.parametrize(
    ("number", "code", "fragment"),
    [
        ("11010519491231002", "length", "18位"),
        ("1101051949123100211", "length", "18位"),
        ("11010519491231002Y", "format", "最后一位"),
        ("1101051949A231002X", "format", "前17位"),
        ("110105194902300021", "birth_date", "不是有效日期"),
        ("440524188001010014", "birth_date", "130"),  # GB 11643 example, born 1880
    ],
)
def test_malformed_resident_ids_name_the_wrong_part_a1(number, code, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number)

    assert exc.value.code == code
    assert fragment in _message(exc)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "11010519491231002x", "110105 19491231 002X", "350102199001011238"],
)
def test_real_format_resident_ids_pass_a1(number):
    assert validate_resident_id(number) == number.replace(" ", "").upper()


# --- 统一社会信用代码 ------------------------------------------------------------------------


@given(valid_credit_codes)
def test_any_valid_credit_code_passes_a1(code):
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@given(valid_credit_codes, st.integers(1, 30))
def test_changed_check_character_is_refused_and_names_the_18th_a1(code, shift):
    new = USCC_ALPHABET[(USCC_ALPHABET.index(code[17]) + shift) % len(USCC_ALPHABET)]

    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code[:17] + new)

    assert exc.value.code == "checksum"
    assert "第18位" in _message(exc)


@given(valid_credit_codes, st.integers(0, 16), st.integers(1, 30))
def test_any_single_character_change_is_refused_uscc_a1(code, position, shift):
    alphabet = "0123456789" if position < 8 else USCC_ALPHABET
    new = alphabet[(alphabet.index(code[position]) + shift) % len(alphabet)]
    if new == code[position]:
        new = alphabet[(alphabet.index(code[position]) + 1) % len(alphabet)]

    with pytest.raises(ValidationError):
        validate_credit_code(code[:position] + new + code[position + 1 :])


@given(valid_credit_codes, st.integers(8, 17), st.sampled_from("IOZSV"))
def test_forbidden_letters_are_refused_a1(code, position, letter):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code[:position] + letter + code[position + 1 :])

    assert exc.value.code == "format"
    assert letter in _message(exc)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y4", "length"),
        ("9135010AM000100Y43", "format"),
        ("91350100M000100Y44", "checksum"),
    ],
)
def test_malformed_credit_codes_are_refused_a1(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)

    assert exc.value.code == error


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B", "91350100MA2YD3M013"])
def test_real_format_credit_codes_pass_a1(code):
    assert validate_credit_code(code) == code
