"""Running approvals: submitting a record, acting on tasks, escalating, the inbox and history.

An instance walks its version's steps in order. Entering a step evaluates its condition on the
record's current fields (false: the step is skipped) and resolves its approvers to members at
that moment, one task each. ``any``: the first approval completes the step; ``all``: every
task must be approved. A rejection ends the instance; a return sends it back to the requester,
who may change the record and submit again. Every transition is an action in the history and
an event in the outbox, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, cast, exists, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from tessera.access import service as access
from tessera.db.ids import uuid7
from tessera.errors import Conflict, Forbidden, Invalid, NotFound
from tessera.events.service import emit
from tessera.identity import directory
from tessera.identity.record_rules import visible_to
from tessera.identity.service import Actor
from tessera.modules.registry import PluginRegistry, installed_plugins
from tessera.workflow import attachments
from tessera.workflow.definitions import enabled_approvable, same_scope
from tessera.workflow.expressions import ExpressionError, evaluate, parse
from tessera.workflow.models import Action, Cc, Definition, DefinitionVersion, Instance, Task
from tessera.workflow.types import BUILTIN_ROLE_NAMES, MANAGER, Approvable, Approval, Step

#: Who may read every record's approval history (participants always see their own).
READ_ALL = "workflow.instance.read"
EVENT_PREFIX = "tessera.approval."


@dataclass(frozen=True, slots=True)
class Flow:
    """An instance with what it runs on: its version's steps and its record type."""

    instance: Instance
    steps: list[Step]
    approvable: Approvable


# --- Looking things up --------------------------------------------------------------------


def _approvable(registry: PluginRegistry, actor: Actor, record_type: str) -> Approvable:
    approvable = enabled_approvable(registry, actor.modules, record_type)
    if approvable is None:
        raise NotFound(f"No approvable record type {record_type!r} here.")
    return approvable


