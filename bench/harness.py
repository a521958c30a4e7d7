"""What every benchmark here shares: a real `signage serve` on 127.0.0.1 with a fresh
data dir (SQLite, or a fresh PostgreSQL database), its CLI, percentiles, the table and
the JSON file, and the check that the server's log holds no traceback.

Every benchmark talks only to 127.0.0.1, bounds its loops in count and time and stops
its servers by itself (also on Ctrl-C).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIGNAGE = str(Path(sys.executable).with_name("signage"))
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench-mat-khau-rat-dai"


def _more_open_files() -> None:
    """Thousands of client sockets in one process need more than the default 1,024."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


_more_open_files()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    """A plain text table (what the benchmark prints and docs/benchmarks.md quotes)."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths, strict=True)))
    out = [title, line(header), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]]
    return "\n".join(out)


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {"cores": os.cpu_count(), "load_before": [round(x, 2) for x in load],
            "python": sys.version.split()[0], "when": time.strftime("%Y-%m-%d %H:%M:%S")}


def write_json(name: str, data: dict[str, Any], path: str | None = None) -> Path:
    out = Path(path) if path else RESULTS / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"benchmark": name, "machine": machine(), **data}, indent=2,
                              ensure_ascii=False))
    print(f"\nJSON: {out}")
    return out


# ---- databases ------------------------------------------------------------------------

class Postgres:
    """A fresh database on the local PostgreSQL server, dropped at the end."""

    def __init__(self) -> None:
        import psycopg

        self.name = f"signage_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        base = PG_ADMIN.rsplit("/", 1)[0]
        self.url = f"{base}/{self.name}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# ---- the server -------------------------------------------------------------------------

@dataclass
class Server:
    """A data dir, its CLI, and (after `start`) a `signage serve` on a free port."""

    env_extra: dict[str, str] = field(default_factory=dict)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="signage-bench-")))
    procs: list[subprocess.Popen] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    # Run the CLI's commands in this process: one import for all of them, where a fresh
    # `signage` costs seconds each on a loaded machine.
    in_process: bool = False

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "SIGNAGE_DATA_DIR": str(self.data_dir), **self.env_extra}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.ports[0]}"

    @property
    def port(self) -> int:
        return self.ports[0]

    def cli(self, *args: str, input: str | None = None) -> str:
        if self.in_process:
            from click.testing import CliRunner

            from signage.cli import main as signage_cli

            got = CliRunner(env=self.env).invoke(signage_cli, list(args), input=input)
            if got.exit_code:
                raise RuntimeError(f"signage {' '.join(args[:4])} …: {got.output}") from got.exception
            return got.stdout
        done = subprocess.run([SIGNAGE, *args], env=self.env, capture_output=True, text=True,
                              input=input, timeout=120)
        if done.returncode:
            raise RuntimeError(f"signage {' '.join(args[:4])} …: {done.stderr or done.stdout}")
        return done.stdout

    def prepare(self) -> None:
        """Schema and content, as `serve` would do on its first start."""
        self.cli("db", "upgrade")
        self.cli("content", "import", str(ROOT / "content"))

    def token(self, name: str, role: str) -> str:
        self.cli("users", "add", name, "--role", role, "--password-stdin", input=PASSWORD + "\n")
        return self.cli("tokens", "add", name).split()[-1]

    def kiosk(self, name: str = "bench") -> str:
        """A registered kiosk's key (its numbers are not rate-limited)."""
        return self.cli("kiosks", "add", name).strip().splitlines()[-1].rsplit("/", 1)[-1]

    def screens(self, n: int, zone: str = "sanh-chinh") -> list[str]:
        keys: list[str] = []
        for start in range(0, n, 100):  # at most 100 names a command
            names = [f"bench-{i}" for i in range(start, min(n, start + 100))]
            keys += self.cli("screens", "add", *names, "--zone", zone).split()
        return keys

    def start(self, *args: str, processes: int = 1, wait_s: float = 60) -> None:
        """`signage serve ARGS` (`processes` of them, each on its own port)."""
        for i in range(processes):
            port = free_port()
            log = self.data_dir / f"server-{i}.log"
            self.procs.append(subprocess.Popen(
                [SIGNAGE, "serve", "--port", str(port), *args], env=self.env,
                stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True))
            self.ports.append(port)
            self.logs.append(log)
        for port in self.ports:
            wait_healthy(f"http://127.0.0.1:{port}", wait_s)

    def stop(self, timeout: float = 15) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs = []

    def pids(self) -> list[int]:
        """The serving processes: every `serve` process and its gunicorn workers."""
        pids = []
        for proc in self.procs:
            pids.append(proc.pid)
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            if children.exists():
                pids += [int(p) for p in children.read_text().split()]
        return pids

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the serving processes."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def rss_bytes(self) -> int:
        """Resident memory of the serving processes."""
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    def threads(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                total += len(os.listdir(f"/proc/{pid}/task"))
            except OSError:
                continue
        return total

    def tracebacks(self) -> list[str]:
        """Lines of the servers' logs that start or end a traceback (item: no error storms)."""
        found = []
        for log in self.logs:
            if log.exists():
                for line in log.read_text(errors="replace").splitlines():
                    if line.startswith("Traceback") or "Error:" in line and line[:1] not in " \t":
                        found.append(f"{log.name}: {line}")
        return found

    def check_log(self) -> None:
        """Fail loudly (exit 1) if a server logged a traceback."""
        bad = self.tracebacks()
        if bad:
            print(f"\nFAIL: the server logged {len(bad)} error lines, first ones:", file=sys.stderr)
            for line in bad[:10]:
                print("  " + line, file=sys.stderr)
            raise SystemExit(1)
        print("server log: no traceback")

    def cleanup(self) -> None:
        self.stop()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {self.data_dir}")
        else:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def wait_healthy(base: str, wait_s: float = 60) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)
    raise RuntimeError(f"{base} did not answer /healthz within {wait_s} s")


def http(method: str, url: str, token: str | None = None, body: Any = None,
         headers: dict[str, str] | None = None, timeout: float = 30) -> Any:
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, method=method, headers=hdrs,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"{}")
