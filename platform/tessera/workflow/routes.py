"""HTTP API of the workflow engine: definitions, submissions, the inbox, tasks and history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, get, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from tessera.modules.registry import PluginRegistry
from tessera.modules.texts import Texts
from tessera.web.context import Language, Member, Uow, hot_read, requires, services_of
from tessera.web.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    check_limit,
    decode_cursor,
    page_of,
)
from tessera.web.schemas import Page
from tessera.workflow import centre, definitions, service
from tessera.workflow.models import Action, Definition, DefinitionVersion, Instance, Task
from tessera.workflow.schemas import (
    ActionIn,
    ActionOut,
    DefinitionIn,
    DefinitionOut,
    DefinitionUpdate,
    DelegateIn,
    EscalationsOut,
    FieldTypeOut,
    HistoryOut,
    InboxItemOut,
    InstanceOut,
    RecordTypeOut,
    StepIO,
    SubmissionIn,
    TaskOut,
    VersionOut,
)
from tessera.workflow.types import Step

MANAGE = "workflow.definition.manage"
RecordTypePath = Annotated[str, PathParameter(max_length=100)]
RecordIdPath = Annotated[str, PathParameter(max_length=100)]


# --- Rendering ----------------------------------------------------------------------------


def definition_out(definition: Definition, version: DefinitionVersion) -> DefinitionOut:
    return DefinitionOut(
        id=definition.id,
        key=definition.key,
        record_type=definition.record_type,
        name=definition.name,
        active=definition.active,
        version=version.version,
        steps=[StepIO.of(Step.from_json(s)) for s in version.steps],
        guarded_fields=list(version.guarded_fields),
        scope=definition.scope,
    )


def version_out(version: DefinitionVersion) -> VersionOut:
    return VersionOut(
        id=version.id,
        version=version.version,
        steps=[StepIO.of(Step.from_json(s)) for s in version.steps],
        guarded_fields=list(version.guarded_fields),
        created_by=version.created_by,
        created_at=version.created_at,
    )


def task_out(task: Task) -> TaskOut:
    return TaskOut(
        id=task.id,
        instance_id=task.instance_id,
        step_index=task.step_index,
        step_name=task.step_name,
        assignee_user_id=task.assignee_user_id,
        status=task.status,
        due_at=task.due_at,
        acted_at=task.acted_at,
        comment=task.comment,
        replaces_id=task.replaces_id,
        created_at=task.created_at,
    )


def task_of(row: Any) -> TaskOut:
    """A task from a hot read's row (the task's own columns under their names)."""
    return TaskOut(
        id=row["id"],
        instance_id=row["instance_id"],
        step_index=row["step_index"],
        step_name=row["step_name"],
        assignee_user_id=row["assignee_user_id"],
        status=row["status"],
        due_at=row["due_at"],
        acted_at=row["acted_at"],
        comment=row["comment"],
        replaces_id=row["replaces_id"],
        created_at=row["created_at"],
    )


def instance_out(instance: Instance, version: int, tasks: list[Task]) -> InstanceOut:
    return InstanceOut(
        id=instance.id,
        definition_id=instance.definition_id,
        version=version,
        record_type=instance.record_type,
        record_id=instance.record_id,
        requester_user_id=instance.requester_user_id,
        status=instance.status,
        current_step=instance.current_step,
        created_at=instance.created_at,
        finished_at=instance.finished_at,
        tasks=[task_out(t) for t in tasks],
    )


def action_out(action: Action) -> ActionOut:
    return ActionOut(
        id=action.id,
        action=action.action,
        actor_user_id=action.actor_user_id,
        task_id=action.task_id,
        step_index=action.step_index,
        comment=action.comment,
        created_at=action.created_at,
    )


def record_label(registry: PluginRegistry, texts: Texts, record_type: str) -> str:
    """The record type's label in the reader's language (the type itself if uninstalled)."""
    approvable = registry.approvables().get(record_type)
    if approvable is None:
        return record_type
    return texts.of(approvable.module, approvable.label)


def short_title(label: str, record_id: str) -> str:
    """A list's title for a record whose type names no title field: "Expense claim 0193ab12"."""
    return f"{label} {record_id[:8]}"


