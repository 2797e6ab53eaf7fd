"""What the browser app shows of tasks and projects: menu entries and the screens of their
records. Tasks come as a list by due date, a board by status and a calendar by due date (a
month asks ``due_from`` and ``due_to``); a task's page lists its subtasks, checklist and
comments, a project's its members and tasks (the related lists the generic screens find by
their reference filters)."""

from __future__ import annotations

from tessera.plugin import Field, MenuItem, Resource
from tessera_oa.task_access import READ, WRITE
from tessera_oa.task_models import PROJECT_ROLES, PROJECT_STATUSES, TASK_PRIORITIES, TASK_STATUSES

USER = "identity.user"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)

MENU = (
    MenuItem(
        "Tasks", "/oa/tasks", icon="check-square", permission=READ, order=70, resource="oa.task"
    ),
    MenuItem(
        "Projects", "/oa/projects", icon="project", permission=READ, order=71, resource="oa.project"
    ),
)

TASK = Resource(
    name="oa.task",
    label="Task",
    endpoint="/api/v1/oa/tasks",
    fields=(
        Field("title", "Title", required=True),
        Field("description", "Description", type="longtext"),
        Field("project_id", "Project", type="reference", reference="oa.project", create_only=True),
        Field("parent_id", "Subtask of", type="reference", reference="oa.task"),
        Field("assignee_id", "Assignee", type="reference", reference=USER),
        Field("due_date", "Due", type="date"),
        Field("priority", "Priority", type="enum", options=TASK_PRIORITIES),
        Field("status", "Status", type="enum", options=TASK_STATUSES),
        Field("completed_at", "Completed", type="datetime", read_only=True),
        Field("created_by", "Created by", type="reference", reference=USER, read_only=True),
        Field("source_record_type", "Made for", read_only=True),
        Field("source_record_id", "Made for record", read_only=True),
        Field("subtasks", "Subtasks", type="number", read_only=True),
        Field("checklist_done", "Checklist done", type="number", read_only=True),
        Field("checklist_total", "Checklist lines", type="number", read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("title", "project_id", "assignee_id", "due_date", "priority", "status"),
    filters=("project_id", "assignee_id", "status", "priority", "due_date", "parent_id"),
    filter_params=(("due_date", "due"),),
    form=(
        ("title",),
        ("project_id", "parent_id"),
        ("assignee_id", "due_date"),
        ("priority", "status"),
        ("description",),
    ),
    title_field="title",
    read_permission=READ,
    write_permission=WRITE,
    kanban_by="status",
    calendar_by="due_date",
    search=True,
    sort_fields=("due_date", "title", "created_at", "updated_at"),
    deletable=True,
    audit_type="oa_task",
)

PROJECT = Resource(
    name="oa.project",
    label="Project",
    endpoint="/api/v1/oa/projects",
    fields=(
        Field("name", "Name", required=True),
        Field("description", "Description", type="longtext"),
        Field("status", "Status", type="enum", options=PROJECT_STATUSES),
        Field("owner_id", "Owner", type="reference", reference=USER),
        Field("my_role", "My part", type="enum", options=PROJECT_ROLES, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "status", "owner_id", "my_role", "updated_at"),
    filters=("status",),
    form=(("name",), ("status", "owner_id"), ("description",)),
    title_field="name",
    read_permission=READ,
    write_permission=WRITE,
    search=True,
    sort_fields=("name", "created_at", "updated_at"),
    deletable=True,
    audit_type="oa_project",
)

PROJECT_MEMBER = Resource(
    name="oa.project_member",
    label="Project member",
    endpoint="/api/v1/oa/project-members",
    fields=(
        Field(
            "project_id",
            "Project",
            type="reference",
            reference="oa.project",
            required=True,
            create_only=True,
        ),
        Field(
            "user_id", "Member", type="reference", reference=USER, required=True, create_only=True
        ),
        Field("email", "Email", read_only=True),
        Field("role", "Role", type="enum", options=PROJECT_ROLES),
        CREATED,
    ),
    list_columns=("user_id", "email", "role", "project_id"),
    filters=("project_id", "user_id"),
    form=(("project_id", "user_id"), ("role",)),
    title_field="email",
    read_permission=READ,
    write_permission=WRITE,
    deletable=True,
    audit_type="oa_project_member",
)

CHECKLIST_ITEM = Resource(
    name="oa.task_checklist_item",
    label="Checklist item",
    endpoint="/api/v1/oa/task-checklist",
    fields=(
        Field(
            "task_id",
            "Task",
            type="reference",
            reference="oa.task",
            required=True,
            create_only=True,
        ),
        Field("text", "Item", required=True),
        Field("done", "Done", type="bool"),
        Field("position", "Position", type="number"),
        CREATED,
        UPDATED,
    ),
    list_columns=("position", "text", "done"),
    filters=("task_id",),
    form=(("task_id",), ("text",), ("done", "position")),
    title_field="text",
    read_permission=READ,
    write_permission=WRITE,
    sort_fields=("position", "created_at"),
    deletable=True,
    audit_type="oa_task_checklist_item",
)

COMMENT = Resource(
    name="oa.task_comment",
    label="Comment",
    endpoint="/api/v1/oa/task-comments",
    fields=(
        Field(
            "task_id",
            "Task",
            type="reference",
            reference="oa.task",
            required=True,
            create_only=True,
        ),
        Field("body", "Comment", type="longtext", required=True),
        Field("author_id", "Author", type="reference", reference=USER, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("author_id", "body", "created_at"),
    filters=("task_id",),
    form=(("task_id",), ("body",)),
    title_field="body",
    read_permission=READ,
    write_permission=WRITE,
    deletable=True,
    audit_type="oa_task_comment",
)

RESOURCES = (TASK, PROJECT, PROJECT_MEMBER, CHECKLIST_ITEM, COMMENT)
