"""The CRM's hot reads as plain SQL: PostgreSQL builds the JSON, the handler passes it through.

A contact list page or an account's detail screen is what a sales team loads all day. Built
with the ORM, each costs an object per row and a query per relation; here each is one
prepared statement (``UnitOfWork.fetch``) whose rows already are the response's JSON. The
record rule goes in as a condition (``visible_sql``), and row-level security applies as to
any query. Writes stay with the ORM, where the domain rules live.

Each statement names ``tenant_id = $1`` although RLS adds the same condition: it lets the
planner use the (tenant_id, …) indexes directly, and it makes the statement the same text as
the reference the benchmark runs without RLS (bench/crm_scale.py).
"""

# Statements here are put together from this module's fixed fragments; every value the caller
# gives goes in as a parameter ($n), never into the text.
# ruff: noqa: S608

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import MediaType, Response

from tessera.plugin import Actor, SortOrder, check_limit, visible_sql
from tessera_crm.schemas import ContactOut

CONTACT_READ = "crm.contact.read"


#: Columns sent as JSON strings, as the API's msgspec responses send decimals.
AS_TEXT = frozenset({"amount"})


def json_object(alias: str, fields: Sequence[str]) -> str:
    pairs = (f"'{f}', {alias}.{f}{'::text' if f in AS_TEXT else ''}" for f in fields)
    return "json_build_object(" + ", ".join(pairs) + ")"


#: The same fields, in the same order, as :class:`ContactOut` (a test holds them together).
CONTACT_FIELDS: tuple[str, ...] = ContactOut.__struct_fields__
CONTACT_JSON = json_object("c", CONTACT_FIELDS)

#: Sort fields of contact lists, with the SQL type a cursor's value is read back as.
CONTACT_SORTS = {
    "id": "uuid",
    "last_name": "varchar",
    "created_at": "timestamptz",
    "updated_at": "timestamptz",
}


class Params:
    """Positional parameters of a statement being written: ``add`` returns the placeholder."""

    def __init__(self, *values: Any) -> None:
        self.values: list[Any] = list(values)

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"

    def visibility(self, actor: Actor, permission: str, owner_column: str) -> str:
        """The record rule of ``permission`` as a condition on ``owner_column``."""
        sql, values = visible_sql(actor, permission, owner_column, len(self.values) + 1)
        self.values.extend(values)
        return sql


def contact_by_id(visibility: str) -> str:
    return (
        f"SELECT {CONTACT_JSON}::text FROM crm_contact c "
        f"WHERE c.tenant_id = $1 AND c.id = $2 AND {visibility}"
    )


async def contact_json(
    uow: Any, actor: Actor, contact_id: uuid.UUID, permission: str
) -> str | None:
    visibility, values = visible_sql(actor, permission, "c.owner_id", 3)
    found: str | None = await uow.fetch_value(
        contact_by_id(visibility), actor.tenant, contact_id, *values
    )
    return found


@dataclass(frozen=True, slots=True)
class ContactFilters:
    #: A tsquery (see ``records.prefix_query``).
    q: str | None = None
    tag: str | None = None
    owner: uuid.UUID | None = None
    account_id: uuid.UUID | None = None


def contact_conditions(params: Params, visibility: str, filters: ContactFilters) -> list[str]:
    where = ["c.tenant_id = $1", visibility]
    if filters.q:
        where.append(f"c.search_vector @@ to_tsquery('simple'::regconfig, {params.add(filters.q)})")
    if filters.tag:
        where.append(f"c.tags @> ARRAY[{params.add(filters.tag)}]::varchar[]")
    if filters.owner is not None:
        where.append(f"c.owner_id = {params.add(filters.owner)}")
    if filters.account_id is not None:
        where.append(f"c.account_id = {params.add(filters.account_id)}")
    return where


