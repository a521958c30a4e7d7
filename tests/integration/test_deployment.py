"""The deployment files work as shipped: nginx with deployment/nginx/signage.conf in
front of a real `signage serve` (pages, API, static files from nginx, the screens'
WebSocket through the upgrade), and every systemd unit passes `systemd-analyze verify`."""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from signage.resources import STATIC_DIR
from tests.conftest import ROOT, SIGNAGE, ScreenClient, free_port

DEPLOYMENT = ROOT / "deployment"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def nginx_config(folder: Path, listen: int, upstream: int) -> Path:
    """The shipped site, pointed at the test server, inside a minimal nginx.conf."""
    site = (DEPLOYMENT / "nginx" / "signage.conf").read_text()
    site = site.replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream};")
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{listen};", site)
    site = site.replace("listen [::]:80;", "")
    site = re.sub(r"alias /opt/signage/\S+;", f"alias {STATIC_DIR}/;", site)
    assert f"{STATIC_DIR}/" in site and str(upstream) in site
    (folder / "signage.conf").write_text(site)
    conf = folder / "nginx.conf"
    conf.write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    types {{ text/css css; application/javascript js; text/html html; image/svg+xml svg; }}
    include {folder}/signage.conf;
}}
""")
    return conf


@pytest.fixture
def proxied(live_server, tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing (Debian package nginx; scripts/test.sh installs it)")
    port = free_port()
    conf = nginx_config(tmp_path, port, live_server.port)
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", "stderr",
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("nginx did not come up") from None
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


def test_pages_api_static_and_screen_sockets_pass_through_nginx(live_server, proxied):
    # Pages and the API are the service's
    with urllib.request.urlopen(proxied + "/kiosk", timeout=10) as page:
        assert page.status == 200 and "<html" in page.read().decode()
    # Static files come from nginx itself, byte for byte
    with urllib.request.urlopen(proxied + "/static/screen.css", timeout=10) as css:
        assert css.headers["Server"].startswith("nginx")
        assert css.read() == (STATIC_DIR / "screen.css").read_bytes()
        assert css.headers["X-Content-Type-Options"] == "nosniff"
    # A screen's page and every versioned file it names come through nginx (the service
    # answers those: only it knows the current version)
    [key] = live_server.add_screens("TV sau nginx", zone="qua-nginx")
    with urllib.request.urlopen(proxied + f"/screen/{key}", timeout=10) as page:
        assets = set(re.findall(r'/static/v/([^/"]+)/([\w./-]+)', page.read().decode()))
    assert {"screen.css", "js/screen.js"} <= {name for _, name in assets}, assets
    for version, name in sorted(assets):
        with urllib.request.urlopen(proxied + f"/static/v/{version}/{name}", timeout=10) as asset:
            assert asset.read() == (STATIC_DIR / name).read_bytes(), name
            assert "immutable" in asset.headers["Cache-Control"]
    # A screen's socket upgrades through nginx and gets its events
    tv = ScreenClient(proxied.replace("http://", "ws://") + f"/ws/screen/{key}")
    try:
        assert tv.snapshot["zone"]["slug"] == "qua-nginx"
        status, _ = live_server.request("PATCH", "/api/v1/zones/qua-nginx",
                                        {"name": "Qua nginx"}, role="admin")
        assert status == 200
        changed = tv.wait_for("zone.updated", timeout=15)
        assert changed["zone"]["name"] == "Qua nginx"
    finally:
        tv.close()


class HeaderEcho(http.server.BaseHTTPRequestHandler):
    """An upstream that keeps the headers of every request it gets."""
    seen: dict[str, dict[str, str]] = {}

    def do_GET(self) -> None:
        HeaderEcho.seen[self.path] = {k.lower(): v for k, v in self.headers.items()}
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


def test_every_location_forwards_the_client_address_and_host(tmp_path):
    # Given the shipped site in front of an upstream that records what it receives
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HeaderEcho)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    conf = nginx_config(tmp_path, port, upstream.server_address[1])
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", "stderr",
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        # When a page, a versioned file and a socket's upgrade request pass through nginx
        paths = {"/kiosk": {}, "/static/v/abc/js/screen.js": {},
                 "/ws/screen/k": {"Upgrade": "websocket", "Connection": "Upgrade"}}
        deadline = time.monotonic() + 20
        for path, headers in paths.items():
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                             headers={"Host": "sanh.phuong.vn", **headers})
            while True:
                try:
                    urllib.request.urlopen(request, timeout=5).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    time.sleep(0.1)
        # Then each reached the service with the client's address, scheme and host
        for path in paths:
            got = HeaderEcho.seen[path]
            assert got["x-forwarded-for"] == "127.0.0.1", (path, got)
            assert got["x-forwarded-proto"] == "http" and got["host"] == "sanh.phuong.vn", got
        assert HeaderEcho.seen["/ws/screen/k"]["upgrade"] == "websocket"
        assert "upgrade" not in HeaderEcho.seen["/kiosk"]
    finally:
        process.terminate()
        process.wait(10)
        upstream.shutdown()


def test_the_socket_timeouts_outlast_the_ping_interval():
    site = (DEPLOYMENT / "nginx" / "signage.conf").read_text()
    ws = site[site.index("location /ws/"):]
    ws = ws[:ws.index("}")]
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", ws)[1])
    from signage.config import Settings

    assert read_timeout >= 3 * Settings.ping_interval


@pytest.mark.parametrize("unit", ["systemd/signage.service", "systemd/signage@.service",
                                  "backup/signage-backup.service",
                                  "backup/signage-backup.timer"])
def test_the_systemd_units_verify(unit, tmp_path):
    if SYSTEMD_ANALYZE is None:
        pytest.fail("systemd-analyze is missing")
    for name in ("signage.service", "signage@.service", "signage-backup.service",
                 "signage-backup.timer"):
        source = next(DEPLOYMENT.rglob(name))
        text = source.read_text().replace("/opt/signage/venv/bin/signage", SIGNAGE)
        text = text.replace("/opt/signage/deployment", str(DEPLOYMENT))
        (tmp_path / name).write_text(text)
    target = tmp_path / Path(unit).name
    if target.name == "signage@.service":
        target = tmp_path / "signage@8081.service"
        (tmp_path / "signage@.service").rename(target.with_name("signage@.service"))
    done = subprocess.run([SYSTEMD_ANALYZE, "verify", str(target)], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr


def test_the_backup_script_makes_a_consistent_copy(live_server, tmp_path):
    env = {**live_server.env, "SIGNAGE_BACKUP_DIR": str(tmp_path / "backups"),
           "PATH": f"{Path(SIGNAGE).parent}:/usr/bin:/bin"}
    script = (DEPLOYMENT / "backup" / "signage-backup.sh").read_text().replace(
        "/opt/signage/venv/bin/signage", SIGNAGE)
    (tmp_path / "backup.sh").write_text(script)
    done = subprocess.run(["sh", str(tmp_path / "backup.sh")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [copy] = list((tmp_path / "backups").glob("signage-*.db"))
    import sqlite3

    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM notices").fetchone()[0] > 0
