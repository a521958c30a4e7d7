"""Fixtures: `app`, `client`, `runner`, `api` (in-process); `live_server` (the real
`signage serve` on a free port), `screen` (a real WebSocket client), `browser_page`
(Debian's Chromium through Playwright). Tests use the real parts, never mocks.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent
SIGNAGE = str(Path(sys.executable).with_name("signage"))
CHROMIUM = "/usr/bin/chromium"
STAFF_PASSWORD = "mot-cau-mat-khau-that-dai"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- in-process app ------------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "instance"


@functools.cache
def _prepared_template() -> Path:
    """A data dir as `signage serve`'s prepare leaves it with the shipped content: made once
    per test process (schema, content import and queue seed take seconds) and copied."""
    from signage import create_app
    from signage.cli import prepare

    root = Path(tempfile.mkdtemp(prefix="signage-template-"))
    atexit.register(shutil.rmtree, root, True)
    app = create_app({"data_dir": root / "instance", "testing": True})
    prepare(app.extensions["signage"], out=lambda *_: None)
    app.extensions["signage"].store.dispose()   # closes SQLite: the WAL is checkpointed
    return root / "instance"


def seed_instance(data_dir: Path) -> Path:
    """Fill a new data dir with a copy of the prepared template (database and secret key):
    the same state prepare makes of the shipped content, so a later prepare finds nothing
    to do. Only for the shipped content/ and SQLite."""
    shutil.copytree(_prepared_template(), data_dir)
    return data_dir


def prepared_app(data_dir: Path, **config: Any):
    """An app on `data_dir` as `signage serve` prepares it (schema, shipped content, queue),
    with more config (a FakeClock as `clock`, settings)."""
    from signage import create_app
    from signage.cli import prepare

    app = create_app({"data_dir": data_dir, "testing": True, **config})
    prepare(app.extensions["signage"], out=lambda *_: None)
    return app


@pytest.fixture
def app(data_dir: Path):
    """An app on a fresh SQLite database with the shipped content loaded."""
    app = prepared_app(seed_instance(data_dir))
    yield app
    app.extensions["signage"].store.dispose()


@pytest.fixture
def lobby(app):
    return app.extensions["signage"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the `signage` CLI against the same data dir."""
    from click.testing import CliRunner

    from signage.cli import main

    env = {"SIGNAGE_DATA_DIR": str(app.extensions["signage"].settings.data_dir)}

    class Runner:
        def invoke(self, *args: str, input: str | None = None):
            return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)

    return Runner()


def make_token(lobby, name: str = "editor1", role: str = "editor") -> str:
    from signage.accounts import add_token, add_user

    with lobby.store.write() as session:
        add_user(session, name, role, "mat-khau-rat-dai", lobby.clock.now())
        return add_token(session, name, "test", lobby.clock.now())


class BearerClient:
    """The Flask test client sending one user's bearer token with every request."""

    def __init__(self, client, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}"}
        self._client = client

    def __getattr__(self, method: str):
        def call(path: str, **kw: Any):
            return getattr(self._client, method)(
                path, headers={**self.headers, **kw.pop("headers", {})}, **kw)
        return call


@pytest.fixture
def api(client, lobby):
    """The test client with an editor's bearer token."""
    return BearerClient(client, make_token(lobby))


@pytest.fixture
def approver_api(client, lobby):
    """The test client with an approver's bearer token: their edits are live at once."""
    return BearerClient(client, make_token(lobby, "duyet1", "approver"))


CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')


def log_in(app, name: str, password: str = "mat-khau-rat-dai"):
    """A new test client of `app` signed in to /admin as `name`; `.csrf` holds its token."""
    client = app.test_client()
    token = CSRF_META.search(client.get("/admin/login").text)[1]
    client.post("/admin/login", data={"name": name, "password": password, "csrf_token": token})
    client.csrf = CSRF_META.search(client.get("/admin/").text)[1]
    return client


def staff_client(app, lobby, name: str, role: str):
    """A new user `name` with `role`, and a test client signed in as them (see log_in)."""
    from signage.accounts import add_user

    with lobby.store.write() as session:
        add_user(session, name, role, "mat-khau-rat-dai", lobby.clock.now())
    return log_in(app, name)


@pytest.fixture
def staff(app, lobby):
    """`staff(role)`: a test client signed in as a new user with that role (`.csrf`)."""
    return lambda role, name=None: staff_client(app, lobby, name or f"{role}-nv", role)


@pytest.fixture
def parity(tmp_path):
    """`parity({door: scenario}, tables=[...])`: the same change through every door
    (tests/parity.py); `.assert_same()` compares state and audit rows."""
    from tests.parity import run_everywhere

    return lambda scenarios, tables: run_everywhere(tmp_path, scenarios, tables)


# ---- a real server -------------------------------------------------------------------

