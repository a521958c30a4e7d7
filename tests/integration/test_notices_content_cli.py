"""`signage content export` then `signage content import` into an empty database: the same
content comes back, and exporting it again writes the same bytes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from signage.cli import main
from signage.resources import bundled_path


def signage(data_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"SIGNAGE_DATA_DIR": str(data_dir)},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_export_then_import_into_an_empty_database_round_trips(tmp_path: Path):
    # Given a database loaded from the shipped content/
    signage(tmp_path / "ward-a", "content", "import", str(bundled_path("content")))

    # When it is exported, imported by the CLI into an empty database, and exported again
    out = signage(tmp_path / "ward-a", "content", "export", str(tmp_path / "export-a"))
    imported = signage(tmp_path / "ward-b", "content", "import", str(tmp_path / "export-a"))
    signage(tmp_path / "ward-b", "content", "export", str(tmp_path / "export-b"))

    # Then every notice came across and the second export is the first, byte for byte
    first, second = tree(tmp_path / "export-a"), tree(tmp_path / "export-b")
    notices = [name for name in first if name != "site.yaml"]
    assert f"Đã xuất {len(notices)} thông báo" in out
    assert f"{len(notices)} thông báo mới, 0 cập nhật" in imported
    assert len(notices) >= 25
    assert second == first


def test_the_cli_carries_the_pictures_and_refuses_a_bad_one(tmp_path: Path, approver_api, lobby):
    # Given a ward (the `api` fixture's instance) whose law message uses an uploaded picture
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 40, 40)).save(out, "JPEG")
    url = approver_api.post("/api/v1/images", data=out.getvalue(),
                            headers={"Content-Type": "image/jpeg"}).get_json()["url"]
    created = approver_api.post("/api/v1/notices", json={"kind": "law", "title": "Có ảnh",
                                                "body": "Nội dung.", "image": url})
    assert created.status_code == 201, created.get_json()
    ward_a = Path(lobby.settings.data_dir)
    name = url.rsplit("/", 1)[1]

    # When the CLI exports it and imports it into a fresh data dir
    signage(ward_a, "content", "export", str(tmp_path / "export"))
    imported = signage(tmp_path / "ward-b", "content", "import", str(tmp_path / "export"))

    # Then the picture came across byte for byte
    assert "; 1 ảnh" in imported
    assert (tmp_path / "ward-b" / "images" / name).read_bytes() == \
        (ward_a / "images" / name).read_bytes()

    # and a picture that is not one gets a clear error (exit 2) and is not stored
    fake = tmp_path / "export" / "images" / ("0" * 32 + ".png")
    fake.write_bytes(b"<html>not a picture</html>")
    result = CliRunner().invoke(main, ["content", "import", str(tmp_path / "export")],
                                env={"SIGNAGE_DATA_DIR": str(tmp_path / "ward-c")})
    assert result.exit_code == 2
    assert f"images/{fake.name}: Tệp này không phải ảnh JPEG, PNG hoặc WebP" in result.output
    assert not (tmp_path / "ward-c" / "images").exists()