def _record_uuid(record_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(record_id)
    except ValueError:
        raise Invalid("record_id", "is not a record id") from None


async def _record(
    db: AsyncSession, approvable: Approvable, record_id: str, actor: Actor | None = None
) -> Any:
    """The record; with an actor, only if the submit permission's scope reaches it."""
    model = approvable.model
    query = select(model).where(model.id == _record_uuid(record_id))
    if actor is not None and approvable.owner_field is not None:
        owner = getattr(model, approvable.owner_field)
        query = query.where(visible_to(actor, approvable.submit_permission, owner))
    record = (await db.scalars(query)).one_or_none()
    if record is None:
        raise NotFound("No such record.")
    return record


async def _flow(db: AsyncSession, registry: PluginRegistry, instance: Instance) -> Flow:
    version = (
        await db.scalars(
            select(DefinitionVersion).where(DefinitionVersion.id == instance.version_id)
        )
    ).one()
    approvable = registry.approvables().get(instance.record_type)
    if approvable is None:
        raise NotFound("The module of this record is not installed.")
    return Flow(instance, [Step.from_json(s) for s in version.steps], approvable)


async def _locked_task(db: AsyncSession, task_id: uuid.UUID) -> Task:
    task = (
        await db.scalars(select(Task).where(Task.id == task_id).with_for_update())
    ).one_or_none()
    if task is None:
        raise NotFound("No such task.")
    return task


async def _locked_instance(db: AsyncSession, instance_id: uuid.UUID) -> Instance:
    instance = (
        await db.scalars(select(Instance).where(Instance.id == instance_id).with_for_update())
    ).one_or_none()
    if instance is None:
        raise NotFound("No such approval.")
    return instance


# --- Recording what happens ---------------------------------------------------------------


def _act(
    db: AsyncSession,
    instance: Instance,
    action: str,
    *,
    actor_user_id: uuid.UUID | None,
    task: Task | None = None,
    step_index: int | None = None,
    comment: str | None = None,
) -> Action:
    recorded = Action(
        tenant_id=instance.tenant_id,
        id=uuid7(),
        instance_id=instance.id,
        task_id=task.id if task else None,
        actor_user_id=actor_user_id,
        action=action,
        step_index=task.step_index if task else step_index,
        comment=comment,
    )
    db.add(recorded)
    return recorded


async def _act_with_files(
    db: AsyncSession,
    instance: Instance,
    action: str,
    *,
    actor_user_id: uuid.UUID,
    task: Task,
    comment: str | None,
    files: Sequence[uuid.UUID],
) -> None:
    """An actor's action and the files it carries (checked by the caller beforehand)."""
    recorded = _act(db, instance, action, actor_user_id=actor_user_id, task=task, comment=comment)
    if files:
        # The action's row goes first: its files refer to it.
        await db.flush()
        attachments.attach(db, recorded, files)


async def _emit(db: AsyncSession, instance: Instance, what: str, **extra: Any) -> None:
    payload = {
        "instance_id": instance.id,
        "record_type": instance.record_type,
        "record_id": instance.record_id,
        "requester_user_id": instance.requester_user_id,
        **extra,
    }
    await emit(db, instance.tenant_id, EVENT_PREFIX + what, payload)


async def _new_task(
    db: AsyncSession,
    instance: Instance,
    step_index: int,
    step: Step,
    assignee: uuid.UUID,
    *,
    replaces: Task | None = None,
    due_at: datetime | None = None,
) -> Task:
    task = Task(
        tenant_id=instance.tenant_id,
        id=uuid7(),
        instance_id=instance.id,
        step_index=step_index,
        step_name=step.name,
        assignee_user_id=assignee,
        status="pending",
        due_at=due_at,
        replaces_id=replaces.id if replaces else None,
    )
    db.add(task)
    await _emit(
        db,
        instance,
        "requested",
        task_id=task.id,
        assignee_user_id=assignee,
        step_index=step_index,
        step_name=step.name,
    )
    return task


# --- Walking the steps --------------------------------------------------------------------


async def _approvers(
    db: AsyncSession, step: Step, requester: uuid.UUID, record: Any
) -> list[uuid.UUID]:
    """The step's approvers as members now, never the requester (no one approves their own)."""
    if step.approvers == "users":
        found = list((await directory.user_ids_of(db, step.users)).values())
    elif step.approvers == "manager":
        manager = await directory.manager_user_id(db, requester)
        found = [manager] if manager else []
    elif step.approvers == "manager_chain":
        found = await directory.manager_chain(db, requester, step.levels or 1)
    elif step.approvers == "field":
        found = await _field_approver(db, record, str(step.field))
    elif step.role in BUILTIN_ROLE_NAMES:
        found = await directory.user_ids_with_role(db, step.role)
    else:
        holders = await access.holders(db, uuid.UUID(str(step.role)))
        found = await directory.user_ids_of_memberships(db, holders)
    return [user for user in dict.fromkeys(found) if user != requester]


async def _field_approver(db: AsyncSession, record: Any, field: str) -> list[uuid.UUID]:
    """The member whose user id the record's field holds (none if empty or not a member)."""
    value = getattr(record, field, None)
    if value is None:
        return []
    try:
        wanted = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return []
    return list((await directory.user_ids_of(db, [wanted])).values())


async def _copy(db: AsyncSession, instance: Instance, index: int, step: Step) -> None:
    """Record the step's cc (members now, not the requester) and tell them, once per instance."""
    if not step.cc:
        return
    members = (await directory.user_ids_of(db, step.cc)).values()
    wanted = [u for u in dict.fromkeys(members) if u != instance.requester_user_id]
    if not wanted:
        return
    rows = [
        {"tenant_id": instance.tenant_id, "id": uuid7(), "instance_id": instance.id,
         "user_id": user, "step_index": index}
        for user in wanted
    ]  # fmt: skip
    statement = (
        insert(Cc)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["tenant_id", "instance_id", "user_id"])
        .returning(Cc.user_id)
    )
    copied = list((await db.execute(statement)).scalars())
    if copied:
        await _emit(db, instance, "copied", user_ids=copied, step_index=index, step_name=step.name)


def _applies(step: Step, values: dict[str, Any], index: int) -> bool:
    if step.condition is None:
        return True
    try:
        return evaluate(parse(step.condition), values)
    except ExpressionError as exc:
        raise Invalid(
            f"steps[{index}].condition", f"cannot be evaluated for this record: {exc}"
        ) from None


