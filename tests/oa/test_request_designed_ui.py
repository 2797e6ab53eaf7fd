"""What the browser app learns of generic requests: a form's fields as a field list the admin
edits, a request's values drawn from the chosen form's fields, in English and Chinese."""

from __future__ import annotations

from tessera_oa import request_fields, request_permissions, request_translations, request_ui
from tessera_oa.plugin import tessera_ui

from tessera.plugin import UI, VALUE_TYPES
from tests.oa.request_support import FORMS, office
from tests.support import LiveServer

RESOURCES = "/api/v1/ui/resources"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_every_text_of_requests_has_its_chinese() -> None:
    shown = UI(menus=request_ui.MENU, resources=request_ui.RESOURCES).texts()
    shown |= {p.description for p in request_permissions.PERMISSIONS}
    missing = sorted(text for text in shown if text not in request_translations.ZH)
    assert missing == []
    assert request_translations.ZH.items() <= tessera_ui().translations["zh"].items()


def test_a_form_field_type_is_one_the_platform_draws() -> None:
    assert set(request_fields.FIELD_TYPES) <= set(VALUE_TYPES)


async def test_the_form_editor_and_the_request_inputs_are_described_to_the_app(
    live_server: LiveServer,
) -> None:
    async with office(live_server) as o:
        resources = {r["name"]: r for r in (await o.owner.get(RESOURCES)).json()}
        form = resources["oa.request_form"]
        fields = next(f for f in form["fields"] if f["name"] == "fields")
        assert fields["type"] == "field_list" and fields["required"] is True
        assert fields["options"] == list(request_fields.FIELD_TYPES)
        assert "Workflows admin page" in fields["help"]
        assert ["fields"] in form["form"]

        request = resources["oa.request"]
        values = next(f for f in request["fields"] if f["name"] == "values")
        assert values["type"] == "values"
        assert (values["schema_from"], values["schema_field"]) == ("form_id", "fields")
        assert values["upload_endpoint"] == "/api/v1/oa/requests/files"
        assert values["download_endpoint"] == "/api/v1/oa/requests/{id}/files/{file}"
        assert request["form"] == [["form_id"], ["values"]]
        # The schema the values field names is readable where it points, by a member too.
        member = {r["name"]: r for r in (await o.requester.get(RESOURCES)).json()}
        assert member["oa.request_form"]["endpoint"] == FORMS
        assert member["oa.request"]["can_write"] is True
        assert member["oa.request_form"]["can_write"] is False

        chinese = {r["name"]: r for r in (await o.owner.get(RESOURCES, headers=CHINESE)).json()}
        shown = next(f for f in chinese["oa.request_form"]["fields"] if f["name"] == "fields")
        assert (shown["label"], shown["help"][:4]) == ("字段", "用此表单")
