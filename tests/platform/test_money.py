"""Money: each currency rounds to its own minor unit; floats and excess decimals are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tessera.plugin import Invalid, checked_currency, checked_money, currency_step, round_money


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        ("2.345", "CNY", "2.35"),
        ("-2.345", "CNY", "-2.35"),
        ("1234.5", "JPY", "1235"),
        ("1.0005", "KWD", "1.001"),
        ("0.004", "EUR", "0.00"),
    ],
)
def test_amounts_round_half_away_from_zero_to_their_currency(
    amount: str, currency: str, rounded: str
) -> None:
    result = round_money(Decimal(amount), currency)
    assert result == Decimal(rounded)
    assert result.as_tuple().exponent == currency_step(currency).as_tuple().exponent


def test_currencies_are_iso_codes() -> None:
    assert checked_currency(" cny ", "currency") == "CNY"
    for bad in ("XXX", "RMB", "", 12, None):
        with pytest.raises(Invalid, match="not an ISO 4217 currency code"):
            checked_currency(bad, "currency")


def test_money_is_exact_and_counted_in_its_currency() -> None:
    assert checked_money("12.5", "CNY", "amount") == Decimal("12.50")
    assert checked_money(7, "JPY", "amount") == Decimal("7")
    assert checked_money(Decimal("-3"), "CNY", "amount", allow_negative=True) == Decimal("-3.00")
    cases: list[tuple[object, str, str]] = [
        (0.1, "CNY", "not a float"),
        (True, "CNY", "not a float"),
        ("1.005", "CNY", "at most 2 decimal places in CNY"),
        ("10.5", "JPY", "at most 0 decimal places in JPY"),
        ("ten", "CNY", "is not a number"),
        ("NaN", "CNY", "finite"),
        ("-1", "CNY", "must not be negative"),
    ]
    for amount, currency, message in cases:
        with pytest.raises(Invalid, match=message):
            checked_money(amount, currency, "amount")


@pytest.mark.parametrize("amount", ["1e30", "9" * 40, Decimal("1e400")])
def test_amounts_beyond_decimal_precision_are_refused_by_name(amount: object) -> None:
    with pytest.raises(Invalid) as refused:
        checked_money(amount, "CNY", "total")
    assert refused.value.errors[0].field == "total"