async def _enter_next_step(
    db: AsyncSession, flow: Flow, start: int, *, actor_user_id: uuid.UUID | None, now: datetime
) -> None:
    """Open the first applicable step from ``start``; with none left, the instance is approved."""
    instance = flow.instance
    record = await _record(db, flow.approvable, instance.record_id)
    values = flow.approvable.values_of(record)
    for index in range(start, len(flow.steps)):
        step = flow.steps[index]
        if not _applies(step, values, index):
            _act(db, instance, "step_skipped", actor_user_id=None, step_index=index)
            continue
        approvers = await _approvers(db, step, instance.requester_user_id, record)
        if not approvers:
            raise Invalid(
                "record_id", f"step {step.name!r} has no approver (other than the requester)"
            )
        instance.current_step = index
        limit = step.time_limit_in_minutes
        due_at = now + timedelta(minutes=limit) if limit else None
        for user in approvers:
            await _new_task(db, instance, index, step, user, due_at=due_at)
        await _copy(db, instance, index, step)
        return
    instance.status, instance.finished_at = "approved", now
    _act(db, instance, "approved", actor_user_id=actor_user_id)
    await _emit(db, instance, "approved")


async def _step_tasks(db: AsyncSession, instance: Instance, step_index: int) -> list[Task]:
    query = select(Task).where(Task.instance_id == instance.id, Task.step_index == step_index)
    return list((await db.scalars(query)).all())


def _step_complete(tasks: Sequence[Task], mode: str) -> bool:
    """Delegated and escalated tasks were handed on; the tasks that replaced them count."""
    live = [t for t in tasks if t.status in ("pending", "approved")]
    if mode == "any":
        return any(t.status == "approved" for t in live)
    return bool(live) and all(t.status == "approved" for t in live)


async def _withdraw_open(db: AsyncSession, instance: Instance, now: datetime) -> None:
    for task in (await db.scalars(select(Task).where(Task.instance_id == instance.id))).all():
        if task.status == "pending":
            task.status, task.acted_at = "withdrawn", now


# --- Submitting ---------------------------------------------------------------------------


async def submit(
    db: AsyncSession, registry: PluginRegistry, actor: Actor, *, record_type: str, record_id: str
) -> Instance:
    """Start the active workflow of the record type for this record."""
    tenant_id, _ = actor.require_member()
    approvable = _approvable(registry, actor, record_type)
    actor.require(approvable.submit_permission)
    record = await _record(db, approvable, record_id, actor)
    definition = await _active_definition(db, approvable, record)
    if await _pending_instance(db, record_type, str(record.id)) is not None:
        raise Conflict("This record is already waiting for approval.")
    version = (
        await db.scalars(
            select(DefinitionVersion).where(
                DefinitionVersion.definition_id == definition.id,
                DefinitionVersion.version == definition.current_version,
            )
        )
    ).one()
    instance = Instance(
        tenant_id=tenant_id,
        definition_id=definition.id,
        version_id=version.id,
        record_type=record_type,
        record_id=str(record.id),
        requester_user_id=actor.user_id,
        status="pending",
        current_step=0,
    )
    db.add(instance)
    await db.flush()
    now = datetime.now(UTC)
    _act(db, instance, "submitted", actor_user_id=actor.user_id)
    await _emit(db, instance, "submitted", version=version.version)
    flow = Flow(instance, [Step.from_json(s) for s in version.steps], approvable)
    await _enter_next_step(db, flow, 0, actor_user_id=actor.user_id, now=now)
    await db.flush()
    return instance


async def _active_definition(db: AsyncSession, approvable: Approvable, record: Any) -> Definition:
    """The record's own scope's active workflow, else its type's active unscoped one."""
    scope = approvable.scope_of(record)
    wanted = [None] if scope is None else [scope, None]
    found = {
        d.scope: d
        for d in (
            await db.scalars(
                select(Definition).where(
                    Definition.record_type == approvable.record_type,
                    Definition.active,
                    or_(*(same_scope(s) for s in wanted)),
                )
            )
        ).all()
    }
    definition = next((found[s] for s in wanted if s in found), None)
    if definition is None:
        raise Conflict(f"No workflow is active for {approvable.record_type!r}.")
    return definition


async def submit_for_approval(
    db: AsyncSession, actor: Actor, record_type: str, record_id: uuid.UUID | str
) -> Approval:
    """Start the active workflow of ``record_type`` for the record, ``actor`` requesting it.

    For a plugin's own route (``POST /deals/{id}/submit-for-approval``): the same rules and
    errors as ``POST /api/v1/workflow/submissions``, in the caller's transaction. The answer's
    status is ``approved`` at once when no step applies to the record.
    """
    instance = await submit(
        db, installed_plugins(), actor, record_type=record_type, record_id=str(record_id)
    )
    return Approval(instance.id, instance.record_type, instance.record_id, instance.status)


