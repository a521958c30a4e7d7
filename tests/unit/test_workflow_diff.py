"""A readable diff between two versions of a notice, and the lenient live preview."""

from __future__ import annotations

from signage.notices.preview import preview_record
from signage.notices.render import SlideRenderer
from signage.notices.workflow import diff

BEFORE = {
    "kind": "procedure", "code": "1.000001", "title": "Đăng ký khai sinh", "field": "Hộ tịch",
    "documents": [
        {"name": "Tờ khai đăng ký khai sinh", "quantity": 1, "copy": "original", "required": True},
        {"name": "Giấy chứng sinh", "quantity": 1, "copy": "original", "required": True},
    ],
    "channels": [{"channel": "truc_tiep", "deadline": "Ngay trong ngày", "fee": "Miễn lệ phí"}],
    "steps": ["Nộp hồ sơ.", "Nhận kết quả."],
    "conditions": "Dòng một.\nDòng hai.",
}


def by_field(rows):
    return {r["field"]: r for r in rows}


def test_only_changed_fields_are_listed_with_vietnamese_labels_in_reading_order():
    after = {**BEFORE, "title": "Đăng ký khai sinh có yếu tố nước ngoài",
             "steps": ["Nộp hồ sơ.", "Nhận kết quả."], "field": "Hộ tịch"}
    rows = diff(BEFORE, after)
    assert [r["field"] for r in rows] == ["title"]
    [title] = rows
    assert title["label"] == "Tên" and title["mode"] == "words"
    assert title["before"] == "Đăng ký khai sinh"
    assert {"op": "insert", "text": " có yếu tố nước ngoài"} in title["ops"]
    assert "".join(o["text"] for o in title["ops"] if o["op"] != "delete") == title["after"]


def test_repeating_groups_diff_line_by_line_one_entry_per_line():
    after = {**BEFORE, "documents": [
        BEFORE["documents"][0],
        {"name": "Giấy chứng sinh", "quantity": 2, "copy": "copy", "required": True},
        {"name": "Giấy tờ tùy thân", "quantity": 1, "copy": "either", "required": False,
         "note": "Khi nộp trực tiếp"},
    ], "channels": [*BEFORE["channels"],
                    {"channel": "truc_tuyen", "deadline": "3 ngày", "fee": "Miễn phí"}]}
    rows = by_field(diff(BEFORE, after))
    assert list(rows) == ["channels", "documents"]
    docs = rows["documents"]
    assert docs["label"] == "Thành phần hồ sơ" and docs["mode"] == "lines"
    assert docs["ops"] == [
        {"op": "equal", "text": "Tờ khai đăng ký khai sinh — 01 bản chính; bắt buộc"},
        {"op": "delete", "text": "Giấy chứng sinh — 01 bản chính; bắt buộc"},
        {"op": "insert", "text": "Giấy chứng sinh — 02 bản sao; bắt buộc"},
        {"op": "insert", "text": "Giấy tờ tùy thân — 01 bản chính hoặc bản sao; nếu có; "
                                 "ghi chú: Khi nộp trực tiếp"},
    ]
    assert rows["channels"]["ops"][-1] == {
        "op": "insert", "text": "Trực tuyến: thời hạn 3 ngày; phí, lệ phí Miễn phí"}


def test_long_text_diffs_by_line_and_a_new_notice_shows_everything_as_added():
    rows = by_field(diff(BEFORE, {**BEFORE, "conditions": "Dòng một.\nDòng hai đã sửa."}))
    assert rows["conditions"]["mode"] == "lines"
    words = [{"op": "equal", "text": "Dòng hai"}, {"op": "insert", "text": " đã sửa"},
             {"op": "equal", "text": "."}]
    assert rows["conditions"]["ops"] == [
        {"op": "equal", "text": "Dòng một."},
        {"op": "delete", "text": "Dòng hai.", "words": words},
        {"op": "insert", "text": "Dòng hai đã sửa.", "words": words}]
    fresh = by_field(diff(None, BEFORE))
    assert fresh["steps"]["ops"] == [{"op": "insert", "text": "Bước 1: Nộp hồ sơ."},
                                     {"op": "insert", "text": "Bước 2: Nhận kết quả."}]
    assert fresh["code"]["label"] == "Mã thủ tục"
    assert "decision" not in fresh   # left out before, empty after: no change to show


def test_an_incomplete_form_still_previews_with_the_schemas_messages():
    # Given a procedure half typed: no code, an empty dossier row, a bogus channel, an
    # outside picture link
    record, problems = preview_record({
        "kind": "procedure", "title": "Cấp bản sao trích lục", "field": "Hộ tịch",
        "documents": [{"name": "Tờ khai"}, {"name": ""}],
        "channels": [{"channel": "fax", "deadline": "1 ngày", "fee": "8.000 đồng"}],
        "online_url": "javascript:alert(1)"})
    messages = {p.field: p.text() for p in problems}
    assert messages["code"] == "Mã thủ tục: bắt buộc phải có."
    assert messages["documents.1.name"] == "Thành phần hồ sơ › mục 2 › Tên giấy tờ: không được để trống."
    assert messages["online_url"].startswith("Đường dẫn dịch vụ công trực tuyến: phải là địa chỉ web")
    # Then the slide still draws what there is, and nothing unsafe
    html = SlideRenderer().render({**record, "id": 0, "version": 0})
    assert "Cấp bản sao trích lục" in html and "Tờ khai" in html
    assert "javascript" not in html and record["channels"] == []


def test_a_law_message_preview_drops_an_outside_picture_and_keeps_markdown_safe():
    record, problems = preview_record({"kind": "law", "title": "Phòng chống lừa đảo",
                                       "body": "<script>alert(1)</script> **Cảnh giác**",
                                       "image": "https://example.com/a.png"})
    assert [p.field for p in problems] == ["image"]
    html = SlideRenderer().render({**record, "id": 0, "version": 0})
    assert "<strong>Cảnh giác</strong>" in html and "<script>" not in html
    assert "example.com" not in html and record["slug"] == "phong-chong-lua-dao"


def test_a_valid_record_previews_as_stored():
    record, problems = preview_record(BEFORE)
    assert problems == [] and record["documents"][1]["name"] == "Giấy chứng sinh"
