"""Scale-out: two `signage serve` processes on one PostgreSQL and one Redis.

An edit made through one process reaches screens connected to the other, and exactly
one process (the elected leader) publishes the rotation.
"""

import os
import uuid

import psycopg
import pytest
import redis

from tests.conftest import ScreenClient, start_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
PG_ADMIN = "postgresql://127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def pg_url():
    name = f"signage_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cluster(tmp_path, pg_url):
    prefix = f"signage-test-{uuid.uuid4().hex[:8]}"
    env = {"SIGNAGE_DATABASE_URL": pg_url, "SIGNAGE_REDIS_URL": REDIS,
           "SIGNAGE_REDIS_PREFIX": prefix, "SIGNAGE_SECRET_KEY": "shared-secret"}
    a = start_server(tmp_path / "a" / "instance", extra_env=env)  # migrates, loads content
    b = start_server(tmp_path / "b" / "instance", extra_env=env)
    yield a, b
    for server in (a, b):
        server.stop()
    r = redis.Redis.from_url(REDIS)
    for key in r.scan_iter(f"{prefix}:*"):
        r.delete(key)


def test_the_schema_and_content_load_into_postgresql(cluster):
    a, _ = cluster
    status, body = a.request("GET", "/api/v1/notices?kind=procedure")
    assert status == 200 and body["total"] >= 5


def test_an_edit_through_one_process_reaches_screens_on_the_other(cluster):
    a, b = cluster
    key = a.add_screens("Trên máy B")[0]  # screens live in the shared database
    on_b = ScreenClient(f"{b.ws_base}/ws/screen/{key}")
    on_a = ScreenClient(f"{a.ws_base}/ws/screen/{key}")
    status, notice = a.request("POST", "/api/v1/notices", {
        "kind": "law", "title": "Thông điệp liên máy", "body": "Một nội dung.",
        "zones": ["sanh-chinh"]}, role="approver")
    assert status == 201
    notice["body"] = "Nội dung đã sửa qua máy A."
    assert a.request("PUT", f"/api/v1/notices/{notice['id']}", notice, role="approver")[0] == 200
    for client in (on_a, on_b):
        event = client.wait_for("notice.updated", where=lambda m: m["notice_id"] == notice["id"])
        assert "đã sửa qua máy A" in event["slides"][0]["html"]
    on_a.close()
    on_b.close()


def test_only_one_process_publishes_the_rotation(cluster):
    a, b = cluster
    key = a.add_screens("Xoay vòng", zone="xoay")[0]
    notices = []
    for i in range(2):
        status, n = a.request("POST", "/api/v1/notices", {
            "kind": "law", "title": f"Xoay {i}", "slug": f"xoay-{i}", "body": "…", "zones": ["xoay"]},
            role="approver")
        assert status == 201
        notices.append(n)
    a.request("PUT", "/api/v1/zones/xoay/playlist",
              {"slides": [{"notice_id": n["id"], "duration": 3} for n in notices]}, role="approver")
    client = ScreenClient(f"{b.ws_base}/ws/screen/{key}")
    starts = [client.wait_for("slide", timeout=10)["showing"]["started"] for _ in range(3)]
    # one event per boundary: no duplicates from a second publisher, and consecutive
    assert len(set(starts)) == 3
    assert starts == sorted(starts)
    client.close()


def closed_within(client: ScreenClient, seconds: float) -> bool:
    """The server closes this socket within `seconds` (what a revoked screen must see)."""
    from websockets.exceptions import ConnectionClosed

    try:
        while True:
            client.recv(timeout=seconds)
    except ConnectionClosed:
        return True
    except TimeoutError:
        return False


def test_revoking_a_screen_closes_its_socket_on_every_process(cluster):
    a, b = cluster
    status, added = a.request("POST", "/api/v1/screens", {"names": ["Thu hồi liên máy"]},
                              role="admin")
    assert status == 201
    screen = added["items"][0]
    on_b = ScreenClient(f"{b.ws_base}/ws/screen/{screen['key']}")
    # When it is revoked through the other process
    assert a.request("DELETE", f"/api/v1/screens/{screen['id']}", role="admin")[0] == 200
    # Then the socket held by process B is closed too
    assert closed_within(on_b, 15)


def test_serve_refuses_more_pooled_connections_than_postgresql_allows(tmp_path, pg_url):
    # Given a PostgreSQL server allowing 100 connections, and 20 per process
    import subprocess

    from tests.conftest import SIGNAGE

    env = {**os.environ, "SIGNAGE_DATA_DIR": str(tmp_path / "instance"),
           "SIGNAGE_DATABASE_URL": pg_url, "SIGNAGE_REDIS_URL": REDIS,
           "SIGNAGE_REDIS_PREFIX": f"signage-test-{uuid.uuid4().hex[:8]}"}
    # When five worker processes are asked for
    done = subprocess.run([SIGNAGE, "serve", "--port", "1", "--workers", "5"], env=env,
                          capture_output=True, text=True, timeout=120)
    # Then it says why and does not start (no screen is refused mid-upgrade later)
    assert done.returncode == 2
    assert "max_connections" in done.stderr and "--workers" in done.stderr