async def withdraw_approval(db: AsyncSession, actor: Actor, approval_id: uuid.UUID) -> Approval:
    """The requester takes back a pending approval before any approver has decided on it.

    For a plugin's own route (``POST /expenses/claims/{id}/withdraw``), in the caller's
    transaction: 403 for anyone but the requester, 409 once the approval has ended or an
    approver has approved, rejected or returned a task of it (a delegation is no decision).
    The engine emits ``tessera.approval.cancelled``.
    """
    instance = await cancel(db, installed_plugins(), actor, approval_id)
    return Approval(instance.id, instance.record_type, instance.record_id, instance.status)


#: Task statuses that are an approver's decision, as opposed to handing the task on.
DECISIONS = ("approved", "rejected", "returned")


async def _decided(db: AsyncSession, instance: Instance) -> bool:
    query = select(Task.id).where(Task.instance_id == instance.id, Task.status.in_(DECISIONS))
    return (await db.execute(query.limit(1))).first() is not None


def approver_of(
    actor: Actor, record_type: str, record_id: ColumnElement[Any] | QueryableAttribute[Any]
) -> ColumnElement[bool]:
    """SQL: the record (``record_id``, a plugin's id column) has an approval in which the actor
    holds or held a task. Approvers read what they are asked to decide on without a permission
    on the record itself: ``where(visible_to(...) | approver_of(actor, "oa.expense_claim",
    Claim.id))``."""
    return exists().where(
        Task.assignee_user_id == actor.user_id,
        Instance.tenant_id == Task.tenant_id,
        Instance.id == Task.instance_id,
        Instance.record_type == record_type,
        Instance.record_id == cast(record_id, String),
    )


async def cancel_approval(db: AsyncSession, actor: Actor, approval_id: uuid.UUID) -> Approval:
    """Withdraw a pending approval ``actor`` requested, in the caller's transaction.

    For a plugin's own route (``POST /leave/requests/{id}/withdraw``): the same rules and
    errors as ``POST /api/v1/workflow/instances/{id}/cancel`` and :func:`withdraw_approval`
    (only the requester; 409 once an approver decided). The engine emits
    ``tessera.approval.cancelled``.
    """
    instance = await cancel(db, installed_plugins(), actor, approval_id)
    return Approval(instance.id, instance.record_type, instance.record_id, instance.status)


async def _pending_instance(db: AsyncSession, record_type: str, record_id: str) -> Instance | None:
    query = select(Instance).where(
        Instance.record_type == record_type,
        Instance.record_id == record_id,
        Instance.status == "pending",
    )
    return (await db.scalars(query)).one_or_none()


# --- Acting on a task ---------------------------------------------------------------------


async def _assigned(
    db: AsyncSession, registry: PluginRegistry, actor: Actor, task_id: uuid.UUID
) -> tuple[Task, Flow]:
    """The caller's own open task on a pending instance, locked, with its flow."""
    task = await _locked_task(db, task_id)
    instance = await _locked_instance(db, task.instance_id)
    _approvable(registry, actor, instance.record_type)
    if task.assignee_user_id != actor.user_id:
        raise Forbidden("Only the task's assignee can act on it.")
    if task.status != "pending" or instance.status != "pending":
        raise Conflict(f"This task is already {task.status}.")
    return task, await _flow(db, registry, instance)


def _close(task: Task, status: str, comment: str | None, now: datetime) -> None:
    task.status, task.comment, task.acted_at = status, comment, now


async def approve(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    task_id: uuid.UUID,
    comment: str | None,
    files: Sequence[uuid.UUID] = (),
) -> Instance:
    task, flow = await _assigned(db, registry, actor, task_id)
    files = await attachments.checked(db, actor.user_id, files)
    instance, now = flow.instance, datetime.now(UTC)
    _close(task, "approved", comment, now)
    await _act_with_files(db, instance, "task_approved", actor_user_id=actor.user_id, task=task,
                          comment=comment, files=files)  # fmt: skip
    await db.flush()
    step = flow.steps[task.step_index]
    if not _step_complete(await _step_tasks(db, instance, task.step_index), step.mode):
        return instance
    await _withdraw_open(db, instance, now)
    _act(db, instance, "step_completed", actor_user_id=actor.user_id, step_index=task.step_index)
    await _emit(db, instance, "step_completed", step_index=task.step_index, step_name=step.name)
    await _enter_next_step(db, flow, task.step_index + 1, actor_user_id=actor.user_id, now=now)
    await db.flush()
    return instance


