"""The permission matrix's cases for OA documents (tests/platform/test_permissions.py adds them to
its own).

Every document route needs only ``oa.document.read``; what a member may do in a folder is then
the folder's shares' business. So each case builds a request the person under test may make: in
a folder the owner made and shared with them for writing, or in one they made themselves
(which they manage), never at the top of the tree, which is the admins'.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tests.support import SignedUp

OA = "/api/v1/oa"
FOLDERS, SHARES = f"{OA}/folders", f"{OA}/folder-shares"
DOCUMENTS, VERSIONS = f"{OA}/documents", f"{OA}/document-versions"
Request = tuple[str, dict[str, Any] | None]


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp


Build = Callable[[Any], Awaitable[Request]]


def _name(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


async def _made(who: SignedUp, path: str, **kwargs: Any) -> dict[str, Any]:
    made = await who.post(path, **kwargs)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def _shared_folder(s: Scene) -> str:
    """A top-level folder of the owner's, shared with the actor for writing."""
    folder = await _made(s.owner, FOLDERS, json={"name": _name("Shared")})
    grant = {"folder_id": folder["id"], "access": "write", "user_id": s.actor.user_id}
    await _made(s.owner, SHARES, json=grant)
    return str(folder["id"])


async def _own_folder(s: Scene) -> str:
    """A folder the actor made inside a shared one, and so manages."""
    parent = await _shared_folder(s)
    return str(
        (await _made(s.actor, FOLDERS, json={"name": _name("Own"), "parent_id": parent}))["id"]
    )


async def _document(s: Scene) -> str:
    folder = await _shared_folder(s)
    params = {"folder_id": folder, "filename": f"{_name('doc')}.txt"}
    return str((await _made(s.owner, DOCUMENTS, params=params, content=b"matrix"))["id"])


async def _share(s: Scene) -> str:
    folder = await _own_folder(s)
    grant = {"folder_id": folder, "access": "read", "role": "member"}
    return str((await _made(s.actor, SHARES, json=grant))["id"])


async def _version(s: Scene) -> str:
    document = await _document(s)
    listed = await s.owner.get(VERSIONS, params={"document_id": document})
    return str(listed.json()["items"][0]["id"])


async def _folder_create(s: Scene) -> Request:
    return FOLDERS, {"name": _name("New"), "parent_id": await _shared_folder(s)}


async def _folder_get(s: Scene) -> Request:
    return f"{FOLDERS}/{await _shared_folder(s)}", None


async def _folder_patch(s: Scene) -> Request:
    return f"{FOLDERS}/{await _own_folder(s)}", {"name": _name("Renamed")}


async def _folder_delete(s: Scene) -> Request:
    return f"{FOLDERS}/{await _own_folder(s)}", None


async def _shares(s: Scene) -> Request:
    return f"{SHARES}?folder_id={await _shared_folder(s)}", None


async def _share_create(s: Scene) -> Request:
    return SHARES, {"folder_id": await _own_folder(s), "access": "read", "role": "member"}


async def _share_get(s: Scene) -> Request:
    return f"{SHARES}/{await _share(s)}", None


async def _share_patch(s: Scene) -> Request:
    return f"{SHARES}/{await _share(s)}", {"access": "write"}


async def _upload(s: Scene) -> Request:
    # No body is an empty file: the folder and the name in the query are all it needs.
    return f"{DOCUMENTS}?folder_id={await _shared_folder(s)}&filename=matrix.txt", None


async def _document_get(s: Scene) -> Request:
    return f"{DOCUMENTS}/{await _document(s)}", None


async def _document_patch(s: Scene) -> Request:
    return f"{DOCUMENTS}/{await _document(s)}", {"name": f"{_name('renamed')}.txt"}


async def _content(s: Scene) -> Request:
    return f"{DOCUMENTS}/{await _document(s)}/content", None


async def _versions(s: Scene) -> Request:
    return f"{VERSIONS}?document_id={await _document(s)}", None


async def _version_upload(s: Scene) -> Request:
    return f"{VERSIONS}?document_id={await _document(s)}&filename=v2.txt", None


async def _version_get(s: Scene) -> Request:
    return f"{VERSIONS}/{await _version(s)}", None


async def _version_content(s: Scene) -> Request:
    return f"{VERSIONS}/{await _version(s)}/content", None


async def _folders(s: Scene) -> Request:
    return FOLDERS, None


async def _documents(s: Scene) -> Request:
    return DOCUMENTS, None


DOCUMENT_CASES: list[tuple[str, str, Build]] = [
    ("GET", FOLDERS, _folders),
    ("POST", FOLDERS, _folder_create),
    ("GET", f"{FOLDERS}/{{folder_id:uuid}}", _folder_get),
    ("PATCH", f"{FOLDERS}/{{folder_id:uuid}}", _folder_patch),
    ("DELETE", f"{FOLDERS}/{{folder_id:uuid}}", _folder_delete),
    ("GET", SHARES, _shares),
    ("POST", SHARES, _share_create),
    ("GET", f"{SHARES}/{{share_id:uuid}}", _share_get),
    ("PATCH", f"{SHARES}/{{share_id:uuid}}", _share_patch),
    ("DELETE", f"{SHARES}/{{share_id:uuid}}", _share_get),
    ("GET", DOCUMENTS, _documents),
    ("POST", DOCUMENTS, _upload),
    ("GET", f"{DOCUMENTS}/{{document_id:uuid}}", _document_get),
    ("PATCH", f"{DOCUMENTS}/{{document_id:uuid}}", _document_patch),
    ("DELETE", f"{DOCUMENTS}/{{document_id:uuid}}", _document_get),
    ("GET", f"{DOCUMENTS}/{{document_id:uuid}}/content", _content),
    ("GET", VERSIONS, _versions),
    ("POST", VERSIONS, _version_upload),
    ("GET", f"{VERSIONS}/{{version_id:uuid}}", _version_get),
    ("GET", f"{VERSIONS}/{{version_id:uuid}}/content", _version_content),
]
