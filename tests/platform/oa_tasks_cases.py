"""The permission matrix's cases for OA tasks and projects (tests/platform/test_permissions.py
adds them to its own).

Each builds a valid request for the person under test: the projects, tasks, checklist lines and
comments it changes are the actor's own (a project the actor manages, a task the actor made),
so a member passes the record rules as an owner does.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tests.support import SignedUp

OA = "/api/v1/oa"
PROJECTS, MEMBERS, TASKS = f"{OA}/projects", f"{OA}/project-members", f"{OA}/tasks"
CHECKLIST, COMMENTS = f"{OA}/task-checklist", f"{OA}/task-comments"
Request = tuple[str, dict[str, Any] | None]


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp

    async def throwaway_member(self) -> str: ...


Build = Callable[[Any], Awaitable[Request]]


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


async def _made(who: SignedUp, path: str, body: dict[str, Any]) -> str:
    made = await who.post(path, json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _project_id(s: Scene) -> str:
    return await _made(s.actor, PROJECTS, {"name": f"Project {uuid.uuid4().hex[:8]}"})


async def _task_id(s: Scene) -> str:
    return await _made(s.actor, TASKS, {"title": "Matrix", "checklist": ["One", "Two"]})


async def _project(s: Scene) -> Request:
    return f"{PROJECTS}/{await _project_id(s)}", None


async def _project_patch(s: Scene) -> Request:
    return f"{PROJECTS}/{await _project_id(s)}", {"description": "Changed"}


async def _member_user(s: Scene) -> str:
    membership = await s.throwaway_member()
    members = (await s.owner.get("/api/v1/members", params={"limit": 200})).json()["items"]
    return str(next(m["user_id"] for m in members if m["id"] == membership))


async def _new_member(s: Scene) -> Request:
    return MEMBERS, {"project_id": await _project_id(s), "user_id": await _member_user(s)}


async def _member_place(s: Scene) -> str:
    path, body = await _new_member(s)
    assert body is not None
    return await _made(s.actor, path, body)


async def _member(s: Scene) -> Request:
    return f"{MEMBERS}/{await _member_place(s)}", None


async def _member_patch(s: Scene) -> Request:
    return f"{MEMBERS}/{await _member_place(s)}", {"role": "manager"}


async def _task(s: Scene) -> Request:
    return f"{TASKS}/{await _task_id(s)}", None


async def _task_patch(s: Scene) -> Request:
    return f"{TASKS}/{await _task_id(s)}", {"status": "in_progress"}


async def _new_line(s: Scene) -> Request:
    return CHECKLIST, {"task_id": await _task_id(s), "text": "Three"}


async def _line_id(s: Scene) -> str:
    path, body = await _new_line(s)
    assert body is not None
    return await _made(s.actor, path, body)


async def _line(s: Scene) -> Request:
    return f"{CHECKLIST}/{await _line_id(s)}", None


async def _line_patch(s: Scene) -> Request:
    return f"{CHECKLIST}/{await _line_id(s)}", {"done": True, "position": 0}


async def _new_comment(s: Scene) -> Request:
    return COMMENTS, {"task_id": await _task_id(s), "body": "Noted"}


async def _comment_id(s: Scene) -> str:
    path, body = await _new_comment(s)
    assert body is not None
    return await _made(s.actor, path, body)


async def _comment(s: Scene) -> Request:
    return f"{COMMENTS}/{await _comment_id(s)}", None


async def _comment_patch(s: Scene) -> Request:
    return f"{COMMENTS}/{await _comment_id(s)}", {"body": "Changed"}


TASK_CASES: list[tuple[str, str, Build]] = [
    ("GET", PROJECTS, fixed(PROJECTS)),
    ("POST", PROJECTS, fixed(PROJECTS, {"name": "Matrix"})),
    ("GET", f"{PROJECTS}/{{project_id:uuid}}", _project),
    ("PATCH", f"{PROJECTS}/{{project_id:uuid}}", _project_patch),
    ("DELETE", f"{PROJECTS}/{{project_id:uuid}}", _project),
    ("GET", MEMBERS, fixed(MEMBERS)),
    ("POST", MEMBERS, _new_member),
    ("GET", f"{MEMBERS}/{{member_id:uuid}}", _member),
    ("PATCH", f"{MEMBERS}/{{member_id:uuid}}", _member_patch),
    ("DELETE", f"{MEMBERS}/{{member_id:uuid}}", _member),
    ("GET", TASKS, fixed(TASKS)),
    ("POST", TASKS, fixed(TASKS, {"title": "Matrix", "priority": "high"})),
    ("GET", f"{TASKS}/{{task_id:uuid}}", _task),
    ("PATCH", f"{TASKS}/{{task_id:uuid}}", _task_patch),
    ("DELETE", f"{TASKS}/{{task_id:uuid}}", _task),
    ("GET", CHECKLIST, fixed(CHECKLIST)),
    ("POST", CHECKLIST, _new_line),
    ("GET", f"{CHECKLIST}/{{item_id:uuid}}", _line),
    ("PATCH", f"{CHECKLIST}/{{item_id:uuid}}", _line_patch),
    ("DELETE", f"{CHECKLIST}/{{item_id:uuid}}", _line),
    ("GET", COMMENTS, fixed(COMMENTS)),
    ("POST", COMMENTS, _new_comment),
    ("GET", f"{COMMENTS}/{{comment_id:uuid}}", _comment),
    ("PATCH", f"{COMMENTS}/{{comment_id:uuid}}", _comment_patch),
    ("DELETE", f"{COMMENTS}/{{comment_id:uuid}}", _comment),
]