async def finish(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    task_id: uuid.UUID,
    comment: str | None,
    *,
    outcome: str,
    files: Sequence[uuid.UUID] = (),
) -> Instance:
    """Reject the instance, or return it to the requester for changes (``outcome``)."""
    if outcome not in ("rejected", "returned"):
        raise ValueError(f"not an outcome a task can end an approval with: {outcome!r}")
    task, flow = await _assigned(db, registry, actor, task_id)
    files = await attachments.checked(db, actor.user_id, files)
    instance, now = flow.instance, datetime.now(UTC)
    _close(task, outcome, comment, now)
    await _withdraw_open(db, instance, now)
    instance.status, instance.finished_at = outcome, now
    await _act_with_files(db, instance, outcome, actor_user_id=actor.user_id, task=task,
                          comment=comment, files=files)  # fmt: skip
    await _emit(db, instance, outcome, task_id=task.id, comment=comment)
    await db.flush()
    return instance


async def delegate(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    task_id: uuid.UUID,
    to_user: uuid.UUID,
    comment: str | None,
) -> Task:
    """Hand the task to another member: a new task for them; the original is ``delegated``."""
    task, flow = await _assigned(db, registry, actor, task_id)
    instance, now = flow.instance, datetime.now(UTC)
    known = await directory.user_ids_of(db, [to_user])
    if not known:
        raise Invalid("user_id", "not a member of this tenant")
    target = known[to_user]
    if target in (actor.user_id, instance.requester_user_id):
        raise Invalid("user_id", "delegate to someone other than yourself and the requester")
    open_tasks = await _step_tasks(db, instance, task.step_index)
    if any(t.assignee_user_id == target and t.status == "pending" for t in open_tasks):
        raise Conflict("That member already has this step's task.")
    _close(task, "delegated", comment, now)
    new = await _new_task(
        db, instance, task.step_index, flow.steps[task.step_index], target,
        replaces=task, due_at=task.due_at,
    )  # fmt: skip
    _act(db, instance, "delegated", actor_user_id=actor.user_id, task=task, comment=comment)
    await _emit(db, instance, "delegated", task_id=task.id, new_task_id=new.id, to_user_id=target)
    await db.flush()
    return new


async def comment(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    task_id: uuid.UUID,
    text: str,
    files: Sequence[uuid.UUID] = (),
) -> Instance:
    """A remark on the approval by any participant (the requester or an assignee)."""
    if not text.strip():
        raise Invalid("comment", "must not be empty")
    task = await _locked_task(db, task_id)
    instance = await _locked_instance(db, task.instance_id)
    _approvable(registry, actor, instance.record_type)
    if not await _participates(db, instance, actor.user_id):
        raise Forbidden("Only the requester and the approvers can comment.")
    files = await attachments.checked(db, actor.user_id, files)
    await _act_with_files(db, instance, "commented", actor_user_id=actor.user_id, task=task,
                          comment=text, files=files)  # fmt: skip
    await _emit(db, instance, "commented", task_id=task.id)
    await db.flush()
    return instance


async def _participates(db: AsyncSession, instance: Instance, user_id: uuid.UUID) -> bool:
    if instance.requester_user_id == user_id:
        return True
    query = select(Task.id).where(Task.instance_id == instance.id, Task.assignee_user_id == user_id)
    return (await db.execute(query.limit(1))).first() is not None


async def _check_withdrawable(db: AsyncSession, actor: Actor, instance: Instance) -> None:
    """The one withdrawal rule, for the HTTP endpoint and both plugin functions alike: only the
    requester, only while pending, and only before any approver approved, rejected or returned
    a task of it (a delegation or an escalation hands a task on; it decides nothing).

    ``instance`` must be locked: a decision committed meanwhile is then seen (deciding locks
    the instance too).
    """
    if instance.requester_user_id != actor.user_id:
        raise Forbidden("Only the requester can withdraw an approval.")
    if instance.status != "pending":
        raise Conflict(f"This approval is already {instance.status}.")
    if await _decided(db, instance):
        raise Conflict(
            "An approver has already decided on this request, so it can no longer be withdrawn."
        )


