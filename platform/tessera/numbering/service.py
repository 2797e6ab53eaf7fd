"""Taking the next number of a series.

The increment is an upsert on the series' row: it locks that row until the transaction ends,
so concurrent takers queue behind one another, and a transaction that rolls back takes its
increment with it. Numbers are therefore unique and gapless, at the price of serialising the
documents of one series and year — which is what a ledger's numbering means.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.db.ids import uuid7
from tessera.numbering.models import DocumentSequence

SERIES = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
#: Digits of the running number; more are used once a year passes 99,999 documents.
WIDTH = 5


async def next_document_number(
    db: AsyncSession, tenant_id: uuid.UUID, series: str, year: int
) -> str:
    """The next number of ``series`` in ``year`` for the tenant: ``"INV/2026/00001"``.

    Call it in the transaction that writes the document, as late as you can: the series stays
    locked for other writers until that transaction ends.
    """
    if not SERIES.fullmatch(series):
        raise ValueError(f"series {series!r} must be 1-10 capital letters or digits")
    if not 1900 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    statement = (
        insert(DocumentSequence)
        .values(id=uuid7(), tenant_id=tenant_id, series=series, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["tenant_id", "series", "year"],
            set_={"last_number": DocumentSequence.last_number + 1},
        )
        .returning(DocumentSequence.last_number)
    )
    number = (await db.execute(statement)).scalar_one()
    return format_number(series, year, number)


def format_number(series: str, year: int, number: int) -> str:
    return f"{series}/{year}/{number:0{WIDTH}d}"


async def last_document_number(
    db: AsyncSession, tenant_id: uuid.UUID, series: str, year: int
) -> int:
    """How many numbers ``series`` has given in ``year`` (0 for none)."""
    last = await db.scalar(
        select(DocumentSequence.last_number).where(
            DocumentSequence.tenant_id == tenant_id,
            DocumentSequence.series == series,
            DocumentSequence.year == year,
        )
    )
    return last or 0