async def _instance_view(uow: Uow, actor: Member, state: State, instance: Instance) -> InstanceOut:
    """The instance as its history shows it (after the change, in this transaction)."""
    await uow.db.refresh(instance)
    found = await service.history(
        uow.db, services_of(state).registry, actor, instance.record_type, instance.record_id
    )
    item = next(h for h in found if h.instance.id == instance.id)
    return instance_out(item.instance, item.version, item.tasks)


# --- Definitions --------------------------------------------------------------------------


class DefinitionsController(Controller):
    path = "/workflow/definitions"
    tags = ["workflow"]

    @get("/", summary="Workflow definitions of enabled modules", opt=requires(MANAGE))
    async def list_definitions(
        self,
        actor: Member,
        uow: Uow,
        state: State,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[DefinitionOut]:
        rows = await definitions.list_definitions(
            uow.db,
            services_of(state).registry,
            actor.modules,
            after=decode_cursor(cursor),
            limit=check_limit(limit) + 1,
        )
        return page_of(rows, limit, key=lambda r: r[0].id, render=lambda r: definition_out(*r))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Define a workflow for an approvable record type",
        opt=requires(MANAGE),
    )
    async def create(
        self, data: JSONBody[DefinitionIn], actor: Member, uow: Uow, state: State
    ) -> DefinitionOut:
        tenant_id, _ = actor.require_member()
        registry = services_of(state).registry
        made = await definitions.create(
            uow.db,
            registry,
            tenant_id=tenant_id,
            modules=actor.modules,
            actor_user_id=actor.user_id,
            key=data.key,
            record_type=data.record_type,
            name=data.name,
            steps=[s.to_step() for s in data.steps],
            guarded_fields=data.guarded_fields,
            scope=data.scope,
        )
        return definition_out(*await definitions.get(uow.db, registry, actor.modules, made.id))

    @get(
        "/{definition_id:uuid}", summary="A workflow and its current version", opt=requires(MANAGE)
    )
    async def get_definition(
        self, definition_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State
    ) -> DefinitionOut:
        registry = services_of(state).registry
        return definition_out(
            *await definitions.get(uow.db, registry, actor.modules, definition_id)
        )

    @put(
        "/{definition_id:uuid}",
        summary="Save a new version (running approvals keep theirs)",
        opt=requires(MANAGE),
    )
    async def update(
        self,
        definition_id: FromPath[uuid.UUID],
        data: JSONBody[DefinitionUpdate],
        actor: Member,
        uow: Uow,
        state: State,
    ) -> DefinitionOut:
        registry = services_of(state).registry
        await definitions.update(
            uow.db,
            registry,
            modules=actor.modules,
            actor_user_id=actor.user_id,
            definition_id=definition_id,
            name=data.name,
            steps=[s.to_step() for s in data.steps],
            guarded_fields=data.guarded_fields,
        )
        return definition_out(
            *await definitions.get(uow.db, registry, actor.modules, definition_id)
        )

    @get(
        "/{definition_id:uuid}/versions",
        summary="Every version of a workflow, newest first",
        opt=requires(MANAGE),
    )
    async def list_versions(
        self, definition_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State
    ) -> list[VersionOut]:
        registry = services_of(state).registry
        found = await definitions.versions(uow.db, registry, actor.modules, definition_id)
        return [version_out(v) for v in found]

    @post(
        "/{definition_id:uuid}/deactivate",
        status_code=HTTP_200_OK,
        summary="Stop new submissions (running approvals go on)",
        opt=requires(MANAGE),
    )
    async def deactivate(
        self, definition_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State
    ) -> DefinitionOut:
        return await self._switch(definition_id, actor, uow, state, active=False)

    @post(
        "/{definition_id:uuid}/activate",
        status_code=HTTP_200_OK,
        summary="Use this workflow for new submissions",
        opt=requires(MANAGE),
    )
    async def activate(
        self, definition_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State
    ) -> DefinitionOut:
        return await self._switch(definition_id, actor, uow, state, active=True)

    async def _switch(
        self, definition_id: uuid.UUID, actor: Member, uow: Uow, state: State, *, active: bool
    ) -> DefinitionOut:
        registry = services_of(state).registry
        await definitions.set_active(
            uow.db, registry, modules=actor.modules, definition_id=definition_id, active=active
        )
        return definition_out(
            *await definitions.get(uow.db, registry, actor.modules, definition_id)
        )


