"""Pictures for law messages (issue 9, item 12): upload checked by content, size-limited,
re-encoded without metadata, served as an image; a law message naming a picture the
server lacks is refused by every door (API, preview, content import)."""

import io

import pytest
from PIL import Image

from signage.errors import Invalid
from signage.notices.schema import LawMessage
from signage.usecases import Actor
from signage.usecases.notices import load_notice

LAW = {"kind": "law", "title": "Ảnh thử", "body": "Nội dung có ảnh."}


def jpeg_with_metadata(size=(2600, 1300)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "GPS-Tool 1.0"  # Software
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"toa do nha rieng")
    return out.getvalue()


def upload(api, content: bytes, kind="image/jpeg"):
    return api.post("/api/v1/images", data=content, headers={"Content-Type": kind})


def test_an_html_page_named_png_is_refused(api, data_dir):
    html = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
    response = upload(api, html, "image/png")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "not_an_image"
    assert "JPEG, PNG hoặc WebP" in response.json["error"]["message"]
    assert not list((data_dir / "images").glob("*")) if (data_dir / "images").exists() else True


def test_an_oversize_picture_is_refused_with_413(app, api):
    limit = app.extensions["signage"].settings.image_max_bytes
    response = upload(api, b"\xff\xd8" + b"0" * limit)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "image_too_large"
    assert "Ảnh quá lớn" in response.json["error"]["message"]


def test_the_size_limit_is_a_setting(tmp_path):
    from signage import create_app
    from signage.cli import prepare
    from tests.conftest import make_token

    app = create_app({"data_dir": tmp_path / "small", "testing": True,
                      "image_max_bytes": 20_000})
    lobby = app.extensions["signage"]
    prepare(lobby, out=lambda *_: None)
    token = make_token(lobby)
    response = app.test_client().post("/api/v1/images", data=jpeg_with_metadata(),
                                      headers={"Authorization": f"Bearer {token}",
                                               "Content-Type": "image/jpeg"})
    assert response.status_code == 413
    assert "0.0191 MB" in response.json["error"]["message"]
    lobby.store.dispose()


def test_a_picture_is_reencoded_without_metadata_and_served_as_an_image(api, client, data_dir):
    original = jpeg_with_metadata()
    assert Image.open(io.BytesIO(original)).getexif()  # the test can fail
    response = upload(api, original)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["url"].startswith("/images/") and body["url"].endswith(".jpg")
    assert (body["width"], body["height"]) == (1920, 960)  # bounded dimensions
    stored = (data_dir / "images" / body["name"]).read_bytes()
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG"
    assert not picture.getexif() and "comment" not in picture.info and "exif" not in picture.info
    assert b"SecretCam" in original and b"SecretCam" not in stored
    assert b"toa do nha rieng" in original and b"toa do nha rieng" not in stored

    served = client.get(body["url"])
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.data == stored
    assert upload(api, original).json["url"] == body["url"]  # same content, one file

    listed = api.get("/api/v1/images").json["items"]
    assert [i["url"] for i in listed] == [body["url"]]
    assert client.get("/images/../secret_key").status_code == 404
    assert client.get("/images/" + "0" * 32 + ".png").status_code == 404


def test_png_and_webp_keep_their_format(api):
    for fmt, kind in (("PNG", "image/png"), ("WEBP", "image/webp")):
        out = io.BytesIO()
        Image.new("RGBA", (64, 32), (0, 128, 0, 128)).save(out, fmt)
        body = upload(api, out.getvalue(), kind).json
        assert body["url"].endswith(".png" if fmt == "PNG" else ".webp")


def test_editors_only_and_in_the_openapi_document(client):
    assert client.post("/api/v1/images", data=b"x").status_code == 401
    doc = client.get("/api/v1/openapi.json").json
    post = doc["paths"]["/images"]["post"]
    assert "image/png" in post["requestBody"]["content"]
    assert {"201", "413", "422"} <= set(post["responses"])


def test_a_missing_picture_is_refused_by_the_api_and_the_preview(api):
    for path in ("/images/" + "a" * 32 + ".png", "/static/content/khong-co.png"):
        response = api.post("/api/v1/notices", json={**LAW, "image": path})
        assert response.status_code == 422
        detail = response.json["error"]["details"][0]
        assert detail["field"] == "image"
        assert "không có ảnh này trên máy chủ" in detail["message"]
        preview = api.post("/api/v1/notices/preview", json={**LAW, "image": path}).json
        assert not preview["valid"]
        assert [p["field"] for p in preview["problems"]] == ["image"]
        assert "<img" not in preview["html"]  # no empty picture column


def test_an_uploaded_picture_is_accepted(api):
    url = upload(api, jpeg_with_metadata((300, 200))).json["url"]
    created = api.post("/api/v1/notices", json={**LAW, "image": url})
    assert created.status_code == 201 and created.json["image"] == url


def test_a_content_import_with_a_missing_picture_is_refused(lobby):
    record = LawMessage(title="Ảnh thiếu", body="x", image="/static/khong-co.png")
    with pytest.raises(Invalid) as caught:
        lobby.perform(load_notice, Actor.cli(), record)
    assert caught.value.code == "image_missing"
