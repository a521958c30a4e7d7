"""Content folders from elsewhere: export writes only inside its folder and never through
a link; import refuses what is not ours (links, aliases, huge files, bad slugs and
shapes, unbounded texts, unknown statuses) with the file's name and the reason, never a
traceback, and writes nothing (issue 10, item 14)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

SHIPPED = ROOT / "content"


def folder(tmp_path: Path, name: str = "content") -> Path:
    target = tmp_path / name
    shutil.copytree(SHIPPED, target)
    return target


def test_export_never_writes_through_a_link(runner, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("do not touch")
    out = tmp_path / "export"
    (out / "law").mkdir(parents=True)
    # a file the export would write is a link to a file elsewhere
    (out / "site.yaml").symlink_to(outside)
    result = runner.invoke("content", "export", str(out))
    assert result.exit_code == 2 and "symlink" in result.output
    assert outside.read_text() == "do not touch"
    assert not (out / "procedures").exists()  # refused before anything was written
    # and a linked subfolder is refused too
    (out / "site.yaml").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "procedures").symlink_to(elsewhere, target_is_directory=True)
    result = runner.invoke("content", "export", str(out))
    assert result.exit_code == 2 and list(elsewhere.iterdir()) == []


def notices(client) -> int:
    return client.get("/api/v1/notices?limit=1", headers={}).status_code


def refused(runner, path: Path, *words: str) -> None:
    result = runner.invoke("content", "import", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def test_import_refuses_yaml_aliases(runner, tmp_path):
    content = folder(tmp_path)
    (content / "law" / "bom.yaml").write_text(
        'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "title: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n")
    refused(runner, content, "law/bom.yaml", "alias")


def test_import_refuses_links_and_huge_files(runner, tmp_path):
    content = folder(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: bí mật\nbody: x\n")
    (content / "law" / "link.yaml").symlink_to(secret)
    refused(runner, content, "law/link.yaml", "symlink")
    (content / "law" / "link.yaml").unlink()
    (content / "law" / "to.yaml").write_text("title: x\nbody: " + "x" * 600_000 + "\n")
    refused(runner, content, "law/to.yaml")


@pytest.mark.parametrize("site, words", [
    ("zones:\n  - slug: ../../<script>\n    name: X\n", ["site.yaml"]),
    ("office:\n  ward_name: " + "Phường " * 2000 + "\n", ["site.yaml"]),
    ("zones: [1, 2]\n", ["site.yaml"]),
    ("zones:\n  - slug: sanh-chinh\n    playlist: khong-phai-danh-sach\n", ["site.yaml"]),
    ("zones:\n  - slug: sanh-chinh\n    playlist:\n      - law: khong-co\n", ["site.yaml"]),
    ("office_hours: {8: [[07:30, 11:30]]}\n", ["site.yaml"]),
    ("- just\n- a list\n", ["site.yaml"]),
])
def test_import_refuses_bad_site_files_with_the_file_and_writes_nothing(runner, lobby,
                                                                        tmp_path, site, words):
    content = folder(tmp_path)
    (content / "site.yaml").write_text(site)
    with lobby.store.read() as session:
        from sqlalchemy import text
        before = session.execute(text("SELECT count(*) FROM audit_entries")).scalar_one()
    refused(runner, content, *words)
    with lobby.store.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_entries")).scalar_one() == before


def test_import_refuses_an_unknown_status(runner, tmp_path):
    content = folder(tmp_path)
    law = next((content / "law").glob("*.yaml"))
    law.write_text(law.read_text() + "status: hacked\n")
    refused(runner, content, f"law/{law.name}", "approved")


def test_a_link_in_the_shipped_layout_is_not_followed(runner, tmp_path):
    content = folder(tmp_path)
    shutil.rmtree(content / "procedures")
    os.symlink(SHIPPED / "procedures", content / "procedures")
    refused(runner, content, "procedures", "symlink")