@get(
    "/workflow/record-types",
    tags=["workflow"],
    summary="Record types of enabled modules that workflows can be defined for",
    opt=requires(MANAGE),
)
async def record_types(actor: Member, state: State, texts: Language) -> list[RecordTypeOut]:
    """What a definition editor offers: the record types, and the fields conditions can use."""
    registry = services_of(state).registry
    found = []
    for record_type in sorted(registry.approvables()):
        approvable = definitions.enabled_approvable(registry, actor.modules, record_type)
        if approvable is None:
            continue
        types = approvable.field_types()
        found.append(
            RecordTypeOut(
                record_type=record_type,
                module=approvable.module,
                label=texts.of(approvable.module, approvable.label),
                fields=[FieldTypeOut(name, types.get(name, "other")) for name in approvable.fields],
            )
        )
    return found


# --- Approvals ----------------------------------------------------------------------------


class ApprovalsController(Controller):
    path = "/workflow"
    tags = ["workflow"]

    @post("/submissions", status_code=HTTP_201_CREATED, summary="Submit a record for approval")
    async def submit(
        self, data: JSONBody[SubmissionIn], actor: Member, uow: Uow, state: State
    ) -> InstanceOut:
        instance = await service.submit(
            uow.db,
            services_of(state).registry,
            actor,
            record_type=data.record_type,
            record_id=data.record_id,
        )
        return await _instance_view(uow, actor, state, instance)

    @get(
        "/inbox",
        summary="My open approval tasks, oldest first",
        opt=hot_read(),
    )
    async def inbox(
        self,
        actor: Member,
        uow: Uow,
        state: State,
        texts: Language,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[InboxItemOut]:
        registry = services_of(state).registry
        rows = await centre.inbox(
            uow, registry, actor, after=decode_cursor(cursor), limit=check_limit(limit) + 1
        )
        titles = await centre.hot_titles(
            uow, registry, [(r["record_type"], r["record_id"]) for r in rows[:limit]]
        )
        labels: dict[str, str] = {}

        def render(row: Any) -> InboxItemOut:
            record_type, record_id = row["record_type"], row["record_id"]
            if record_type not in labels:
                labels[record_type] = record_label(registry, texts, record_type)
            label = labels[record_type]
            return InboxItemOut(
                task=task_of(row),
                record_type=record_type,
                record_id=record_id,
                requester_user_id=row["requester_user_id"],
                instance_id=row["instance_id"],
                title=titles.get((record_type, record_id)) or short_title(label, record_id),
                record_label=label,
                step_name=row["step_name"],
                submitted_at=row["submitted_at"],
            )

        return page_of(rows, limit, key=lambda r: r["id"], render=render)

    @post("/tasks/{task_id:uuid}/approve", status_code=HTTP_200_OK, summary="Approve my task")
    async def approve(
        self, task_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State,
        data: JSONBody[ActionIn | None] = None,
    ) -> InstanceOut:  # fmt: skip
        registry = services_of(state).registry
        comment, files = (data.comment, data.attachments) if data else (None, [])
        instance = await service.approve(uow.db, registry, actor, task_id, comment, files)
        return await _instance_view(uow, actor, state, instance)

    @post("/tasks/{task_id:uuid}/reject", status_code=HTTP_200_OK, summary="Reject the request")
    async def reject(
        self, task_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State,
        data: JSONBody[ActionIn | None] = None,
    ) -> InstanceOut:  # fmt: skip
        registry = services_of(state).registry
        comment, files = (data.comment, data.attachments) if data else (None, [])
        instance = await service.finish(
            uow.db, registry, actor, task_id, comment, outcome="rejected", files=files
        )
        return await _instance_view(uow, actor, state, instance)

    @post(
        "/tasks/{task_id:uuid}/return",
        status_code=HTTP_200_OK,
        summary="Send the request back to the requester for changes",
    )
    async def return_for_changes(
        self, task_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State,
        data: JSONBody[ActionIn | None] = None,
    ) -> InstanceOut:  # fmt: skip
        registry = services_of(state).registry
        comment, files = (data.comment, data.attachments) if data else (None, [])
        instance = await service.finish(
            uow.db, registry, actor, task_id, comment, outcome="returned", files=files
        )
        return await _instance_view(uow, actor, state, instance)

    @post(
        "/tasks/{task_id:uuid}/delegate",
        status_code=HTTP_200_OK,
        summary="Hand my task to another member",
    )
    async def delegate(
        self,
        task_id: FromPath[uuid.UUID],
        data: JSONBody[DelegateIn],
        actor: Member,
        uow: Uow,
        state: State,
    ) -> TaskOut:
        task = await service.delegate(
            uow.db, services_of(state).registry, actor, task_id, data.user_id, data.comment
        )
        await uow.db.refresh(task)
        return task_out(task)

    @post(
        "/tasks/{task_id:uuid}/comment",
        status_code=HTTP_200_OK,
        summary="Comment on an approval I take part in",
    )
    async def comment(
        self,
        task_id: FromPath[uuid.UUID],
        data: JSONBody[ActionIn],
        actor: Member,
        uow: Uow,
        state: State,
    ) -> InstanceOut:
        instance = await service.comment(
            uow.db,
            services_of(state).registry,
            actor,
            task_id,
            data.comment or "",
            data.attachments,
        )
        return await _instance_view(uow, actor, state, instance)

    @post(
        "/instances/{instance_id:uuid}/cancel",
        status_code=HTTP_200_OK,
        summary="Withdraw my pending request",
    )
    async def cancel(
        self, instance_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State
    ) -> InstanceOut:
        instance = await service.cancel(uow.db, services_of(state).registry, actor, instance_id)
        return await _instance_view(uow, actor, state, instance)

    @get(
        "/records/{record_type:str}/{record_id:str}/history",
        summary="A record's approvals: tasks and actions, oldest first",
    )
    async def history(
        self,
        record_type: RecordTypePath,
        record_id: RecordIdPath,
        actor: Member,
        uow: Uow,
        state: State,
    ) -> list[HistoryOut]:
        found = await service.history(
            uow.db, services_of(state).registry, actor, record_type, record_id
        )
        return [
            HistoryOut(
                instance=instance_out(h.instance, h.version, h.tasks),
                actions=[action_out(a) for a in h.actions],
            )
            for h in found
        ]

    @post(
        "/escalations/run",
        status_code=HTTP_200_OK,
        summary="Escalate this tenant's overdue tasks now (the scheduler does it too)",
        opt=requires(MANAGE),
    )
    async def run_escalations(self, actor: Member, uow: Uow, state: State) -> EscalationsOut:
        tenant_id, _ = actor.require_member()
        count = await service.escalate_overdue(
            uow.db, tenant_id, datetime.now(UTC), services_of(state).registry
        )
        return EscalationsOut(escalated=count)


ROUTE_HANDLERS: list[Any] = [DefinitionsController, record_types, ApprovalsController]
