"""The ``accounting.ledger`` service: what inventory, sales and the module's own documents call
to post (docs/modules/erp.md, "accounting.ledger"). It runs in the caller's session and
transaction and trusts the caller's permission checks; the ledger's own rules still hold."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera_accounting import books, posting


class Ledger:
    async def post_entry(
        self, db: AsyncSession, tenant_id: uuid.UUID, entry: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        """Check, number and post ``entry``: ``{"id": UUID, "number": "STJ/2026/00001"}``."""
        posted = await posting.post_new(
            db, tenant_id, await posting.draft_from(db, tenant_id, entry)
        )
        return {"id": posted.id, "number": posted.number}

    async def reverse_entry(
        self, db: AsyncSession, tenant_id: uuid.UUID, entry_id: uuid.UUID, *, date: date, memo: str
    ) -> Mapping[str, Any]:
        """Post the reversing entry of a posted one, dated ``date``: ``{"id", "number"}``."""
        reversal = await posting.reverse(db, tenant_id, entry_id, day=date, memo=memo)
        return {"id": reversal.id, "number": reversal.number}

    async def company_currency(self, db: AsyncSession, tenant_id: uuid.UUID) -> str:
        return await books.company_currency(db, tenant_id)


LEDGER = Ledger()
