"""Slides are rendered once on the server; what an editor wrote can never become active HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from signage.notices.render import (
    ALLOWED_TAGS,
    QR_CAPTION,
    SlideRenderer,
    markdown_to_html,
    qr_svg,
)
from signage.notices.schema import parse_notice, record_json
from signage.notices.timing import MAX_SECONDS, MIN_SECONDS, suggested_duration

HOSTILE = "\n\n".join([
    "<script>window.__pwned = 1; alert(1)</script>",
    "<img src=x onerror=\"window.__pwned = 2\">",
    "<svg onload=\"window.__pwned = 3\"><circle r=1 /></svg>",
    "<iframe src=\"javascript:alert(4)\"></iframe><style>body{display:none}</style>",
    "<a href=\"javascript:alert(5)\">raw link</a> <div onclick=\"alert(6)\">raw div</div>",
    "[inline](javascript:alert(7)) [mixed case](JaVaScRiPt:alert(8)) [tab](java\tscript:alert(9))",
    "[entity](jav&#x61;script:alert(10)) [vb](vbscript:msgbox(11)) [file](file:///etc/passwd)",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=)",
    "![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTMpPg==) ![remote](https://evil.example/x.png)",
    "<javascript:alert(14)> [ref link][bad]",
    "[bad]: javascript:alert(15)",
    "**Vẫn hiển thị** chữ thường và [liên kết hợp lệ](https://dichvucong.gov.vn/).",
])


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parsed(html: str) -> Collect:
    collector = Collect()
    collector.feed(html)
    return collector


def test_hostile_markdown_comes_out_inert():
    # When an editor's Markdown tries every trick to run code or load from elsewhere
    html = markdown_to_html(HOSTILE)

    # Then only allow-listed tags remain, with no handlers, no styles and only web links
    tags = parsed(html).tags
    assert {tag for tag, _ in tags} <= ALLOWED_TAGS
    for _tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "src", "srcdoc")
            if name == "href":
                assert value.startswith(("http://", "https://")), value
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "<iframe" not in html.lower() and "<svg" not in html.lower()
    # and the harmless text is still there to read
    assert "<strong>Vẫn hiển thị</strong>" in html
    assert '<a href="https://dichvucong.gov.vn/" rel="noopener noreferrer">liên kết hợp lệ</a>' in html


def test_headings_in_a_message_never_outrank_the_slide_title():
    html = markdown_to_html("# Một\n\n## Hai\n\n### Ba\n\n#### Bốn")
    assert [t for t, _ in parsed(html).tags] == ["h3", "h3", "h4", "h4"]


def test_a_law_slide_escapes_everything_but_the_sanitised_body():
    renderer = SlideRenderer()
    record = record_json(parse_notice({
        "kind": "law", "title": "<img src=x onerror=alert(1)> Tiêu đề", "body": HOSTILE,
        "legal_ref": "<b onclick=alert(2)>Điều 1</b>", "ticker": "<script>alert(3)</script>",
    }))
    html = renderer.render(record)
    assert "&lt;img src=x onerror=alert(1)&gt; Tiêu đề" in html
    assert "&lt;b onclick=alert(2)&gt;Điều 1&lt;/b&gt;" in html
    for tag, attrs in parsed(html).tags:
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
        assert tag not in ("script", "iframe", "img", "svg", "style")


def test_a_law_message_picture_is_shown_from_this_server():
    html = SlideRenderer().render(record_json(parse_notice({
        "kind": "law", "title": "Phòng cháy", "body": "Giữ lối thoát nạn thông thoáng.",
        "image": "/static/content/pccc.png"})))
    assert '<img class="law-image" src="/static/content/pccc.png" alt="">' in html
    assert "no-rail" not in html


PROCEDURE = {
    "kind": "procedure", "code": "1.001193", "title": "Đăng ký khai sinh", "field": "Hộ tịch",
    "summary": "Cấp Giấy khai sinh cho trẻ.",
    "steps": ["Nộp tờ khai.", "Nhận Giấy khai sinh."],
    "channels": [{"channel": "truc_tiep", "deadline": "Trong ngày", "fee": "Miễn lệ phí"},
                 {"channel": "buu_chinh", "deadline": "03 ngày", "fee": "Theo giá cước"}],
    "documents": [{"name": "Tờ khai đăng ký khai sinh", "form": "TP/HT-2020-KS.1", "quantity": 1},
                  {"name": "Văn bản ủy quyền", "quantity": 2, "copy": "copy", "required": False,
                   "note": "Khi ủy quyền đi đăng ký."}],
    "conditions": "Trong 60 ngày kể từ ngày sinh.\nCha hoặc mẹ đi đăng ký.",
    "result": "Giấy khai sinh.",
    "legal_bases": [{"number": "60/2014/QH13", "summary": "Luật Hộ tịch", "issued": "2014-11-20",
                     "issuer": "Quốc hội"}],
    "online_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7",
}


def test_a_procedure_slide_carries_what_to_bring_how_long_and_what_it_costs_and_a_qr_code():
    html = SlideRenderer().render(record_json(parse_notice(PROCEDURE)))
    for text in ("Đăng ký khai sinh", "Thành phần hồ sơ", "Tờ khai đăng ký khai sinh",
                 "01 bản chính", "02 bản sao", "nếu có", "Mẫu: TP/HT-2020-KS.1",
                 "Khi ủy quyền đi đăng ký.", "Trực tiếp", "Dịch vụ bưu chính", "Trong ngày",
                 "Miễn lệ phí", "Theo giá cước", "Căn cứ pháp lý", "60/2014/QH13", "Luật Hộ tịch",
                 "Mã 1.001193"):
        assert text in html, text
    # Steps, conditions and result stay off the glass: the QR code leads to them
    for text in ("Trình tự thực hiện", "Nộp tờ khai.", "Cha hoặc mẹ đi đăng ký.", "Kết quả thực hiện"):
        assert text not in html, text
    # Each dossier item and channel is a unit slides.js keeps whole
    assert html.count('class="unit doc') == 2 and html.count('class="unit channel') == 2
    # The QR code is the procedure's own online page, inline, with its caption
    assert qr_svg(PROCEDURE["online_url"]) in html and QR_CAPTION in html
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", "")


def test_a_procedure_slide_says_it_is_a_summary_and_what_it_rests_on():
    record = record_json(parse_notice({
        **PROCEDURE, "decision": "Quyết định số 163/QĐ-BTP ngày 16/01/2026 của Bộ Tư pháp",
        "portal_date": "2026-07-18",
        "legal_bases": [*PROCEDURE["legal_bases"],
                        {"number": "123/2015/NĐ-CP", "summary": "Quy định chi tiết Luật Hộ tịch"}]}))
    html = SlideRenderer().render(record)
    assert "Thủ tục hành chính (tóm tắt)" in html
    note = html.split('class="unit source-note"', 1)[1].split("</p>", 1)[0]
    assert "Tóm tắt" in note and "Quyết định số 163/QĐ-BTP ngày 16/01/2026 của Bộ Tư pháp" in note
    assert "Cổng Dịch vụ công quốc gia ngày 18/07/2026" in note and "quét mã QR" in note
    # The legal bases are a list, one unit each (slides.js keeps each whole), not one paragraph.
    assert html.count('class="unit legal-basis"') == 2
    # The note is the last thing on the slide: shown on its last page.
    flow = html.split('class="notice-flow"', 1)[1]
    assert flow.rindex('class="unit') == flow.index('class="unit source-note"')
    # Without a decision or portal date it still says it is a summary, and no QR: ask.
    bare = SlideRenderer().render(record_json(parse_notice({**PROCEDURE, "online_url": ""})))
    assert "Tóm tắt</span> của Trung tâm. Thông tin đầy đủ: hỏi cán bộ tại quầy." in bare


def test_a_procedure_without_an_online_page_has_no_qr_code():
    html = SlideRenderer().render(record_json(parse_notice({**PROCEDURE, "online_url": ""})))
    assert "<svg" not in html and QR_CAPTION not in html


def test_the_qr_code_scales_to_its_box():
    svg = qr_svg("https://dichvucong.gov.vn/")
    assert svg.startswith("<svg") and "viewBox" in svg
    assert ' width="' not in svg.split(">", 1)[0]


@pytest.mark.parametrize("copies", [1, 4, 10])
def test_a_longer_notice_gets_more_time_within_bounds(copies):
    short = suggested_duration(record_json(parse_notice(PROCEDURE)))
    longer = record_json(parse_notice({**PROCEDURE, "documents": PROCEDURE["documents"] * copies * 3}))
    assert MIN_SECONDS <= short <= suggested_duration(longer) <= MAX_SECONDS
    law = record_json(parse_notice({"kind": "law", "title": "x", "body": "Ngắn."}))
    assert suggested_duration(law) == MIN_SECONDS
