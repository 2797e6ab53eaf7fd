"""Search across the CRM: one box that finds accounts, contacts, leads and deals. /api/v1/crm/search."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter

from tessera.plugin import Member, Uow, hot_read
from tessera_crm import reads
from tessera_crm.records import prefix_query

SearchText = Annotated[
    str, QueryParameter(min_length=1, max_length=200, description="Words, or their beginnings")
]
PerKind = Annotated[int, QueryParameter(ge=1, le=50, description="Hits per kind of record")]


class Hit(msgspec.Struct):
    kind: str
    id: uuid.UUID
    label: str
    detail: str
    rank: float


class SearchOut(msgspec.Struct):
    #: Best first within each kind; kinds the caller may not read are left out.
    hits: list[Hit]


class SearchController(Controller):
    path = "/search"
    tags = ["crm"]

    # No single permission: each kind is searched only if its read permission is held.
    @get("/", summary="Find accounts, contacts, leads and deals by words", opt=hot_read())
    async def search(
        self, actor: Member, uow: Uow, q: SearchText, per_kind: PerKind = 10
    ) -> SearchOut:
        params = reads.Params(actor.tenant)
        sql = reads.search_sql(params, actor, prefix_query(q), per_kind)
        if sql is None:
            return SearchOut(hits=[])
        rows = await uow.fetch(sql, *params.values)
        return SearchOut(
            hits=[Hit(r["kind"], r["id"], r["label"], r["detail"], r["rank"]) for r in rows]
        )
