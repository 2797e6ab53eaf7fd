"""The chart of accounts and the journals, under /api/v1/accounting.

Anyone holding ``accounting.entry.read`` reads them; ``accounting.settings.manage`` changes
them. An account an entry, a role or a tax uses is archived (``active: false``), not deleted.
An account's name shows in the member's language (``name``); both are given as ``name_en``
and ``name_zh``.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Conflict,
    CursorQuery,
    Input,
    Invalid,
    Language,
    LimitQuery,
    Member,
    NotFound,
    Page,
    Uow,
    decode_cursor,
    page_of,
    requires,
)
from tessera_accounting.models import (
    ACCOUNT_TYPES,
    JOURNAL_KINDS,
    MANAGE,
    READ,
    RECONCILABLE,
    SUBTYPES,
    Account,
    AccountRole,
    Journal,
    JournalLine,
    Tax,
)

Code = Annotated[
    str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
]
AccountName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
JournalCode = Annotated[str, msgspec.Meta(min_length=1, max_length=10, pattern=r"^[A-Z][A-Z0-9]*$")]
JournalName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
TypeFilter = Annotated[
    str | None, QueryParameter(description="asset, liability, equity, income or expense")
]
ActiveFilter = Annotated[bool | None, QueryParameter(description="Only active (or archived) ones")]
Search = Annotated[
    str | None, QueryParameter(max_length=100, description="Part of the code or name")
]


class AccountIn(Input):
    code: Code
    name_en: AccountName
    type: str
    name_zh: AccountName | None = None
    subtype: str = "other"
    parent_id: uuid.UUID | None = None
    active: bool = True


class AccountPatch(Input):
    code: Code | None = None
    name_en: AccountName | None = None
    name_zh: AccountName | msgspec.UnsetType | None = msgspec.UNSET
    type: str | None = None
    subtype: str | None = None
    parent_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | None = None


class AccountOut(msgspec.Struct):
    id: uuid.UUID
    code: str
    #: In the member's language.
    name: str
    name_en: str
    name_zh: str | None
    type: str
    subtype: str
    parent_id: uuid.UUID | None
    active: bool
    reconcilable: bool


class JournalIn(Input):
    code: JournalCode
    name: JournalName
    name_zh: JournalName | None = None
    kind: str = "general"
    active: bool = True


class JournalPatch(Input):
    name: JournalName | None = None
    name_zh: JournalName | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | None = None


class JournalOut(msgspec.Struct):
    id: uuid.UUID
    code: str
    name: str
    name_en: str
    name_zh: str | None
    kind: str
    active: bool


def in_language(english: str, chinese: str | None, locale: str) -> str:
    return chinese if chinese and locale.split("-")[0] == "zh" else english


def account_out(account: Account, locale: str) -> AccountOut:
    return AccountOut(
        id=account.id,
        code=account.code,
        name=in_language(account.name, account.name_zh, locale),
        name_en=account.name,
        name_zh=account.name_zh,
        type=account.type,
        subtype=account.subtype,
        parent_id=account.parent_id,
        active=account.active,
        reconcilable=account.reconcilable,
    )


def journal_out(journal: Journal, locale: str) -> JournalOut:
    return JournalOut(
        id=journal.id,
        code=journal.code,
        name=in_language(journal.name, journal.name_zh, locale),
        name_en=journal.name,
        name_zh=journal.name_zh,
        kind=journal.kind,
        active=journal.active,
    )


async def get_account(db: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID) -> Account:
    account = await db.get(Account, (tenant_id, account_id))
    if account is None:
        raise NotFound("No such account.")
    return account


def _check_kind(account: Account) -> None:
    if account.type not in ACCOUNT_TYPES:
        raise Invalid("type", f"is one of {', '.join(ACCOUNT_TYPES)}")
    if account.subtype not in SUBTYPES:
        raise Invalid("subtype", f"is one of {', '.join(SUBTYPES)}")
    account.reconcilable = account.subtype in RECONCILABLE


async def _check_parent(db: AsyncSession, account: Account) -> None:
    """The parent is an account of this tenant, and not the account itself or below it."""
    seen = {account.id}
    parent_id = account.parent_id
    while parent_id is not None:
        if parent_id in seen:
            raise Invalid("parent_id", "would make the account its own ancestor")
        seen.add(parent_id)
        parent = await db.get(Account, (account.tenant_id, parent_id))
        if parent is None:
            raise Invalid("parent_id", "is not an account of this company")
        parent_id = parent.parent_id


async def _refuse_taken_code(db: AsyncSession, account: Account) -> None:
    taken = await db.scalar(
        select(Account.id).where(
            Account.tenant_id == account.tenant_id,
            Account.code == account.code,
            Account.id != account.id,
        )
    )
    if taken is not None:
        raise Conflict(f"An account already has the code {account.code!r}.")


async def _in_use(db: AsyncSession, account: Account) -> str | None:
    """What uses the account, if anything does."""
    users = {
        "journal entries": select(JournalLine.id).where(JournalLine.account_id == account.id),
        "an account role": select(AccountRole.id).where(AccountRole.account_id == account.id),
        "a tax": select(Tax.id).where(Tax.account_id == account.id),
        "sub-accounts": select(Account.id).where(Account.parent_id == account.id),
    }
    for name, query in users.items():
        if await db.scalar(select(exists(query))):
            return name
    return None


async def create_account(db: AsyncSession, tenant_id: uuid.UUID, data: AccountIn) -> Account:
    account = Account(
        tenant_id=tenant_id,
        code=data.code,
        name=data.name_en.strip(),
        name_zh=data.name_zh.strip() if data.name_zh else None,
        type=data.type,
        subtype=data.subtype,
        parent_id=data.parent_id,
        active=data.active,
    )
    _check_kind(account)
    await _check_parent(db, account)
    await _refuse_taken_code(db, account)
    db.add(account)
    await db.flush()
    return account


async def change_account(
    db: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID, data: AccountPatch
) -> Account:
    account = await get_account(db, tenant_id, account_id)
    used = await _in_use(db, account)
    if used == "journal entries" and (
        (data.type is not None and data.type != account.type)
        or (data.subtype is not None and data.subtype != account.subtype)
    ):
        raise Conflict("The account has journal entries: its type cannot change.")
    simple = {"code": data.code, "type": data.type, "subtype": data.subtype, "active": data.active}
    for field, value in simple.items():
        if value is not None:
            setattr(account, field, value)
    if data.name_en is not None:
        account.name = data.name_en.strip()
    if data.name_zh is not msgspec.UNSET:
        account.name_zh = data.name_zh.strip() if data.name_zh else None
    if data.parent_id is not msgspec.UNSET:
        account.parent_id = data.parent_id
    _check_kind(account)
    await _check_parent(db, account)
    await _refuse_taken_code(db, account)
    await db.flush()
    return account


class AccountsController(Controller):
    path = "/accounts"
    tags = ["accounting"]

    @get("/", summary="The chart of accounts, by code", opt=requires(READ))
    async def list_accounts(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        type: TypeFilter = None,
        active: ActiveFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[AccountOut]:
        query = select(Account).order_by(Account.code).limit(limit + 1)
        after = decode_cursor(cursor)
        if after is not None:
            code = select(Account.code).where(Account.id == after).scalar_subquery()
            query = query.where(Account.code > code)
        if type is not None:
            query = query.where(Account.type == type)
        if active is not None:
            query = query.where(Account.active.is_(active))
        if q:
            query = query.where(
                Account.code.icontains(q, autoescape=True)
                | Account.name.icontains(q, autoescape=True)
                | Account.name_zh.icontains(q, autoescape=True)
            )
        rows = list((await uow.db.scalars(query)).all())
        return page_of(rows, limit, lambda a: a.id, lambda a: account_out(a, texts.locale))

    @post("/", status_code=HTTP_201_CREATED, summary="Add an account", opt=requires(MANAGE))
    async def create(
        self, data: JSONBody[AccountIn], actor: Member, uow: Uow, texts: Language
    ) -> AccountOut:
        return account_out(await create_account(uow.db, actor.tenant, data), texts.locale)

    @get("/{account_id:uuid}", summary="One account", opt=requires(READ))
    async def get_one(
        self, account_id: FromPath[uuid.UUID], actor: Member, uow: Uow, texts: Language
    ) -> AccountOut:
        return account_out(await get_account(uow.db, actor.tenant, account_id), texts.locale)

    @patch(
        "/{account_id:uuid}",
        summary="Change an account (its type only while no entry uses it)",
        opt=requires(MANAGE),
    )
    async def change(
        self,
        account_id: FromPath[uuid.UUID],
        data: JSONBody[AccountPatch],
        actor: Member,
        uow: Uow,
        texts: Language,
    ) -> AccountOut:
        account = await change_account(uow.db, actor.tenant, account_id, data)
        return account_out(account, texts.locale)

    @delete(
        "/{account_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete an unused account; archive one in use instead",
        opt=requires(MANAGE),
    )
    async def remove(self, account_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        account = await get_account(uow.db, actor.tenant, account_id)
        used = await _in_use(uow.db, account)
        if used is not None:
            raise Conflict(f"The account is used by {used}: archive it (active: false) instead.")
        await uow.db.delete(account)
        await uow.db.flush()


async def get_journal(db: AsyncSession, tenant_id: uuid.UUID, journal_id: uuid.UUID) -> Journal:
    journal = await db.get(Journal, (tenant_id, journal_id))
    if journal is None:
        raise NotFound("No such journal.")
    return journal


class JournalsController(Controller):
    path = "/journals"
    tags = ["accounting"]

    @get("/", summary="The journals, by code", opt=requires(READ))
    async def list_journals(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[JournalOut]:
        query = select(Journal).order_by(Journal.code).limit(limit + 1)
        after = decode_cursor(cursor)
        if after is not None:
            code = select(Journal.code).where(Journal.id == after).scalar_subquery()
            query = query.where(Journal.code > code)
        rows = list((await uow.db.scalars(query)).all())
        return page_of(rows, limit, lambda j: j.id, lambda j: journal_out(j, texts.locale))

    @post("/", status_code=HTTP_201_CREATED, summary="Add a journal", opt=requires(MANAGE))
    async def create(
        self, data: JSONBody[JournalIn], actor: Member, uow: Uow, texts: Language
    ) -> JournalOut:
        if data.kind not in JOURNAL_KINDS:
            raise Invalid("kind", f"is one of {', '.join(JOURNAL_KINDS)}")
        taken = await uow.db.scalar(select(Journal.id).where(Journal.code == data.code))
        if taken is not None:
            raise Conflict(f"A journal already has the code {data.code!r}.")
        journal = Journal(
            tenant_id=actor.tenant,
            code=data.code,
            name=data.name.strip(),
            name_zh=data.name_zh.strip() if data.name_zh else None,
            kind=data.kind,
            active=data.active,
        )
        uow.db.add(journal)
        await uow.db.flush()
        return journal_out(journal, texts.locale)

    @patch(
        "/{journal_id:uuid}",
        summary="Rename or archive a journal (its code numbers its entries and stays)",
        opt=requires(MANAGE),
    )
    async def change(
        self,
        journal_id: FromPath[uuid.UUID],
        data: JSONBody[JournalPatch],
        actor: Member,
        uow: Uow,
        texts: Language,
    ) -> JournalOut:
        journal = await get_journal(uow.db, actor.tenant, journal_id)
        if data.name is not None:
            journal.name = data.name.strip()
        if data.name_zh is not msgspec.UNSET:
            journal.name_zh = data.name_zh.strip() if data.name_zh else None
        if data.active is not None:
            journal.active = data.active
        await uow.db.flush()
        return journal_out(journal, texts.locale)
