"""The one validation mechanism: pydantic errors become field problems people can read,
labelled with the office's words, in the visitor's language."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field

from signage.errors import Invalid
from signage.usecases.zones import ZoneIn
from signage.validation import Model, parse

ENGLISH = {"Mã khu vực": "Zone code", "mục %(n)s": "item %(n)s", "Tên giấy tờ": "Paper",
           "Giấy tờ": "Papers", "bắt buộc phải có.": "is required."}


class Paper(Model):
    name: Annotated[str, Field(title="Tên giấy tờ", min_length=1)]


class Dossier(Model):
    papers: list[Paper] = Field(title="Giấy tờ")


def test_an_optional_fields_label_and_rule_are_found_inside_its_annotation():
    with pytest.raises(Invalid) as caught:
        parse(ZoneIn, {"name": "Sảnh", "slug": "Có Dấu"})
    [problem] = caught.value.fields
    assert problem.field == "slug"
    assert problem.text() == ("Mã khu vực: chỉ gồm chữ thường không dấu, số và '-' "
                              "(tối đa 64 ký tự), ví dụ sanh-chinh.")
    assert problem.text(lambda m: ENGLISH.get(m, m)).startswith("Zone code: ")


def test_nested_items_are_named_by_position_in_either_language():
    with pytest.raises(Invalid) as caught:
        parse(Dossier, {"papers": [{"name": "Tờ khai"}, {}]})
    [problem] = caught.value.fields
    assert problem.field == "papers.1.name"
    assert problem.text() == "Giấy tờ › mục 2 › Tên giấy tờ: bắt buộc phải có."
    assert problem.text(lambda m: ENGLISH.get(m, m)) == "Papers › item 2 › Paper: is required."


def test_json_types_are_strict():
    with pytest.raises(Invalid) as caught:
        parse(Dossier, {"papers": True})
    assert caught.value.fields[0].text().endswith("phải là một danh sách.")
