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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from litestar import MediaType, Response

from tessera.plugin import (
    Actor,
    SortOrder,
    TimelineCursor,
    TimelineEntry,
    check_limit,
    newest_first,
    visible_sql,
)
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


#: The record rule of a permission as a condition on an owner column: ``rule(perm, "x.owner_id")``.
Rule = Callable[[str, str], str]


def everything(permission: str, owner_column: str) -> str:
    """The rule of someone who sees every record (the benchmark's reference runs with it)."""
    return "true"


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

    def rules_of(self, actor: Actor) -> Rule:
        """The actor's record rules, their parameters added here as they are used."""
        return lambda permission, owner_column: self.visibility(actor, permission, owner_column)


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
    """How many contacts match: (count, whether it is an estimate).

    The planner's estimate first (no rows read): when it is beyond the exact limit, that is
    the answer. Otherwise the rows are counted, up to the limit.
    """
    conditions = " AND ".join(where)
    plan = await uow.fetch_value(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM crm_contact c WHERE {conditions}", *params.values
    )
    # Text from a plain connection; already decoded on one where SQLAlchemy registered its
    # JSON codec (a request with an API token takes the ORM's connection).
    explained = json.loads(plan) if isinstance(plan, str) else plan
    estimate = int(explained[0]["Plan"]["Plan Rows"])
    if estimate > EXACT_COUNT_LIMIT:
        return estimate, True
    exact: int = await uow.fetch_value(
        f"SELECT count(*) FROM (SELECT 1 FROM crm_contact c WHERE {conditions} "
        f"LIMIT {EXACT_COUNT_LIMIT + 1}) s",
        *params.values,
    )
    if exact <= EXACT_COUNT_LIMIT:
        return exact, False
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


TICKET_FIELDS = (
    "id", "subject", "account_id", "contact_id", "status", "priority", "assignee_id",
    "sla_due_at", "created_at",
)  # fmt: skip
#: The detail shows the newest entries of the account's timeline; the timeline route pages on.
DETAIL_TIMELINE_ENTRIES = 20
ACCOUNT_READ, DEAL_READ, TICKET_READ = "crm.account.read", "crm.deal.read", "crm.ticket.read"


