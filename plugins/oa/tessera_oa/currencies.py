"""Money as expenses take it: ISO 4217 currency codes and amounts in cents.

Tessera keeps no exchange rates, so amounts are never converted or added across currencies.
The list is ISO 4217's circulating currencies (funds, precious metals and test codes left out),
each with the decimals it is counted in where that is not two.
"""

from __future__ import annotations

from decimal import Decimal

from tessera.plugin import Invalid

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
#: Amounts carry at most two decimals (cents), and no more than their currency counts.
MAX_DECIMALS = 2
#: Ten billion less a cent: far above any expense, well within NUMERIC(14, 2).
MAX_AMOUNT = Decimal("9999999999.99")
CENT = Decimal("0.01")


def checked_currency(code: str, field: str) -> str:
    """The ISO 4217 code, upper-cased; 422 naming ``field`` for anything else."""
    normal = code.strip().upper()
    if normal not in MINOR_UNITS:
        raise Invalid(field, f"{code!r} is not an ISO 4217 currency code")
    return normal


def checked_amount(
    amount: Decimal, currency: str, field: str, *, allow_zero: bool = False
) -> Decimal:
    """A positive amount (or zero, if allowed) of ``currency``, with at most two decimals and
    no more than the currency counts in; 422 naming ``field`` otherwise."""
    lowest = "0" if allow_zero else "more than 0"
    if (
        not amount.is_finite()
        or amount > MAX_AMOUNT
        or amount < 0
        or (amount == 0 and not allow_zero)
    ):
        raise Invalid(field, f"must be {lowest} and at most {MAX_AMOUNT}")
    decimals = min(MAX_DECIMALS, MINOR_UNITS.get(currency, MAX_DECIMALS))
    if amount != amount.quantize(Decimal(1).scaleb(-decimals)):
        raise Invalid(field, f"has at most {decimals} decimal places in {currency}")
    return amount.quantize(CENT)


def money(amount: Decimal) -> str:
    """An amount as exact text with two decimals, as events and reports carry it."""
    return str(Decimal(amount).quantize(CENT))
