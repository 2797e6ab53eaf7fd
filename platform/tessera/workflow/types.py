"""What a plugin declares to the workflow engine, and the shape of a workflow's steps.

A plugin makes a record type approvable and may ship default workflows::

    Approvable(record_type="expenses.claim", model=Claim, label="Expense claim",
               fields=("amount", "department"), submit_permission="expenses.claim.write")
    WorkflowTemplate(key="expenses.claim_approval", record_type="expenses.claim",
                     name="Claim approval", steps=(Step("Manager", approvers="manager"),),
                     guarded_fields=("amount",))

These are plain frozen data; :meth:`Step.check` validates a step the same way for a template
(at start-up) and for a definition an admin saves (as field errors of the request).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect

from tessera.errors import Invalid
from tessera.workflow.expressions import ExpressionError, Type, check, parse

APPROVER_KINDS = ("users", "role", "manager", "manager_chain", "field")
MODES = ("any", "all")
BUILTIN_ROLE_NAMES = ("owner", "admin", "member")
#: ``escalate_to`` may name the overdue approver's manager instead of a user.
MANAGER = "manager"
MAX_STEPS = 20
MAX_USERS = 50
#: How far up the reporting line a ``manager_chain`` step may reach.
MAX_LEVELS = 5
MAX_HOURS = 24 * 365
MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class Step:
    """One approval step.

    ``approvers`` is ``users`` (the ids in ``users``), ``role`` (everyone holding ``role``: a
    built-in role name or a custom role's id), ``manager`` (the requester's manager),
    ``manager_chain`` (the requester's managers up the reporting line, ``levels`` of them at
    most) or ``field`` (the member whose user id the record holds in ``field``, one of the
    approvable's ``user_fields``). ``cc`` (user ids) are copied when the step opens: told, and
    allowed to read the approval, without a task.
    ``mode`` ``any``: one approval completes the step; ``all``: every approver must approve.
    A step whose ``condition`` is false for the record is skipped. A task left longer than its
    time limit is escalated to ``escalate_to`` (a user id, or ``"manager"``: the approver's).
    """

    name: str
    approvers: str
    users: tuple[uuid.UUID, ...] = ()
    role: str | None = None
    mode: str = "any"
    condition: str | None = None
    time_limit_hours: int | None = None
    time_limit_minutes: int | None = None
    escalate_to: str | None = None
    levels: int | None = None
    field: str | None = None
    cc: tuple[uuid.UUID, ...] = ()

    @property
    def time_limit_in_minutes(self) -> int | None:
        if self.time_limit_minutes is not None:
            return self.time_limit_minutes
        if self.time_limit_hours is not None:
            return self.time_limit_hours * 60
        return None

    def check(
        self, path: str, field_types: Mapping[str, Type], user_fields: Collection[str] = ()
    ) -> Step:
        """The step, cleaned; :class:`Invalid` naming ``path``'s offending field otherwise.

        ``user_fields`` are the record's fields a ``field`` step may name. Whether users and
        custom roles exist in a tenant is checked by the service.
        """
        name = " ".join(self.name.split())
        if not name or len(name) > MAX_NAME:
            raise Invalid(f"{path}.name", f"must be 1 to {MAX_NAME} characters")
        if self.approvers not in APPROVER_KINDS:
            raise Invalid(f"{path}.approvers", f"must be one of {', '.join(APPROVER_KINDS)}")
        if self.mode not in MODES:
            raise Invalid(f"{path}.mode", f"must be one of {', '.join(MODES)}")
        self._check_approvers(path)
        self._check_reach(path, user_fields)
        if len(self.cc) > MAX_USERS:
            raise Invalid(f"{path}.cc", f"at most {MAX_USERS} users")
        if self.condition is not None:
            check_condition(self.condition, field_types, f"{path}.condition")
        self._check_time_limit(path)
        return Step(
            name=name,
            approvers=self.approvers,
            users=tuple(dict.fromkeys(self.users)),
            role=self.role,
            mode=self.mode,
            condition=self.condition.strip() if self.condition else None,
            time_limit_hours=self.time_limit_hours,
            time_limit_minutes=self.time_limit_minutes,
            escalate_to=self.escalate_to,
            levels=self.levels,
            field=self.field,
            cc=tuple(dict.fromkeys(self.cc)),
        )

    def _check_reach(self, path: str, user_fields: Collection[str]) -> None:
        """``levels`` belongs to ``manager_chain`` steps, ``field`` to ``field`` steps."""
        if self.approvers == "manager_chain":
            if self.levels is None or not 1 <= self.levels <= MAX_LEVELS:
                raise Invalid(f"{path}.levels", f"must be from 1 to {MAX_LEVELS}")
        elif self.levels is not None:
            raise Invalid(f"{path}.levels", "only for approvers 'manager_chain'")
        if self.approvers == "field":
            if self.field not in user_fields:
                known = ", ".join(user_fields) or "none"
                raise Invalid(
                    f"{path}.field", f"must be a user field of this record type ({known})"
                )
        elif self.field is not None:
            raise Invalid(f"{path}.field", "only for approvers 'field'")

    def _check_approvers(self, path: str) -> None:
        if self.approvers == "users":
            if not self.users:
                raise Invalid(f"{path}.users", "name at least one user")
            if len(self.users) > MAX_USERS:
                raise Invalid(f"{path}.users", f"at most {MAX_USERS} users")
        elif self.users:
            raise Invalid(f"{path}.users", "only for approvers 'users'")
        if self.approvers == "role":
            if not self.role:
                raise Invalid(f"{path}.role", "name a built-in role or a custom role's id")
            if self.role not in BUILTIN_ROLE_NAMES and _as_uuid(self.role) is None:
                raise Invalid(
                    f"{path}.role",
                    f"must be one of {', '.join(BUILTIN_ROLE_NAMES)} or a custom role's id",
                )
        elif self.role is not None:
            raise Invalid(f"{path}.role", "only for approvers 'role'")

    def _check_time_limit(self, path: str) -> None:
        hours, minutes = self.time_limit_hours, self.time_limit_minutes
        if hours is not None and minutes is not None:
            raise Invalid(f"{path}.time_limit_minutes", "give hours or minutes, not both")
        if hours is not None and not 1 <= hours <= MAX_HOURS:
            raise Invalid(f"{path}.time_limit_hours", f"must be from 1 to {MAX_HOURS}")
        if minutes is not None and not 1 <= minutes <= MAX_HOURS * 60:
            raise Invalid(f"{path}.time_limit_minutes", f"must be from 1 to {MAX_HOURS * 60}")
        limited = hours is not None or minutes is not None
        if limited and self.escalate_to is None:
            raise Invalid(
                f"{path}.escalate_to", "a step with a time limit needs someone to escalate to"
            )
        if self.escalate_to is not None:
            if not limited:
                raise Invalid(f"{path}.escalate_to", "escalation needs a time limit")
            if self.escalate_to != MANAGER and _as_uuid(self.escalate_to) is None:
                raise Invalid(f"{path}.escalate_to", "must be a user id or 'manager'")

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "approvers": self.approvers,
            "users": [str(u) for u in self.users],
            "role": self.role,
            "mode": self.mode,
            "condition": self.condition,
            "time_limit_hours": self.time_limit_hours,
            "time_limit_minutes": self.time_limit_minutes,
            "escalate_to": self.escalate_to,
            "levels": self.levels,
            "field": self.field,
            "cc": [str(u) for u in self.cc],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Step:
        return cls(
            name=data["name"],
            approvers=data["approvers"],
            users=tuple(uuid.UUID(u) for u in data.get("users") or ()),
            role=data.get("role"),
            mode=data.get("mode", "any"),
            condition=data.get("condition"),
            time_limit_hours=data.get("time_limit_hours"),
            time_limit_minutes=data.get("time_limit_minutes"),
            escalate_to=data.get("escalate_to"),
            # Versions saved before these keys existed load as steps without them.
            levels=data.get("levels"),
            field=data.get("field"),
            cc=tuple(uuid.UUID(u) for u in data.get("cc") or ()),
        )


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def check_condition(condition: str, field_types: Mapping[str, Type], path: str) -> None:
    try:
        check(parse(condition), field_types)
    except ExpressionError as exc:
        raise Invalid(path, str(exc)) from None


def check_steps(
    steps: Sequence[Step],
    field_types: Mapping[str, Type],
    path: str = "steps",
    user_fields: Collection[str] = (),
) -> list[Step]:
    if not steps:
        raise Invalid(path, "a workflow needs at least one step")
    if len(steps) > MAX_STEPS:
        raise Invalid(path, f"at most {MAX_STEPS} steps")
    return [
        step.check(f"{path}[{index}]", field_types, user_fields) for index, step in enumerate(steps)
    ]


def check_guarded(
    guarded: Sequence[str], fields: Sequence[str], path: str = "guarded_fields"
) -> list[str]:
    for index, name in enumerate(guarded):
        if name not in fields:
            raise Invalid(f"{path}[{index}]", f"{name!r} is not a field of this record type")
    return list(dict.fromkeys(guarded))


@dataclass(frozen=True, slots=True)
class Approvable:
    """A plugin's record type that workflows can be attached to.

    ``fields`` are the model attributes conditions may read and definitions may guard;
    ``submit_permission`` (one the plugin declares) is needed to submit a record; with
    ``owner_field`` the submitter must also reach the record under that permission's scope.
    ``user_fields`` hold a member's user id and may name a step's approver (``field`` steps);
    the approval centre shows ``title_field`` as the record's title in lists (the label and a
    short id without it) and ``summary_fields`` as key/values of one approval.
    With ``scope_field``, each value of that attribute (an OA request's form, say) may have a
    workflow of its own: submitting picks the active definition whose ``scope`` is
    ``str(record.<scope_field>)``, else the type's active unscoped one.
    """

    record_type: str
    model: type[Any]
    label: str
    fields: tuple[str, ...]
    submit_permission: str
    owner_field: str | None = None
    user_fields: tuple[str, ...] = ()
    title_field: str | None = None
    summary_fields: tuple[str, ...] = ()
    scope_field: str | None = None

    @property
    def module(self) -> str:
        return self.record_type.split(".", 1)[0]

    def field_types(self) -> dict[str, Type]:
        columns = inspect(self.model).columns
        return {name: _column_type(columns[name]) for name in self.fields if name in columns}

    def values_of(self, record: object) -> dict[str, Any]:
        return {name: getattr(record, name) for name in self.fields}

    def scope_of(self, record: object) -> str | None:
        """The scope whose workflow the record is submitted to first (None: only unscoped)."""
        if self.scope_field is None:
            return None
        value = getattr(record, self.scope_field)
        return None if value is None else str(value)


def _column_type(column: Any) -> Type:
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return "other"
    if python_type is bool:
        return "boolean"
    if issubclass(python_type, int | float | Decimal):
        return "number"
    if python_type is str:
        return "string"
    return "other"


@dataclass(frozen=True, slots=True)
class Approval:
    """One approval of a record, as a plugin sees it (not the engine's row).

    ``id`` is the ``instance_id`` of the ``tessera.approval.*`` events about it; ``status`` is
    ``pending``, ``approved``, ``rejected``, ``returned`` or ``cancelled``.
    """

    id: uuid.UUID
    record_type: str
    record_id: str
    status: str


@dataclass(frozen=True, slots=True)
class WorkflowTemplate:
    """A default workflow a tenant gets when it enables the plugin (if it has none by ``key``).

    Templates cannot name users (a plugin knows no tenant's people): use ``role`` or ``manager``.
    """

    key: str
    record_type: str
    name: str
    steps: tuple[Step, ...]
    guarded_fields: tuple[str, ...] = ()
    description: str = field(default="")