def account_detail_sql(params: Params, rule: Rule) -> str:
    """An account with its owner, contacts, open deals, open tickets and latest timeline
    entries, as one JSON document: a detail screen is one round trip, however many related
    lists it shows. ``$1`` is the tenant, ``$2`` the account.
    """
    account_rule = rule(ACCOUNT_READ, "a.owner_id")
    contact_rule = rule(CONTACT_READ, "c.owner_id")
    deal_rule = rule(DEAL_READ, "d.owner_id")
    ticket_rule = rule(TICKET_READ, "t.assignee_id")
    ticket_json = json_object("t", TICKET_FIELDS)
    timeline = timeline_sql(params, rule, "a.id", None, DETAIL_TIMELINE_ENTRIES)
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
             ORDER BY d.expected_close NULLS LAST, d.id LIMIT {DETAIL_LIST_LIMIT}) x), '[]'),
    'open_tickets', coalesce((
        SELECT json_agg(x.j ORDER BY x.sla_due_at, x.id) FROM (
            SELECT {ticket_json} AS j, t.sla_due_at, t.id FROM crm_ticket t
             WHERE t.tenant_id = $1 AND t.account_id = a.id AND t.status IN ('open', 'pending')
               AND {ticket_rule}
             ORDER BY t.sla_due_at, t.id LIMIT {DETAIL_LIST_LIMIT}) x), '[]'),
    'timeline', coalesce((
        SELECT json_agg(json_build_object('at', e.at, 'kind', e.kind, 'title', e.title,
                        'detail', e.detail, 'record_type', e.record_type,
                        'record_id', e.record_id, 'module', 'crm')
                        ORDER BY e.at DESC, e.record_type COLLATE "C" DESC,
                                 e.record_id COLLATE "C" DESC, e.kind COLLATE "C" DESC)
          FROM ({timeline}) e), '[]')
)::text
FROM crm_account a
WHERE a.tenant_id = $1 AND a.id = $2 AND {account_rule}
"""


def account_detail_reference() -> str:
    return account_detail_sql(Params(None, None), everything)


async def account_detail_json(uow: Any, actor: Actor, account_id: uuid.UUID) -> str | None:
    """The detail of an account the actor may see; None if there is none such."""
    params = Params(actor.tenant, account_id)
    found: str | None = await uow.fetch_value(
        account_detail_sql(params, params.rules_of(actor)), *params.values
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


@dataclass(frozen=True, slots=True)
class TimelineSource:
    """One kind of timeline entry, drawn from one table (alias ``x``) about one account.

    Every expression is SQL over ``x``; ``rule`` names the read permission whose record rule
    applies, on ``owner``.
    """

    table: str
    permission: str
    owner: str
    at: str
    record_type: str
    kind: str
    title: str
    detail: str
    condition: str = "true"


#: A timeline shows this much of an activity's text.
TIMELINE_DETAIL_CHARACTERS = 300

TIMELINE_SOURCES = (
    TimelineSource(
        "crm_activity", "crm.activity.read", "x.owner_id", "x.created_at", "crm.activity",
        "'crm.activity.' || x.kind", "x.subject",
        f"nullif(left(x.body, {TIMELINE_DETAIL_CHARACTERS}), '')",
    ),
    TimelineSource(
        "crm_deal", "crm.deal.read", "x.owner_id", "x.created_at", "crm.deal",
        "'crm.deal.created'", "'Deal created: ' || x.name", "x.amount || ' ' || x.currency",
    ),
    TimelineSource(
        "crm_deal", "crm.deal.read", "x.owner_id", "x.closed_at", "crm.deal",
        "'crm.deal.won'", "'Deal won: ' || x.name", "x.amount || ' ' || x.currency",
        "x.status = 'won' AND x.closed_at IS NOT NULL",
    ),
    TimelineSource(
        "crm_deal", "crm.deal.read", "x.owner_id", "x.closed_at", "crm.deal",
        "'crm.deal.lost'", "'Deal lost: ' || x.name", "x.lost_reason",
        "x.status = 'lost' AND x.closed_at IS NOT NULL",
    ),
    TimelineSource(
        "crm_contact", "crm.contact.read", "x.owner_id", "x.created_at", "crm.contact",
        "'crm.contact.added'", "'Contact added: ' || trim(x.first_name || ' ' || x.last_name)",
        "x.title",
    ),
    TimelineSource(
        "crm_ticket", "crm.ticket.read", "x.assignee_id", "x.created_at", "crm.ticket",
        "'crm.ticket.opened'", "'Ticket opened: ' || x.subject", "x.priority || ' priority'",
    ),
    TimelineSource(
        "crm_ticket", "crm.ticket.read", "x.assignee_id", "x.resolved_at", "crm.ticket",
        "'crm.ticket.resolved'", "'Ticket resolved: ' || x.subject", "NULL",
        "x.resolved_at IS NOT NULL",
    ),
)  # fmt: skip


def timeline_sql(
    params: Params, rule: Rule, account: str, before: TimelineCursor | None, limit: int
) -> str:
    """The CRM's own entries about an account, newest first (the timeline's total order).

    ``account`` is the SQL of the account id (a parameter, or ``a.id`` inside the detail).
    Rows: at, record_type, record_id, kind, title, detail.
    """
    after = ""
    if before is not None:
        at = params.add(before.at)
        key = ", ".join(
            f'{params.add(value)}::text COLLATE "C"'
            for value in (before.record_type, before.record_id, before.kind)
        )
        after = (
            f' AND {{at}} <= {at} AND ({{at}}, {{record_type}}::text COLLATE "C", '
            f'x.id::text COLLATE "C", {{kind}} COLLATE "C") < ({at}, {key})'
        )
    parts = []
    for source in TIMELINE_SOURCES:
        visible = rule(source.permission, source.owner)
        record_type = f"'{source.record_type}'"
        cursor = after.format(at=source.at, record_type=record_type, kind=source.kind)
        parts.append(
            f"(SELECT {source.at} AS at, {record_type}::text AS record_type, "
            f"x.id::text AS record_id, {source.kind} AS kind, {source.title} AS title, "
            f"{source.detail}::text AS detail FROM {source.table} x "
            f"WHERE x.tenant_id = $1 AND x.account_id = {account} AND {visible} "
            f"AND {source.condition}{cursor} ORDER BY {source.at} DESC, x.id DESC LIMIT {limit})"
        )
    return (
        f"SELECT * FROM ({' UNION ALL '.join(parts)}) e ORDER BY e.at DESC, "
        'e.record_type COLLATE "C" DESC, e.record_id COLLATE "C" DESC, e.kind COLLATE "C" DESC '
        f"LIMIT {limit}"
    )


def merged_timeline(own: list[dict[str, Any]], others: Sequence[TimelineEntry]) -> list[Any]:
    """The detail's timeline (entries as JSON) with other modules' entries, newest first."""
    entries = [
        TimelineEntry(
            at=datetime.fromisoformat(e["at"]), kind=e["kind"], title=e["title"],
            record_type=e["record_type"], record_id=e["record_id"], detail=e["detail"],
            module=e["module"],
        )
        for e in own
    ]  # fmt: skip
    newest = newest_first([*entries, *others])[:DETAIL_TIMELINE_ENTRIES]
    return [msgspec.to_builtins(entry) for entry in newest]
