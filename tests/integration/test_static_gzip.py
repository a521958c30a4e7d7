"""The pages' versioned files: scripts, styles and SVG gzip-compressed for a browser that
accepts it (a TV's first load, issue 13), the same bytes as the file, cached for good."""

from __future__ import annotations

import gzip

from signage.resources import STATIC_DIR, static_version


def test_a_script_goes_gzipped_to_a_browser_that_accepts_it(client):
    url = f"/static/v/{static_version()}/js/screen.js"
    plain = (STATIC_DIR / "js" / "screen.js").read_bytes()

    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert "immutable" in zipped.headers["Cache-Control"]
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain
    assert len(zipped.data) < len(plain) / 2

    # A client that does not say it accepts gzip gets the file as it is
    raw = client.get(url)
    assert raw.status_code == 200 and "Content-Encoding" not in raw.headers
    assert raw.data == plain
    raw.close()


def test_fonts_go_as_they_are_and_unknown_files_are_404(client):
    version = static_version()
    font = client.get(f"/static/v/{version}/fonts/be-vietnam-pro-vi-400.woff2",
                      headers={"Accept-Encoding": "gzip"})
    assert font.status_code == 200 and "Content-Encoding" not in font.headers   # woff2 is compressed
    font.close()
    for path in ("js/nope.js", "../pyproject.toml", "%2e%2e/app.py"):
        assert client.get(f"/static/v/{version}/{path}", headers={"Accept-Encoding": "gzip"}
                          ).status_code == 404, path
    assert client.get("/static/v/000000000000/js/screen.js").status_code == 404
