"""`signage serve`: gunicorn with threads, in this process, with the lobby's hooks.

One worker process by default: it owns the in-process Hub and the scheduler. Each
open screen socket holds one worker thread (plus simple-websocket's reader thread),
so the thread pool is sized for the screens, not for HTTP requests.
"""

from __future__ import annotations

import errno
import logging
import resource
import signal
import socket
import threading
import time
from typing import Any

from gunicorn.app.base import BaseApplication

from signage.relay import Listener

log = logging.getLogger("signage.server")

GRACEFUL_TIMEOUT_S = 7  # SIGTERM → closed sockets (1001) → exit, well inside 10 s


# gunicorn's gevent worker, quiet when TVs knock while it stops (signage.gevent_worker).
GEVENT_WORKER = "signage.gevent_worker.GeventWorker"
LISTEN_BACKLOG = 2048  # connections the kernel holds for us (gunicorn's default)


def listen_early(host: str, port: int, attempts: int = 5) -> socket.socket:
    """Bind and listen on (host, port) now, before the imports, the schema check and
    the worker's start (seconds, more on a busy machine), and hand the socket to
    gunicorn. Screens knocking in the meantime wait in the kernel's queue and are
    answered as soon as the worker runs, instead of being refused and sleeping out
    their back-off (up to 4 s): after a restart the lobby is back that much sooner.
    A port in use is retried like gunicorn does (the old server may be exiting)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for attempt in range(attempts):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            sock.close()
            if exc.errno != errno.EADDRINUSE or attempt == attempts - 1:
                raise
            log.error("Connection in use: %s:%s, retrying", host, port)
            time.sleep(1)
            continue
        sock.listen(LISTEN_BACKLOG)
        sock.set_inheritable(True)
        return sock
    raise AssertionError("unreachable")


def raise_open_files_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def _post_worker_init(worker: Any) -> None:
    """In the worker, after fork: start the fan-out writer, the scheduler, the SIGTERM hook."""
    from signage.scheduler import Rotation

    lobby = worker.wsgi.extensions["signage"]
    lobby.publisher.start()
    lobby.watch_health()  # /healthz answers from its last round, never behind a busy pool
    try:
        lobby.publisher.warm()  # before the first screen of a reconnect storm asks
    except Exception:  # a screen's handshake builds it then
        log.exception("could not build the zones' snapshots ahead")
    lobby.fleet.start()
    if not lobby.settings.redis_url:
        # Changes made by CLI commands reach this process's screens (signage.relay).
        listener = Listener(lobby.settings.data_dir, lobby.publisher.publish)
        if listener.start():
            worker._signage_relay = listener
    rotation = Rotation(lobby)
    if worker.cfg.settings["signage_scheduler"].get():
        rotation.start()
    worker._signage_rotation = rotation

    previous = signal.getsignal(signal.SIGTERM)

    greenlets = worker.cfg.worker_class_str in ("gevent", GEVENT_WORKER)

    def going_away() -> None:
        lobby.publisher.close_all(1001, "server going away")

    def on_sigterm(signum: int, frame: Any) -> None:
        # gunicorn would wait for every open socket until its graceful timeout (a
        # blocked receive() never returns by itself): close them now, with 1001.
        if greenlets:
            # Under gevent this runs as a loop callback, where nothing may block.
            import gevent

            gevent.spawn(going_away)
            gevent.spawn(rotation.shutdown)
        else:
            threading.Thread(target=going_away, daemon=True).start()
            rotation.shutdown()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, on_sigterm)


def _worker_exit(server: Any, worker: Any) -> None:
    try:
        # When the screens were last seen, for the next start (signage.fleet).
        worker.wsgi.extensions["signage"].fleet.flush()
    except Exception:
        log.warning("could not record the screens' health on the way out")
    rotation = getattr(worker, "_signage_rotation", None)
    if rotation is not None:
        rotation.shutdown()
    listener = getattr(worker, "_signage_relay", None)
    if listener is not None:
        listener.stop()


class SignageServer(BaseApplication):
    def __init__(self, app_factory: Any, options: dict[str, Any]) -> None:
        self._factory = app_factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        from gunicorn.config import Setting, validate_bool

        class SignageScheduler(Setting):
            name = "signage_scheduler"
            section = "signage"
            validator = validate_bool
            default = True
            desc = "run the rotation scheduler in this worker"

        self.cfg.settings["signage_scheduler"] = SignageScheduler()
        for key, value in self._options.items():
            if key in self.cfg.settings:  # e.g. control_socket_disable exists from gunicorn 25 on
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self._factory()


def serve(app_factory: Any, host: str, port: int, threads: int, workers: int = 1,
          scheduler: bool = True, access_log: bool = False, worker_class: str = "gthread",
          listener: socket.socket | None = None) -> None:
    """Run gunicorn; on `listener` (from `listen_early`) when given, else on host:port."""
    raise_open_files_limit()
    options = {
        # gunicorn adopts (and closes) the descriptor: the socket object lets go of it.
        "bind": f"fd://{listener.detach()}" if listener is not None else f"{host}:{port}",
        "backlog": LISTEN_BACKLOG,
        "worker_class": GEVENT_WORKER if worker_class == "gevent" else worker_class,
        "workers": workers,
        "threads": threads,
        "worker_connections": threads + 200,
        "timeout": 30,  # under gthread a heartbeat, not a request limit
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        "keepalive": 5,
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "signage",
        "signage_scheduler": scheduler,
        # gunicorn's control socket is one fixed path per user: two servers would fight over it.
        "control_socket_disable": True,
    }
    SignageServer(app_factory, options).run()