def contact_page_sql(
    params: Params, where: Sequence[str], order: SortOrder, after: Any, limit: int
) -> str:
    """A page of contacts (one row more than ``limit``): JSON, sort value as text, id."""
    column = f"c.{order.name}"
    direction = "DESC" if order.descending else "ASC"
    conditions = list(where)
    if after is not None:
        conditions.append(_beyond(params, order, column, *after))
    return (
        f"SELECT {CONTACT_JSON}::text, {column}::text, c.id FROM crm_contact c "
        f"WHERE {' AND '.join(conditions)} "
        f"ORDER BY {column} {direction} NULLS LAST, c.id {direction} "
        f"LIMIT {check_limit(limit) + 1}"
    )


#: Lists count their rows exactly up to here; beyond, the planner's estimate is given (and
#: marked as one), so a page of a million-row list costs what a page of a small one does.
EXACT_COUNT_LIMIT = 10_000


async def count_contacts(uow: Any, params: Params, where: Sequence[str]) -> tuple[int, bool]:
    """How many contacts match: (count, whether it is an estimate)."""
    conditions = " AND ".join(where)
    exact: int = await uow.fetch_value(
        f"SELECT count(*) FROM (SELECT 1 FROM crm_contact c WHERE {conditions} "
        f"LIMIT {EXACT_COUNT_LIMIT + 1}) s",
        *params.values,
    )
    if exact <= EXACT_COUNT_LIMIT:
        return exact, False
    plan = await uow.fetch_value(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM crm_contact c WHERE {conditions}", *params.values
    )
    estimate = int(json.loads(plan)[0]["Plan"]["Plan Rows"])
    return max(estimate, exact), True


def _beyond(params: Params, order: SortOrder, column: str, value: Any, last_id: uuid.UUID) -> str:
    """Rows after (value, last_id) in ``order``; NULLs last, as :class:`SortOrder` does."""
    later = "<" if order.descending else ">"
    later_id = f"c.id {later} {params.add(last_id)}"
    if order.name == "id":
        return later_id
    if value is None:
        return f"({column} IS NULL AND {later_id})"
    typed = f"CAST({params.add(str(value))}::text AS {CONTACT_SORTS[order.name]})"
    return f"({column} {later} {typed} OR ({column} = {typed} AND {later_id}) OR {column} IS NULL)"


def page_json(
    rows: Sequence[Any], limit: int, order: SortOrder, counted: tuple[int, bool] | None
) -> str:
    """A page response from rows of (JSON, sort value as text, id), one more than ``limit``."""
    visible = rows[:limit]
    cursor = None
    if len(rows) > limit and visible:
        last = visible[-1]
        cursor = order.cursor(last[1], last[2])
    items = ",".join(row[0] for row in visible)
    envelope = f'{{"items":[{items}],"next_cursor":{json.dumps(cursor)}'
    if counted is not None:
        envelope += f',"total":{counted[0]},"total_is_estimate":{json.dumps(counted[1])}'
    return envelope + "}"


def json_response(text: str) -> Response[bytes]:
    return Response(text.encode(), media_type=MediaType.JSON)


ACCOUNT_FIELDS = (
    "id", "name", "website", "email", "phone", "industry", "address", "tags", "notes",
    "owner_id", "created_at", "updated_at",
)  # fmt: skip
DEAL_FIELDS = (
    "id", "name", "account_id", "pipeline_id", "stage_id", "amount", "currency",
    "expected_close", "status", "owner_id", "created_at", "updated_at",
)  # fmt: skip
#: Related lists of a detail screen are capped; the screen links to the full list.
DETAIL_LIST_LIMIT = 50


