"""Numbers are not for the taking by anybody at any rate: a registered kiosk gives as many
as citizens ask for, an anonymous address only a few a minute (issue 10, item 7)."""

from __future__ import annotations

import re

import pytest

from signage import create_app
from tests.conftest import make_token, prepared_app, seed_instance


@pytest.fixture
def limited(tmp_path):
    app = prepared_app(seed_instance(tmp_path / "instance"), anonymous_tickets="3/minute,5/hour")
    yield app
    app.extensions["signage"].store.dispose()


def take(client, headers=None, address="10.0.0.50"):
    return client.post("/api/v1/tickets", json={"service": "HOTICH"}, headers=headers or {},
                       environ_base={"REMOTE_ADDR": address})


def test_an_anonymous_address_gets_a_few_numbers_then_a_429_with_retry_after(limited):
    client = limited.test_client()
    assert [take(client).status_code for _ in range(3)] == [201, 201, 201]
    refused = take(client)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "chờ ít phút" in refused.json["error"]["message"]
    # Another address is not affected
    assert take(client, address="10.0.0.51").status_code == 201


def test_a_registered_kiosk_is_not_limited_and_a_revoked_one_is(limited):
    lobby = limited.extensions["signage"]
    admin = {"Authorization": f"Bearer {make_token(lobby, 'qt', 'admin')}"}
    client = limited.test_client()
    added = client.post("/api/v1/kiosks", json={"name": "Cửa chính"}, headers=admin)
    assert added.status_code == 201 and added.json["url"].endswith(f"/kiosk/{added.json['key']}")
    kiosk = {"X-Kiosk-Key": added.json["key"]}
    assert {take(client, kiosk).status_code for _ in range(12)} == {201}
    listed = client.get("/api/v1/kiosks", headers=admin).json["items"]
    assert listed[0]["last_seen_at"] and "key" not in listed[0]
    # Its page carries the key to the script; a wrong key is no kiosk
    assert f'data-kiosk-key="{added.json["key"]}"' in client.get(
        f"/kiosk/{added.json['key']}").text
    assert client.get("/kiosk/khong-phai-may").status_code == 404
    client.delete(f"/api/v1/kiosks/{added.json['id']}", headers=admin)
    statuses = [take(client, kiosk).status_code for _ in range(6)]
    assert 429 in statuses


def test_kiosks_through_the_cli_and_the_admin_page(limited, runner_for_app):
    runner = runner_for_app(limited)
    added = runner.invoke("kiosks", "add", "Máy sảnh")
    assert added.exit_code == 0
    path = added.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"/kiosk/[\w-]+", path)
    listed = runner.invoke("kiosks", "list").stdout
    assert "Máy sảnh" in listed and "active" in listed
    assert runner.invoke("kiosks", "revoke", listed.split("\t")[0]).exit_code == 0
    assert "revoked" in runner.invoke("kiosks", "list").stdout


@pytest.fixture
def runner_for_app():
    from click.testing import CliRunner

    from signage.cli import main

    def make(app):
        env = {"SIGNAGE_DATA_DIR": str(app.extensions["signage"].settings.data_dir)}

        class Runner:
            def invoke(self, *args, input=None):
                return CliRunner().invoke(main, list(args), input=input, env=env,
                                          catch_exceptions=False)

        return Runner()

    return make


def test_a_misspelt_limit_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="SIGNAGE_ANONYMOUS_TICKETS"):
        create_app({"data_dir": tmp_path, "anonymous_tickets": "lots"})
