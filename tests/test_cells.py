import datetime as dt

import pytest

from tjsl_eval.inputs import cells


@pytest.mark.parametrize(
    "typed, expected",
    [
        (12_500_000, 12_500_000.0),
        ("Rp 12.500.000", 12_500_000.0),
        ("Rp12.500.000,-", 12_500_000.0),
        ("12.500.000,50", 12_500_000.5),
        ("12,500,000", 12_500_000.0),
        ("12,500,000.50", 12_500_000.5),
        ("  7500000 ", 7_500_000.0),
        ("12.500", 12_500.0),
        ("1,5", 1.5),
    ],
)
def test_money_as_typed(typed, expected):
    assert cells.parse_money(typed) == expected


@pytest.mark.parametrize("typed", ["dua juta", "Rp", "12..500", "12.50.000", "1.234,567.8", "", "12,"])
def test_money_rejects_non_numbers(typed):
    with pytest.raises(cells.CellError):
        cells.parse_money(typed)


def test_plain_number_with_three_decimals_is_ambiguous():
    with pytest.raises(cells.CellError, match="ambiguous"):
        cells.parse_number("1.500")
    assert cells.parse_number("1,25") == 1.25
    assert cells.parse_number("1.500.000") == 1_500_000


@pytest.mark.parametrize(
    "typed",
    [
        dt.datetime(2023, 1, 17),
        dt.date(2023, 1, 17),
        "17/01/2023",
        "2023-01-17",
        "17 Januari 2023",
        "17 january 2023",
        "17 Jan 2023",
        "17-01-2023",
        "2023-01-17 00:00:00",
    ],
)
def test_dates_as_typed(typed):
    assert cells.parse_date(typed) == dt.date(2023, 1, 17)


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("31/02/2023", "not a real"),
        ("17 Foo 2023", "unknown month"),
        ("kemarin", "not a date"),
        ("1900-01-01", "outside"),
        ("2200-01-01", "outside"),
        (44943, "not a date"),
    ],
)
def test_bad_dates(typed, reason):
    with pytest.raises(cells.CellError, match=reason):
        cells.parse_date(typed)


def test_integers_percent_and_sdgs():
    assert cells.parse_integer(2023.0) == 2023
    assert cells.parse_integer(" 2023 ") == 2023
    with pytest.raises(cells.CellError):
        cells.parse_integer(2023.5)
    assert cells.parse_percent("20 %") == 20
    assert cells.parse_percent(0.2, excel_percent_format=True) == 20
    assert cells.parse_sdgs("12; 8,11, 8") == (8, 11, 12)
    assert cells.parse_sdgs(8.0) == (8,)
    with pytest.raises(cells.CellError):
        cells.parse_sdgs("8;18")


def test_text_and_tokens():
    assert cells.parse_text("  Bank Sampah  ") == "Bank Sampah"
    assert cells.parse_text(12.0) == "12"
    assert cells.normalize_token(" Nama - Kelompok ") == "nama_kelompok"
    assert cells.is_blank("   ") and cells.is_blank(None) and cells.is_blank(float("nan"))
    assert not cells.is_blank(0)
