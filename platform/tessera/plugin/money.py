"""Money as every module counts it: ISO 4217 codes, the decimals each is counted in, rounding.

Amounts are ``Decimal`` in Python and NUMERIC in PostgreSQL, never float. A currency's amounts
round to its own minor unit (JPY to whole yen, KWD to fils) half away from zero, as invoices
and bookkeeping programs do. The list is ISO 4217's circulating currencies (funds, precious
metals and test codes left out).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tessera.errors import Invalid

_TWO_DECIMALS = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD
MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP
PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG
"""
_NO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"

#: Currency code -> the decimals its amounts are counted in.
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO_DECIMALS.split(), 2),
    **dict.fromkeys(_NO_DECIMALS.split(), 0),
    **dict.fromkeys(_THREE_DECIMALS.split(), 3),
}


def checked_currency(code: object, field: str) -> str:
    """The ISO 4217 code, upper-cased; 422 naming ``field`` for anything else."""
    normal = code.strip().upper() if isinstance(code, str) else ""
    if normal not in MINOR_UNITS:
        raise Invalid(field, f"{code!r} is not an ISO 4217 currency code")
    return normal


def currency_step(currency: str) -> Decimal:
    """The smallest amount of ``currency``: ``Decimal("0.01")`` for CNY, ``Decimal("1")`` for JPY."""
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def round_money(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded to ``currency``'s minor unit, half away from zero."""
    return amount.quantize(currency_step(currency), rounding=ROUND_HALF_UP)


def checked_money(
    amount: object, currency: str, field: str, *, allow_negative: bool = False
) -> Decimal:
    """An exact amount of ``currency``: a Decimal (or decimal text), finite, with no more
    decimals than the currency counts in; 422 naming ``field`` otherwise.

    Floats are refused: ``0.1`` is not a tenth, and money must not depend on how a client
    happened to print a number.
    """
    if isinstance(amount, (bool, float)):
        raise Invalid(field, 'must be an exact decimal (text such as "12.50"), not a float')
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except ArithmeticError:
        raise Invalid(field, f"{amount!r} is not a number") from None
    if not value.is_finite():
        raise Invalid(field, "must be a finite number")
    if value < 0 and not allow_negative:
        raise Invalid(field, "must not be negative")
    try:
        rounded = round_money(value, currency)
    except ArithmeticError:
        # Beyond the 28 significant digits Decimal rounds in: no real amount is that large.
        raise Invalid(field, "is too large") from None
    if value != rounded:
        raise Invalid(field, f"has at most {MINOR_UNITS[currency]} decimal places in {currency}")
    return rounded
