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
