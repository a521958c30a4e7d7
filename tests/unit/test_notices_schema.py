"""A notice is validated at the edge, with messages in Vietnamese that name the field
(and, being msgids, read in English where the visitor asked for it)."""

from __future__ import annotations

import unicodedata

import pytest

from signage.errors import Invalid
from signage.notices.schema import LawMessage, Procedure, parse_notice, slugify

PROCEDURE = {
    "kind": "procedure",
    "code": "1.001193",
    "title": "Đăng ký khai sinh",
    "field": "Hộ tịch",
    "steps": ["Nộp hồ sơ.", "Nhận kết quả."],
    "channels": [{"channel": "truc_tiep", "deadline": "Trong ngày", "fee": "Miễn lệ phí"},
                 {"channel": "truc_tuyen", "deadline": "Trong ngày", "fee": "Miễn lệ phí"}],
    "documents": [{"name": "Tờ khai đăng ký khai sinh", "form": "Mẫu TP/HT-2020-KS.1",
                   "quantity": 1, "copy": "original", "required": True},
                  {"name": "Văn bản ủy quyền", "copy": "copy", "required": False}],
    "legal_bases": [{"number": "60/2014/QH13", "summary": "Luật Hộ tịch",
                     "issued": "2014-11-20", "issuer": "Quốc hội"}],
    "online_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7",
}


def problems(data: dict, translate=lambda msgid: msgid) -> dict[str, str]:
    with pytest.raises(Invalid) as error:
        parse_notice(data)
    return {p.field: p.text(translate) for p in error.value.fields}


def test_a_complete_procedure_keeps_every_portal_field():
    record = parse_notice(PROCEDURE)
    assert isinstance(record, Procedure)
    assert record.level == "Cấp xã"
    assert [c.channel for c in record.channels] == ["truc_tiep", "truc_tuyen"]
    assert record.documents[1].copy_kind == "copy" and record.documents[1].required is False
    assert record.legal_bases[0].issued.isoformat() == "2014-11-20"


def test_a_procedure_must_say_what_to_bring_and_how_long_and_how_much():
    found = problems({**PROCEDURE, "channels": [], "documents": []})
    assert found["channels"] == "Cách thức thực hiện: phải có ít nhất 1 mục."
    assert found["documents"] == "Thành phần hồ sơ: phải có ít nhất 1 mục."
    found = problems({**PROCEDURE, "channels": [{"channel": "truc_tiep", "deadline": " ", "fee": ""}]})
    assert found["channels.0.deadline"] == (
        "Cách thức thực hiện › mục 1 › Thời hạn giải quyết: không được để trống.")
    assert found["channels.0.fee"] == "Cách thức thực hiện › mục 1 › Phí, lệ phí: không được để trống."


def test_each_channel_is_listed_once():
    twice = [{"channel": "truc_tuyen", "deadline": "1 ngày", "fee": "0"}] * 2
    assert problems({**PROCEDURE, "channels": twice})["channels"] == (
        "Cách thức thực hiện: kênh trực tuyến có hai lần; mỗi kênh chỉ ghi một lần.")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"code": "../etc"}, "code", "Mã thủ tục: chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới"),
    ({"online_url": "javascript:alert(1)"}, "online_url",
     "Đường dẫn dịch vụ công trực tuyến: phải là địa chỉ web bắt đầu bằng http:// hoặc https://."),
    ({"online_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html"
                    "?ma_thu_tuc=2.001019"}, "online_url",
     "Đường dẫn dịch vụ công trực tuyến: là đường dẫn dạng cũ của Cổng Dịch vụ công quốc gia"),
    ({"documents": [{"name": "Tờ khai", "copy": "photo"}]}, "documents.0.copy",
     "Thành phần hồ sơ › mục 1 › Bản chính/bản sao: phải là original (bản chính), copy (bản sao)"),
    ({"documents": [{"name": "Tờ khai", "quantity": 0}]}, "documents.0.quantity",
     "Thành phần hồ sơ › mục 1 › Số lượng: phải lớn hơn hoặc bằng 1."),
    ({"documents": [{"name": "Tờ khai", "quantity": "hai"}]}, "documents.0.quantity",
     "Thành phần hồ sơ › mục 1 › Số lượng: phải là số nguyên."),
    ({"channels": [{"channel": "fax", "deadline": "1", "fee": "0"}]}, "channels.0.channel",
     "Cách thức thực hiện › mục 1 › Kênh: phải là truc_tiep (trực tiếp)"),
    ({"legal_bases": [{"number": "1", "summary": "x", "issued": "20/11/2014"}]},
     "legal_bases.0.issued", "Căn cứ pháp lý › mục 1 › Ngày ban hành: phải là ngày dạng YYYY-MM-DD"),
    ({"steps": ["Bước một", "   "]}, "steps.1", "Trình tự thực hiện › mục 2: không được để trống."),
    ({"title": "x" * 301}, "title", "Tên: dài quá 300 ký tự."),
    ({"colour": "đỏ"}, "colour", "colour: không phải là trường được phép."),
])
def test_a_bad_field_is_named_and_explained_in_vietnamese(change, field, message):
    assert problems({**PROCEDURE, **change})[field].startswith(message)