async def cancel(
    db: AsyncSession, registry: PluginRegistry, actor: Actor, instance_id: uuid.UUID
) -> Instance:
    """The requester withdraws a pending approval nobody has decided on yet."""
    instance = await _locked_instance(db, instance_id)
    _approvable(registry, actor, instance.record_type)
    await _check_withdrawable(db, actor, instance)
    now = datetime.now(UTC)
    await _withdraw_open(db, instance, now)
    instance.status, instance.finished_at = "cancelled", now
    _act(db, instance, "cancelled", actor_user_id=actor.user_id)
    await _emit(db, instance, "cancelled")
    await db.flush()
    return instance


# --- Escalation ---------------------------------------------------------------------------


async def escalate_overdue(
    db: AsyncSession, tenant_id: uuid.UUID, now: datetime, registry: PluginRegistry | None = None
) -> int:
    """Hand every overdue open task of the tenant to its step's escalation target; how many.

    ``db`` must be scoped to ``tenant_id`` (its transaction's tenant setting). The new task has
    no time limit of its own, so a task escalates once. A task whose target cannot be found
    (no manager) keeps waiting, its time limit cleared, and the history says why.
    """
    registry = registry or installed_plugins()
    query = (
        select(Task)
        .where(Task.tenant_id == tenant_id, Task.status == "pending", Task.due_at <= now)
        .order_by(Task.id)
        .with_for_update(skip_locked=True)
    )
    escalated = 0
    for task in (await db.scalars(query)).all():
        instance = await _locked_instance(db, task.instance_id)
        flow = await _flow(db, registry, instance)
        if await _escalate(db, flow, task, now):
            escalated += 1
    await db.flush()
    return escalated


async def _escalation_target(
    db: AsyncSession, step: Step, task: Task, instance: Instance
) -> uuid.UUID | None:
    if step.escalate_to is None:
        return None
    if step.escalate_to == MANAGER:
        target = await directory.manager_user_id(db, task.assignee_user_id)
    else:
        wanted = uuid.UUID(step.escalate_to)
        target = wanted if await directory.is_member(db, wanted) else None
    if target in (task.assignee_user_id, instance.requester_user_id):
        return None
    return target


async def _escalate(db: AsyncSession, flow: Flow, task: Task, now: datetime) -> bool:
    instance, step = flow.instance, flow.steps[task.step_index]
    target = await _escalation_target(db, step, task, instance)
    if target is None:
        task.due_at = None
        _act(db, instance, "escalation_skipped", actor_user_id=None, task=task,
             comment="no one to escalate to")  # fmt: skip
        return False
    task.status, task.acted_at = "escalated", now
    new = await _new_task(db, instance, task.step_index, step, target, replaces=task)
    _act(db, instance, "escalated", actor_user_id=None, task=task)
    await _emit(db, instance, "escalated", task_id=task.id, new_task_id=new.id, to_user_id=target)
    return True


# --- Reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class History:
    instance: Instance
    version: int
    tasks: list[Task]
    actions: list[Action]


async def history(
    db: AsyncSession, registry: PluginRegistry, actor: Actor, record_type: str, record_id: str
) -> list[History]:
    """The record's approvals, oldest first, that the caller took part in or may read all of.

    Approvers need no permission on the record itself, so only its existence is checked.
    """
    await _record(db, _approvable(registry, actor, record_type), record_id)
    instances = list(
        (
            await db.scalars(
                select(Instance)
                .where(Instance.record_type == record_type, Instance.record_id == record_id)
                .order_by(Instance.id)
            )
        ).all()
    )
    ids = [i.id for i in instances]
    tasks = (
        await db.scalars(select(Task).where(Task.instance_id.in_(ids)).order_by(Task.id))
    ).all()
    actions = (
        await db.scalars(select(Action).where(Action.instance_id.in_(ids)).order_by(Action.id))
    ).all()
    version_rows = await db.execute(
        select(DefinitionVersion.id, DefinitionVersion.version).where(
            DefinitionVersion.id.in_([i.version_id for i in instances])
        )
    )
    versions = {row[0]: row[1] for row in version_rows}
    found = []
    for instance in instances:
        own_tasks = [t for t in tasks if t.instance_id == instance.id]
        participant = actor.user_id == instance.requester_user_id or any(
            t.assignee_user_id == actor.user_id for t in own_tasks
        )
        if not (participant or actor.can(READ_ALL)):
            continue
        found.append(
            History(
                instance,
                versions[instance.version_id],
                own_tasks,
                [a for a in actions if a.instance_id == instance.id],
            )
        )
    return found
