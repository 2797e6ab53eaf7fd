"""Exchange rates: what one unit of a currency is worth in the company's currency from a date
on. Entered one by one or imported from CSV (``currency,date,rate``), all or nothing; Tessera
never fetches rates from the network."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid, checked_currency, uuid7
from tessera_accounting.models import CurrencyRate

MAX_IMPORT_LINES = 10_000
#: Enough digits for any real rate (NUMERIC(20, 10)).
RATE_LIMIT = Decimal("1e10")


@dataclass(frozen=True, slots=True)
class Rate:
    currency: str
    date: date
    rate: Decimal


def checked_rate(value: object, field: str = "rate") -> Decimal:
    if isinstance(value, (bool, float)):
        raise Invalid(field, 'must be an exact decimal (text such as "7.1234"), not a float')
    try:
        rate = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(field, f"{value!r} is not a number") from None
    if not rate.is_finite() or rate <= 0 or rate >= RATE_LIMIT:
        raise Invalid(field, "must be a positive number below 10,000,000,000")
    if rate != rate.quantize(Decimal("1e-10")):
        raise Invalid(field, "has at most 10 decimal places")
    return rate


def checked_pair(currency: object, company: str, field: str = "currency") -> str:
    code = checked_currency(currency, field)
    if code == company:
        raise Invalid(field, f"{code} is the company's currency: its rate is always 1")
    return code


async def save_rates(db: AsyncSession, tenant_id: uuid.UUID, rates: list[Rate]) -> None:
    """Insert or replace each (currency, date)'s rate."""
    if not rates:
        return
    statement = insert(CurrencyRate).values(
        [
            {
                "id": uuid7(),
                "tenant_id": tenant_id,
                "currency": r.currency,
                "date": r.date,
                "rate": r.rate,
            }
            for r in rates
        ]
    )
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "currency", "date"],
            set_={"rate": statement.excluded.rate, "updated_at": statement.excluded.updated_at},
        )
    )


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    field: str
    message: str


def parse_csv(content: str, company: str) -> tuple[list[Rate], list[LineError]]:
    """Rates of a CSV with the header ``currency,date,rate`` (any order, any case), and the
    errors of every line that is wrong."""
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [name for name in ("currency", "date", "rate") if name not in header]
    if missing:
        raise Invalid("content", f"the first line names the columns; missing: {', '.join(missing)}")
    at = {name: header.index(name) for name in ("currency", "date", "rate")}
    rates: list[Rate] = []
    errors: list[LineError] = []
    seen: dict[tuple[str, date], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if number > MAX_IMPORT_LINES + 1:
            raise Invalid("content", f"at most {MAX_IMPORT_LINES} rates at once")
        try:
            values = {name: cells[index].strip() for name, index in at.items()}
        except IndexError:
            errors.append(LineError(number, "line", "has fewer cells than the header"))
            continue
        try:
            currency = checked_pair(values["currency"], company)
            try:
                day = date.fromisoformat(values["date"])
            except ValueError:
                raise Invalid("date", f"{values['date']!r} is not a date (YYYY-MM-DD)") from None
            rate = checked_rate(values["rate"])
        except Invalid as bad:
            errors.append(LineError(number, bad.errors[0].field, bad.errors[0].message))
            continue
        if (currency, day) in seen:
            errors.append(
                LineError(number, "date", f"repeats line {seen[(currency, day)]}'s {currency} rate")
            )
            continue
        seen[(currency, day)] = number
        rates.append(Rate(currency, day, rate))
    return rates, errors


def import_refusal(errors: list[LineError]) -> Invalid:
    """One 422 naming every wrong line (in ``lines``): nothing is imported."""
    refusal = Invalid("content", f"{len(errors)} line(s) are wrong; nothing was imported")
    refusal.extensions["lines"] = [
        {"line": e.line, "field": e.field, "message": e.message} for e in errors
    ]
    return refusal
