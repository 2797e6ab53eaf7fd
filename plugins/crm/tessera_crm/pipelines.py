"""Pipelines and their stages. Mounted under /api/v1/crm/pipelines."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Conflict,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
)
from tessera_crm.models import Pipeline, Stage

READ, MANAGE = "crm.deal.read", "crm.pipeline.manage"
StageName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
STAGE_SORTING = Sorting(
    {"position": Stage.position, "name": Stage.name}, Stage.id, default="position"
)
PipelineFilter = Annotated[uuid.UUID | None, QueryParameter(description="Stages of this pipeline")]

#: The pipeline a tenant gets when it enables the module: (stage, win probability in percent).
DEFAULT_STAGES = (
    ("Qualification", 10),
    ("Needs analysis", 25),
    ("Proposal", 50),
    ("Negotiation", 75),
)


class StageIn(Input):
    name: StageName
    probability: Annotated[int, msgspec.Meta(ge=0, le=100)]


class PipelineIn(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    stages: Annotated[list[StageIn], msgspec.Meta(min_length=1, max_length=30)]
    is_default: bool = False


class StageOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    position: int
    probability: int


class StageRow(msgspec.Struct):
    """A stage on its own, as the stages list gives it (the columns of the deals board)."""

    id: uuid.UUID
    pipeline_id: uuid.UUID
    name: str
    position: int
    probability: int


def stage_row(stage: Stage) -> StageRow:
    return msgspec.convert(stage, StageRow, from_attributes=True)


class PipelineOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    is_default: bool
    stages: list[StageOut]


async def seed_default_pipeline(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    pipeline = Pipeline(tenant_id=tenant_id, name="Sales", is_default=True)
    db.add(pipeline)
    await db.flush()
    for position, (name, probability) in enumerate(DEFAULT_STAGES):
        db.add(
            Stage(
                tenant_id=tenant_id,
                pipeline_id=pipeline.id,
                name=name,
                position=position,
                probability=probability,
            )
        )


async def pipeline_out(db: AsyncSession, pipeline: Pipeline) -> PipelineOut:
    stages = (
        await db.scalars(
            select(Stage).where(Stage.pipeline_id == pipeline.id).order_by(Stage.position)
        )
    ).all()
    return PipelineOut(
        pipeline.id,
        pipeline.name,
        pipeline.is_default,
        [StageOut(s.id, s.name, s.position, s.probability) for s in stages],
    )


class PipelinesController(Controller):
    path = "/pipelines"
    tags = ["crm"]

    @get("/", summary="The tenant's pipelines with their stages", opt=requires(READ))
    async def list_pipelines(self, actor: Member, uow: Uow) -> list[PipelineOut]:
        pipelines = (await uow.db.scalars(select(Pipeline).order_by(Pipeline.id))).all()
        return [await pipeline_out(uow.db, p) for p in pipelines]

    @get("/{pipeline_id:uuid}", summary="One pipeline", opt=requires(READ))
    async def get_one(
        self, pipeline_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> PipelineOut:
        pipeline = await uow.db.get(Pipeline, (actor.tenant, pipeline_id))
        if pipeline is None:
            raise NotFound("No such pipeline.")
        return await pipeline_out(uow.db, pipeline)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a pipeline", opt=requires(MANAGE))
    async def create(self, data: JSONBody[PipelineIn], actor: Member, uow: Uow) -> PipelineOut:
        names = [s.name.strip().casefold() for s in data.stages]
        if len(set(names)) != len(names):
            raise Invalid("stages", "stage names must differ")
        taken = await uow.db.scalar(select(Pipeline.id).where(Pipeline.name == data.name.strip()))
        if taken is not None:
            raise Conflict(f"A pipeline is already named {data.name.strip()!r}.")
        if data.is_default:
            for other in (await uow.db.scalars(select(Pipeline).where(Pipeline.is_default))).all():
                other.is_default = False
        pipeline = Pipeline(
            tenant_id=actor.tenant, name=data.name.strip(), is_default=data.is_default
        )
        uow.db.add(pipeline)
        await uow.db.flush()
        for position, stage in enumerate(data.stages):
            uow.db.add(
                Stage(
                    tenant_id=actor.tenant,
                    pipeline_id=pipeline.id,
                    name=stage.name.strip(),
                    position=position,
                    probability=stage.probability,
                )
            )
        await uow.db.flush()
        return await pipeline_out(uow.db, pipeline)


class StagesController(Controller):
    """Stages as records of their own: what a board of deals grouped by stage needs."""

    path = "/stages"
    tags = ["crm"]

    @get("/", summary="Stages of the tenant's pipelines, in order", opt=requires(READ))
    async def list_stages(
        self,
        actor: Member,
        uow: Uow,
        pipeline_id: PipelineFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[StageRow]:
        page = STAGE_SORTING.page(select(Stage), sort, cursor, limit)
        query = page.query
        if pipeline_id is not None:
            query = query.where(Stage.pipeline_id == pipeline_id)
        return page.of(list((await uow.db.scalars(query)).all()), stage_row)

    @get("/{stage_id:uuid}", summary="One stage", opt=requires(READ))
    async def get_one(self, stage_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> StageRow:
        stage = await uow.db.get(Stage, (actor.tenant, stage_id))
        if stage is None:
            raise NotFound("No such stage.")
        return stage_row(stage)