def test_an_unknown_kind_is_explained():
    assert problems({"title": "x"})["kind"].startswith("Loại thông báo: phải là \"procedure\"")
    with pytest.raises(Invalid, match="đối tượng JSON"):
        parse_notice(["không", "phải", "đối tượng"])


def test_text_is_stored_composed_single_lines_stay_single_and_controls_go():
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    record = parse_notice({**PROCEDURE, "title": f"  {decomposed}\n  cho trẻ\u202e ",
                           "conditions": "Dòng một.\r\n\r\n\r\n\r\nDòng hai.\x00"})
    assert record.title == "Đăng ký khai sinh cho trẻ"
    assert unicodedata.is_normalized("NFC", record.title)
    assert record.conditions == "Dòng một.\n\nDòng hai."


def test_a_law_message_gets_a_slug_and_its_image_must_be_on_this_server():
    record = parse_notice({"kind": "law", "title": "Đội mũ bảo hiểm khi đi xe máy", "body": "Nội dung."})
    assert isinstance(record, LawMessage) and record.slug == "doi-mu-bao-hiem-khi-di-xe-may"
    ok = parse_notice({"kind": "law", "title": "x", "body": "y", "image": "/static/content/mu.png"})
    assert ok.image == "/static/content/mu.png"
    for outside in ("https://example.com/a.png", "//example.com/a.png", "/static/../secret.png",
                    "javascript:alert(1)", "data:image/png;base64,AAAA", "/static/a.html"):
        found = problems({"kind": "law", "title": "x", "body": "y", "image": outside})
        assert found["image"].startswith("Hình ảnh: phải là đường dẫn ảnh trên máy chủ này")


def test_a_ticker_text_is_one_short_line():
    record = parse_notice({"kind": "law", "title": "x", "body": "y", "ticker": "Dòng\nchạy"})
    assert record.ticker == "Dòng chạy"
    assert problems({"kind": "law", "title": "x", "body": "y", "ticker": "a" * 201})["ticker"] == (
        "Dòng chữ chạy: dài quá 200 ký tự.")


def test_slugs_are_ascii_and_never_end_in_a_dash():
    assert slugify("Đăng ký kết hôn") == "dang-ky-ket-hon"
    assert not slugify("a " * 80).endswith("-")
    assert slugify("!!!") == "thong-bao"


def test_the_messages_are_msgids_the_english_catalogue_translates(app):
    # Given the English catalogue (what /admin in English and Accept-Language: en use)
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("en"):
        found = problems({**PROCEDURE, "documents": [{"name": "", "copy": "photo"}],
                          "channels": [{"channel": "truc_tiep", "deadline": "1", "fee": "0"}] * 2},
                         gettext)
    # Then labels, the item and the reasons are English
    assert found["documents.0.name"] == "Dossier items › item 1 › Document: must not be empty."
    assert found["documents.0.copy"].startswith("Dossier items › item 1 › Original/copy: must be")
    assert found["channels"] == (
        "Channels: the channel in person is listed twice; list each channel only once.")
