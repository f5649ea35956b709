"""Number parsing: Arabic, full-width, Chinese numerals, magnitudes; format→parse round trip."""
import math

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.statistics.numbers import format_number, parse_number


@pytest.mark.parametrize("text,value", [
    ("20.04", 20.04), ("1,100", 1100), ("1 707.6", 1707.6), ("10 166.8", 10166.8), ("１２３．５", 123.5),
    ("1.68万亿", 1.68e12), ("3393.1亿", 3.3931e11), ("329.3万", 3293000), ("5500万", 5.5e7),
    ("1,100万", 1.1e7), ("3万4000", 34000), ("4.69 万", 46900), ("1 707.6亿", 1.7076e11), ("3千", 3000),
    ("一千六百", 1600), ("二十万亿", 2e13), ("十五", 15), ("十", 10), ("两", 2), ("一百零五", 105),
    ("一万二", 12000), ("三千五", 3500), ("一亿二千万", 1.2e8), ("二〇二三", 2023), ("-3.5", -3.5),
    ("1.2 million", 1.2e6), ("三十五点五", 35.5), ("二点一", 2.1), ("零点八", 0.8), ("一点五亿", 1.5e8),
])
def test_values(text, value):
    p = parse_number(text)
    assert p is not None and p.value == pytest.approx(value, rel=1e-12)


def test_percent_and_flags():
    p = parse_number("20.04％")
    assert p.value == 20.04 and p.percent
    assert parse_number("百分之五").value == 5 and parse_number("百分之五").percent
    assert parse_number("一千六百").chinese and not parse_number("1600").chinese
    assert parse_number("1.68万亿").magnitude == 10 ** 12


def test_exact_base_units():
    # Decimal arithmetic: no 1.68 * 1e12 rounding noise
    assert parse_number("1.68万亿").value == 1680000000000.0
    assert parse_number("38.8亿").value == 3880000000.0


@pytest.mark.parametrize("text", ["", "abc", "万", "三四千", "12 34", "1,00", "亿亿", "%", "第三", "2023年"])
def test_not_numbers(text):
    assert parse_number(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_never_raises(text):
    parse_number(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789,. 十百千万亿零一二两三四五六七八九%％-负", max_size=20))
def test_never_raises_numberlike(text):
    p = parse_number(text)
    assert p is None or math.isfinite(p.value)


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["plain", "zh"]))
def test_round_trip(value, style):
    p = parse_number(format_number(value, style))
    assert p is not None and p.value == value


@settings(deadline=None)  # CI machines are shared: time limits per example would flake
@given(st.integers(min_value=-10 ** 15, max_value=10 ** 15))
def test_round_trip_ints(n):
    assert parse_number(format_number(n, "zh")).value == n


def test_format_rejects_non_finite():
    with pytest.raises(ValueError):
        format_number(float("nan"))