@dataclass
class LiveServer:
    base: str
    port: int
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def ws_base(self) -> str:
        return self.base.replace("http://", "ws://")

    def cli(self, *args: str, input: str | None = None) -> str:
        done = subprocess.run([SIGNAGE, *args], env=self.env, input=input, capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0:
            raise AssertionError(f"signage {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def token(self, role: str = "editor") -> str:
        if role not in self.tokens:
            name = f"{role}-{len(self.tokens)}"
            self.cli("users", "add", name, "--role", role, "--password-stdin",
                     input="mat-khau-rat-dai\n")
            self.tokens[role] = self.cli("tokens", "add", name).strip().splitlines()[-1]
        return self.tokens[role]

    def sign_in(self, page, role: str = "operator", next: str = "/counter") -> str:
        """Sign a browser page in as a staff member of `role` (made once) through the
        login form, landing on `next`; returns the user name."""
        name = f"{role}-ui"
        if name not in self.tokens:
            self.cli("users", "add", name, "--role", role, "--password-stdin",
                     input=STAFF_PASSWORD + "\n")
            self.tokens[name] = name
        page.goto(f"{self.base}/admin/login?next={next}")
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", STAFF_PASSWORD)
        page.click("input[name=password] >> xpath=ancestor::form//button[@type='submit']")
        page.wait_for_url(f"{self.base}{next}")
        return name

    def kiosk(self) -> dict[str, str]:
        """Headers of a registered kiosk (made once): its numbers are not rate-limited."""
        if "kiosk" not in self.tokens:
            path = self.cli("kiosks", "add", "Máy lấy số thử").strip().splitlines()[-1]
            self.tokens["kiosk"] = path.rsplit("/", 1)[-1]
        return {"X-Kiosk-Key": self.tokens["kiosk"]}

    def add_screens(self, *names: str, zone: str = "sanh-chinh") -> list[str]:
        return self.cli("screens", "add", *names, "--zone", zone, "--create-zone").split()

    def request(self, method: str, path: str, body: Any = None, role: str | None = "editor",
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if role:
            hdrs["Authorization"] = f"Bearer {self.token(role)}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                return r.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw) if raw and raw[:1] in b"{[" else raw

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> float:
        """Stop the server; returns how long it took to exit."""
        t0 = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return time.monotonic() - t0


def start_server(data_dir: Path, port: int | None = None, extra_env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> LiveServer:
    port = port or free_port()
    env = {**os.environ, "SIGNAGE_DATA_DIR": str(data_dir), **(extra_env or {})}
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir.parent / f"server-{port}.log", "ab")
    process = subprocess.Popen([SIGNAGE, "serve", "--port", str(port), "--threads", "200", *args],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90   # generous: a loaded 2-core machine can take more than 30 s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"signage serve exited with {process.returncode}; see {log.name}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return LiveServer(base, port, data_dir, env, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("signage serve did not come up within 90 s")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The real `signage serve` (gunicorn, scheduler, Hub) on a free port, own SQLite."""
    data_dir = seed_instance(tmp_path_factory.mktemp("live") / "instance")
    server = start_server(data_dir)
    yield server
    server.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


class ScreenClient:
    """A real WebSocket client speaking the screen protocol."""

    def __init__(self, url: str) -> None:
        self.ws = ws_connect(url, compression=None, open_timeout=10, max_size=2**24, legacy=True)
        self.snapshot = self.recv()
        assert self.snapshot["type"] == "snapshot", self.snapshot

    def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        return json.loads(self.ws.recv(timeout=timeout))

    def wait_for(self, type: str, timeout: float = 5.0, where=lambda m: True) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {type} within {timeout} s")
            message = self.recv(timeout=left)
            if message["type"] == type and where(message):
                return message

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def screen(live_server):
    """Factory: `screen(key)` connects a screen; all are closed after the test."""
    opened: list[ScreenClient] = []

    def connect(key: str) -> ScreenClient:
        client = ScreenClient(f"{live_server.ws_base}/ws/screen/{key}")
        opened.append(client)
        return client

    yield connect
    for c in opened:
        try:
            c.close()
        except Exception:
            pass


# ---- the browser ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield TestBrowser(browser)
        browser.close()


class TestBrowser:
    """The browser, with contexts that let Playwright's own helpers run.

    Our pages forbid evaluating strings as script (CSP without 'unsafe-eval'), and
    Playwright's `wait_for_function("…")` does exactly that in the page. Contexts made here
    skip the page's CSP unless asked not to; tests/browser/test_security_headers.py loads
    every page with it enforced and fails on any violation.
    """

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture
def browser_page(browser):
    """A 1920×1080 page that fails the test on any request to a host other than 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    outside: list[str] = []

    def check(request) -> None:
        host = request.url.split("/")[2] if "://" in request.url else ""
        if request.url.startswith(("http", "ws")) and not host.startswith(("127.0.0.1", "localhost")):
            outside.append(request.url)

    page.on("request", check)
    page.outside_requests = outside
    yield page
    context.close()
    assert not outside, f"the page asked outside hosts: {outside}"


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where a browser test saves its screenshots: docs/screenshots/ when
    SIGNAGE_UPDATE_SCREENSHOTS=1 (to refresh the README's pictures), else a temporary
    folder, so an ordinary test run leaves the tree clean."""
    if os.environ.get("SIGNAGE_UPDATE_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
    else:
        folder = tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---- order ---------------------------------------------------------------------------

# Slowest kinds of module first. Under `pytest -n 2 --dist loadfile` (scripts/test.sh) each
# worker takes whole modules in this order as it frees up; a browser or fault module taken
# last would keep one worker busy alone for a minute at the end. Modules stay contiguous
# (a stable sort by folder), so module-scoped servers start once.
_FOLDER_ORDER = {"fault": 0, "browser": 1, "fuzz": 2, "integration": 3, "unit": 4}


def pytest_collection_modifyitems(config, items) -> None:
    ranks: dict[Path, int] = {}
    for item in items:
        rank = -1 if item.get_closest_marker("slow") else _FOLDER_ORDER.get(item.path.parent.name, 5)
        ranks[item.path] = min(rank, ranks.get(item.path, rank))
    items.sort(key=lambda item: ranks[item.path])
