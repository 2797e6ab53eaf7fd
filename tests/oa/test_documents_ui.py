"""What the browser app learns of the document store: menu entries, resources whose endpoints
answer as the generic screens call them, and every text in Chinese."""

from __future__ import annotations

import httpx
from tessera_oa.documents_ui import MENU, RESOURCES

from tests.oa.documents_support import folder, shared, upload
from tests.oa.support import colleague, oa_tenant
from tests.support import LiveServer

UI = "/api/v1/ui"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}
MINE = {r.name for r in RESOURCES}


async def test_members_get_the_menu_and_screens_whose_endpoints_answer(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    box = await folder(owner, "Box")
    doc = await upload(owner, box["id"], b"hello", "hello.txt")
    await shared(owner, box["id"], "read", user_id=bob.user_id)

    menus = [m for m in (await bob.get(f"{UI}/menus")).json() if m["module"] == "oa"]
    assert {m.label for m in MENU} <= {m["label"] for m in menus}
    resources = {r["name"]: r for r in (await bob.get(f"{UI}/resources")).json()}
    assert set(resources) >= MINE
    # Each list as the app asks for it: a folder's page lists its contents and shares, a
    # document's its versions.
    scope = {
        "oa.folder": {"parent_id": box["id"]},
        "oa.document": {"folder_id": box["id"]},
        "oa.document_version": {"document_id": doc["id"]},
        "oa.folder_share": {"folder_id": box["id"]},
    }
    for name in MINE:
        resource = resources[name]
        assert resource["can_write"] is (name != "oa.document_version")
        listed = await bob.get(resource["endpoint"], params=scope[name])
        assert listed.status_code == 200, (name, listed.text)
        page = listed.json()
        assert set(page) == {"items", "next_cursor"}
        fields = {f["name"] for f in resource["fields"]}
        assert set(resource["list_columns"]) <= fields and resource["title_field"] in fields
        for item in page["items"]:
            assert fields <= set(item), (name, fields - set(item))
            one = await bob.get(f"{resource['endpoint']}/{item['id']}")
            assert one.status_code == 200, (name, one.text)
    assert [
        d["name"] for d in (await bob.get(resources["oa.document"]["endpoint"])).json()["items"]
    ] == ["hello.txt"]


async def test_every_text_of_the_document_store_reads_in_chinese(
    client: httpx.AsyncClient,
) -> None:
    owner = await oa_tenant(client)
    chinese = {r["name"]: r for r in (await owner.get(f"{UI}/resources", headers=CHINESE)).json()}
    for resource in RESOURCES:
        shown = chinese[resource.name]
        assert shown["label"] != resource.label, resource.name
        by_name = {f["name"]: f for f in shown["fields"]}
        for field in resource.fields:
            assert by_name[field.name]["label"] != field.label, (resource.name, field.name)
            for option, label in zip(
                field.options, by_name[field.name]["option_labels"], strict=True
            ):
                assert label != option.capitalize(), (resource.name, field.name, option)
    assert chinese["oa.folder"]["label"] == "文件夹"
    access = next(f for f in chinese["oa.folder_share"]["fields"] if f["name"] == "access")
    assert access["option_labels"] == ["只读", "读写"]
    menus = {
        m["path"]: m["label"] for m in (await owner.get(f"{UI}/menus", headers=CHINESE)).json()
    }
    assert (menus["/oa/folders"], menus["/oa/documents"]) == ("文件夹", "文档")
    permissions = {
        p["name"]: p["description"]
        for p in (await owner.get("/api/v1/permissions", headers=CHINESE)).json()
    }
    assert permissions["oa.document.read"].startswith("查看共享给自己的文件夹")
    assert permissions["oa.document.manage"].startswith("管理所有文件夹和文档")
    assert permissions["oa.document.restore"].startswith("恢复已删除的文件夹和文档")
