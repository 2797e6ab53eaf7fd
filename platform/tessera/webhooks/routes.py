"""HTTP API of webhooks: tenant admins' endpoints and their delivery logs."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from tessera.web.context import Member, Uow, requires
from tessera.web.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    check_limit,
    decode_cursor,
    page_of,
)
from tessera.web.schemas import Page
from tessera.webhooks import service
from tessera.webhooks.models import WebhookDelivery, WebhookEndpoint
from tessera.webhooks.schemas import (
    DeliveryOut,
    EndpointCreated,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    SecretOut,
)

MANAGE = "webhooks.endpoint.manage"


def endpoint_out(endpoint: WebhookEndpoint) -> EndpointOut:
    return msgspec.convert(endpoint, EndpointOut, from_attributes=True)


def delivery_out(item: WebhookDelivery) -> DeliveryOut:
    return msgspec.convert(item, DeliveryOut, from_attributes=True)


class WebhookController(Controller):
    path = "/webhooks"
    tags = ["webhooks"]

    @post("/", status_code=HTTP_201_CREATED, summary="Register an endpoint", opt=requires(MANAGE))
    async def create(self, data: JSONBody[EndpointIn], actor: Member, uow: Uow) -> EndpointCreated:
        endpoint, secret = await service.create(
            uow.db,
            uow.settings,
            actor.tenant,
            url=data.url,
            event_types=data.event_types,
            modules=actor.modules,
            description=data.description,
            created_by=actor.user_id,
        )
        await uow.db.refresh(endpoint)
        return EndpointCreated(endpoint=endpoint_out(endpoint), secret=secret)

    @get("/", summary="The tenant's endpoints", opt=requires(MANAGE))
    async def list_endpoints(self, actor: Member, uow: Uow) -> list[EndpointOut]:
        return [endpoint_out(e) for e in await service.list_endpoints(uow.db)]

    @get("/{endpoint_id:uuid}", summary="One endpoint", opt=requires(MANAGE))
    async def get_endpoint(
        self, endpoint_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> EndpointOut:
        return endpoint_out(await service.get(uow.db, actor.tenant, endpoint_id))

    @patch(
        "/{endpoint_id:uuid}",
        summary="Change an endpoint; active=true also resumes a paused one",
        opt=requires(MANAGE),
    )
    async def change(
        self,
        endpoint_id: FromPath[uuid.UUID],
        data: JSONBody[EndpointPatch],
        actor: Member,
        uow: Uow,
    ) -> EndpointOut:
        endpoint = await service.get(uow.db, actor.tenant, endpoint_id)
        await service.change(
            uow.db,
            uow.settings,
            endpoint,
            url=data.url,
            event_types=data.event_types,
            modules=actor.modules,
            description=data.description,
            active=data.active,
        )
        await uow.db.refresh(endpoint)
        return endpoint_out(endpoint)

    @post(
        "/{endpoint_id:uuid}/rotate-secret",
        status_code=HTTP_200_OK,
        summary="Replace the signing secret (the old one stops working at once)",
        opt=requires(MANAGE),
    )
    async def rotate_secret(
        self, endpoint_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> SecretOut:
        endpoint = await service.get(uow.db, actor.tenant, endpoint_id)
        return SecretOut(secret=await service.rotate_secret(uow.db, uow.settings, endpoint))

    @delete(
        "/{endpoint_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove an endpoint (to the recycle bin)",
        opt=requires(MANAGE),
    )
    async def remove(self, endpoint_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await service.remove(uow.db, await service.get(uow.db, actor.tenant, endpoint_id))

    @get(
        "/{endpoint_id:uuid}/deliveries",
        summary="Every delivery attempt to the endpoint, newest first",
        opt=requires(MANAGE),
    )
    async def deliveries(
        self,
        endpoint_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[DeliveryOut]:
        await service.get(uow.db, actor.tenant, endpoint_id)
        rows = await service.deliveries(
            uow.db, endpoint_id, before=decode_cursor(cursor), limit=check_limit(limit) + 1
        )
        return page_of(rows, limit, key=lambda d: d.id, render=delivery_out)


ROUTE_HANDLERS = [WebhookController]