def account_detail_sql(contact_rule: str, deal_rule: str, account_rule: str) -> str:
    """An account with its owner, contacts and open deals, as one JSON document.

    ``$1`` is the tenant, ``$2`` the account; each rule is a condition on its table's alias
    (``a``, ``c``, ``d``). One statement: a detail screen is one round trip, however many
    related lists it shows.
    """
    return f"""
SELECT json_build_object(
    'account', {json_object("a", ACCOUNT_FIELDS)},
    'owner', (SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email)
                FROM identity_user u WHERE u.id = a.owner_id),
    'contacts', coalesce((
        SELECT json_agg(x.j ORDER BY x.last_name, x.id) FROM (
            SELECT {CONTACT_JSON} AS j, c.last_name, c.id FROM crm_contact c
             WHERE c.tenant_id = $1 AND c.account_id = a.id AND {contact_rule}
             ORDER BY c.last_name, c.id LIMIT {DETAIL_LIST_LIMIT}) x), '[]'),
    'open_deals', coalesce((
        SELECT json_agg(x.j ORDER BY x.expected_close NULLS LAST, x.id) FROM (
            SELECT {json_object("d", DEAL_FIELDS)}::jsonb
                   || jsonb_build_object('stage', s.name, 'probability', s.probability) AS j,
                   d.expected_close, d.id
              FROM crm_deal d JOIN crm_stage s ON s.tenant_id = d.tenant_id AND s.id = d.stage_id
             WHERE d.tenant_id = $1 AND d.account_id = a.id AND d.status = 'open' AND {deal_rule}
             ORDER BY d.expected_close NULLS LAST, d.id LIMIT {DETAIL_LIST_LIMIT}) x), '[]')
)::text
FROM crm_account a
WHERE a.tenant_id = $1 AND a.id = $2 AND {account_rule}
"""


ACCOUNT_DETAIL_REFERENCE = account_detail_sql("true", "true", "true")


async def account_detail_json(
    uow: Any, actor: Actor, account_id: uuid.UUID, permissions: tuple[str, str, str]
) -> str | None:
    """The detail of an account the actor may see; None if there is none such."""
    account_read, contact_read, deal_read = permissions
    params = Params(actor.tenant, account_id)
    contact_rule = params.visibility(actor, contact_read, "c.owner_id")
    deal_rule = params.visibility(actor, deal_read, "d.owner_id")
    account_rule = params.visibility(actor, account_read, "a.owner_id")
    found: str | None = await uow.fetch_value(
        account_detail_sql(contact_rule, deal_rule, account_rule), *params.values
    )
    return found


@dataclass(frozen=True, slots=True)
class Searchable:
    """A kind of record the CRM-wide search looks through."""

    table: str
    permission: str
    #: SQL over the alias ``x``: what the hit is called, and a line about it.
    label: str
    detail: str
    #: Records without an owner (pool leads) are there for everyone who may read the kind.
    unowned_visible: bool = False


SEARCHABLE: dict[str, Searchable] = {
    "account": Searchable("crm_account", "crm.account.read", "x.name", "coalesce(x.email, '')"),
    "contact": Searchable(
        "crm_contact",
        "crm.contact.read",
        "trim(x.first_name || ' ' || x.last_name)",
        "coalesce(x.email, '')",
    ),
    "lead": Searchable(
        "crm_lead",
        "crm.lead.read",
        "trim(x.first_name || ' ' || x.last_name)",
        "coalesce(x.company, x.email, '')",
        unowned_visible=True,
    ),
    "deal": Searchable(
        "crm_deal", "crm.deal.read", "x.name", "x.amount::text || ' ' || x.currency"
    ),
}


def search_sql(params: Params, actor: Actor, query: str, per_kind: int) -> str | None:
    """Hits of every kind the actor may read, best first within each kind; None if no kind.

    ``query`` is a tsquery (``records.prefix_query``). One statement, one GIN lookup per kind.
    """
    tsquery = f"to_tsquery('simple'::regconfig, {params.add(query)})"
    parts = []
    for kind, what in SEARCHABLE.items():
        if not actor.can(what.permission):
            continue
        rule = params.visibility(actor, what.permission, "x.owner_id")
        if what.unowned_visible:
            rule = f"(x.owner_id IS NULL OR {rule})"
        parts.append(
            f"(SELECT '{kind}' AS kind, x.id, {what.label} AS label, {what.detail} AS detail, "
            f"ts_rank(x.search_vector, {tsquery}) AS rank FROM {what.table} x "
            f"WHERE x.tenant_id = $1 AND x.search_vector @@ {tsquery} AND {rule} "
            f"ORDER BY rank DESC, x.id LIMIT {per_kind})"
        )
    return " UNION ALL ".join(parts) if parts else None
