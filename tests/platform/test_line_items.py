"""Line items (a ``lines`` field) and documents (links to files made of a record) are checked
when a plugin starts: a bad one is a named failure, and the other plugins still load."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from tessera.modules.registry import ENTRY_POINT_GROUP, PluginRegistry
from tessera.modules.texts import Texts


def _load(*names: str) -> PluginRegistry:
    registry = PluginRegistry()
    registry.load(
        EntryPoint(
            name=name, value=f"tests.platform.fake_line_plugins:{name}", group=ENTRY_POINT_GROUP
        )
        for name in names
    )
    return registry


def test_lines_and_documents_are_kept_and_their_texts_translatable() -> None:
    registry = _load("good_lines", "amount_without_discount")
    assert registry.failures == []
    [(_, order)] = registry.resources(["good_lines"])
    [lines] = [f for f in order.fields if f.type == "lines"]
    assert [cell.name for cell in lines.line_fields][:3] == [
        "product_id",
        "description",
        "quantity",
    ]
    assert lines.line_amount == ("quantity", "unit_price", "discount")
    [pdf] = order.documents
    assert (pdf.path, pdf.languages) == ("{id}/pdf", ("en", "zh"))
    texts = Texts.negotiate("zh", registry.catalogues(), {})
    assert [texts.of("good_lines", text) for text in ("Quantity", "Box", "PDF")] == [
        "数量",
        "箱",
        "PDF 文件",
    ], "the catalogue reaches a line field's label, its options and a document's label"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("lines_without_fields", "a lines field needs line_fields"),
        ("lines_twice", "line_fields names a field twice"),
        ("lines_in_lines", "line field 'parts': a line holds only text"),
        ("lines_with_file", "line field 'scan': a line holds only text"),
        ("lines_with_field_list", "line field 'design': a line holds only"),
        ("lines_unknown_type", "not 'colour'"),
        ("lines_reference_nowhere", "line field 'owner': a reference on a line names the resource"),
        ("lines_create_only", "line field 'code': a line's value is plain"),
        ("cells_on_text", "only a lines field has line_fields and line_amount"),
        ("amount_on_text", "only a lines field has line_fields and line_amount"),
        ("amount_unknown", "line_amount names 'price', which is not one of its line_fields"),
        ("amount_of_text", "line_amount's quantity 'description' must be a number or money"),
        ("amount_too_long", "line_amount names a quantity, a unit price and, optionally"),
        ("amount_twice", "line_amount names a line field twice"),
        ("lines_as_filter", "['lines'] hold lists or values, which no list filters"),
        ("lines_as_title", "['lines'] hold lists or values"),
        ("lines_in_action", "body field 'lines' must be one value, not lines"),
        ("document_bad_name", "document 'P': name must be lowercase letters"),
        ("document_no_label", "document 'pdf': label must not be empty"),
        ("document_without_id", "path 'pdf' must name the record first"),
        ("document_bad_language", "['Chinese'] are not locales"),
        ("document_language_twice", "languages names a locale twice"),
        ("document_twice", "names a document twice"),
        ("document_undeclared", "'document_undeclared.order.print', which the plugin does not"),
        ("document_no_route", "opens /document_no_route/orders/{id}/print, which is no GET route"),
        ("document_without_routes", "which is no GET route of the plugin"),
    ],
)
def test_bad_lines_and_documents_are_named_with_the_reason(name: str, reason: str) -> None:
    registry = _load(name, "good_lines")
    failure = next(f for f in registry.failures if f.name == name)
    assert failure.stage == "start"
    assert reason in failure.reason, failure.reason
    assert list(registry.plugins) == ["good_lines"], "the other plugins still load"
