"""What the browser app learns of request forms and requests, every list, sort and filter it
names, called as the app would call them; and the Chinese catalogue covers every text."""

from __future__ import annotations

from typing import Any

import httpx
from tessera_oa import request_translations, request_ui
from tessera_oa.request_permissions import PERMISSIONS

from tessera.modules.texts import humanize
from tests.oa.request_support import draft, fetch, form, office
from tests.support import LiveServer

UI = "/api/v1/ui"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def texts_of_requests() -> set[str]:
    found = {menu.label for menu in request_ui.MENU}
    for resource in request_ui.RESOURCES:
        found.add(resource.label)
        for field in resource.fields:
            found.add(field.label)
            if field.help:
                found.add(field.help)
            # A field list's options are the platform's value types: the app names them.
            if field.type != "field_list":
                found.update(humanize(option) for option in field.options)
    found.update(permission.description for permission in PERMISSIONS)
    return found


def test_the_chinese_catalogue_covers_every_text_of_requests() -> None:
    assert sorted(texts_of_requests() - set(request_translations.ZH)) == []
    assert all(value.strip() for value in request_translations.ZH.values())


def sample(record: dict[str, Any], field: dict[str, Any], parameter: str) -> dict[str, str]:
    value = record[field["name"]]
    if field["type"] == "bool":
        return {parameter: str(value).lower()}
    return {parameter: str(value)}


async def test_request_screens_list_sort_filter_and_speak_chinese(live_server: LiveServer) -> None:
    async with office(live_server) as o:
        made = await form(o.admin, "Purchase", category="Buying")
        request = await draft(o.requester, made["id"], purpose="Desk")
        records = {"oa.request_form": made, "oa.request": request}
        resources = {r["name"]: r for r in await _get(o.admin, f"{UI}/resources")}
        for name, record in records.items():
            resource = resources[name]
            endpoint, fields = resource["endpoint"], {f["name"]: f for f in resource["fields"]}
            assert set(fields) - set(record) == set(), f"{name}: fields the API does not answer"
            assert (await fetch(o.admin, f"{endpoint}/{record['id']}"))["id"] == record["id"]
            for sort in resource["sort_fields"]:
                for order in (sort, f"-{sort}"):
                    await fetch(o.admin, endpoint, sort=order)
            if resource["search"]:
                await fetch(o.admin, endpoint, q="pur")
            for field in resource["filters"]:
                wanted = sample(record, fields[field], resource["filter_params"].get(field, field))
                found = (await fetch(o.admin, endpoint, **wanted))["items"]
                assert record["id"] in [i["id"] for i in found], (name, wanted)
            assert resource["audit_type"] == name.replace(".", "_")

        menus = {m["path"]: m for m in await _get(o.requester, f"{UI}/menus", CHINESE)}
        assert menus["/oa/requests"]["label"] == "申请"
        assert "/oa/request-forms" not in menus, "only managers of forms design them"
        admin_menus = {m["path"]: m for m in await _get(o.admin, f"{UI}/menus", CHINESE)}
        assert admin_menus["/oa/request-forms"]["label"] == "申请表单"
        chinese = {r["name"]: r for r in await _get(o.admin, f"{UI}/resources", CHINESE)}
        status = next(f for f in chinese["oa.request"]["fields"] if f["name"] == "status")
        labels = dict(zip(status["options"], status["option_labels"], strict=True))
        assert (labels["pending"], labels["withdrawn"]) == ("待审批", "已撤回")


async def _get(who: Any, path: str, headers: dict[str, str] | None = None) -> Any:
    response: httpx.Response = await who.get(path, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()
