"""The law-message form in Chromium (issue 9, item 12): the save bar follows the fields
as they are fixed; a picture is uploaded (re-encoded on the server), chosen from the
server's pictures with thumbnails, and shown by the law slide on a real screen page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.browser
ZONE = "sanh-anh"
TITLE = "Ảnh tuyên truyền thử"


def png_with_text_chunk() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "SecretAuthor")
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (20, 90, 160)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_the_save_bar_follows_the_fields_and_an_uploaded_picture_reaches_the_screen(
        live_server, browser, browser_page, screenshot_dir, tmp_path):
    base = live_server.base
    key = live_server.add_screens("TV sảnh ảnh", zone=ZONE)[0]
    page = browser_page
    live_server.sign_in(page, "approver", next="/admin/notices/new?kind=law")
    bar = page.locator("[data-save-state]")

    # Saving with the body empty: the bar says, in red, what is wrong ("Chưa lưu được…", then
    # the count as the fields are checked again) …
    page.fill("[data-field=title]", TITLE)
    page.click("[data-save]")
    page.wait_for_selector("[data-save-state].is-bad", timeout=15_000)
    assert any(words in bar.inner_text() for words in ("Chưa lưu được", "Cần sửa 1 chỗ"))
    # … and once the body is written it no longer does.
    page.fill("[data-field=body]", "Nội dung **có ảnh** minh họa.")
    page.wait_for_function(
        "document.querySelector('[data-save-state]').textContent.includes('Hợp lệ')",
        timeout=15_000)
    assert "is-bad" not in (bar.get_attribute("class") or "")

    # A path to a picture the server lacks is marked at once, with the preview empty of it.
    page.fill("[data-field=image]", "/images/" + "b" * 32 + ".png")
    page.locator("[data-error-for=image]", has_text="không có ảnh này trên máy chủ").wait_for(
        timeout=15_000)

    # An HTML page named .png is refused by the upload.
    fake = tmp_path / "trang.png"
    fake.write_bytes(b"<!doctype html><script>alert(1)</script>")
    page.set_input_files("[data-image-file]", str(fake))
    page.locator("[data-image-state]", has_text="không phải ảnh").wait_for(timeout=15_000)

    # A real picture is uploaded; its path goes in the field, the error goes away.
    real = tmp_path / "anh.png"
    real.write_bytes(png_with_text_chunk())
    page.set_input_files("[data-image-file]", str(real))
    page.locator("[data-image-state]", has_text="Đã tải ảnh lên").wait_for(timeout=15_000)
    url = page.input_value("[data-field=image]")
    assert url.startswith("/images/") and url.endswith(".png")
    page.wait_for_function("document.querySelector('[data-error-for=image]').hidden",
                           timeout=15_000)
    stored = (live_server.data_dir / "images" / url.rsplit("/", 1)[1]).read_bytes()
    assert b"SecretAuthor" not in stored

    # The picker shows the server's pictures as thumbnails; choosing one sets the path.
    page.fill("[data-field=image]", "")
    page.click("[data-image-choose]")
    choice = page.locator(f"[data-image-gallery] button[data-url='{url}'] img")
    choice.wait_for(timeout=15_000)
    page.wait_for_function(
        "document.querySelector('[data-image-gallery] img').naturalWidth > 0", timeout=15_000)
    page.screenshot(path=str(screenshot_dir / "admin-law-image-picker.png"), full_page=True)
    choice.click()
    assert page.input_value("[data-field=image]") == url

    page.check(f"[data-zone][value={ZONE}]")
    page.click("[data-save]")
    page.wait_for_selector("[data-test=saved]", timeout=15_000)

    # The screen of that zone shows the law slide with the picture drawn.
    tv_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    tv = tv_context.new_page()
    try:
        tv.goto(f"{base}/screen/{key}")
        tv.locator(".notice.law", has_text=TITLE).first.wait_for(timeout=20_000)
        tv.wait_for_function(
            f"[...document.querySelectorAll('.law-image')].some(i => i.getAttribute('src') === "
            f"'{url}' && i.complete && i.naturalWidth > 0)", timeout=20_000)
        tv.screenshot(path=str(screenshot_dir / "screen-law-image.png"))
    finally:
        tv_context.close()
