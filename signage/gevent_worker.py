"""`signage serve --worker-class gevent`: gunicorn's gevent worker, quiet on its way out.

On SIGTERM every screen's socket is closed (1001) and the TVs knock again within a
quarter of a second, while the worker still accepts until it stops its servers. A
connection accepted then is handled after the listening socket was closed, and
gunicorn's first move (`listener.getsockname()`) raised EBADF: a traceback per TV, a
thousand in the log of one restart (bench/reconnect.py). Such a connection is closed
instead, unanswered: the TV knocks again and finds the next server.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers.ggevent import GeventWorker as _GeventWorker


class GeventWorker(_GeventWorker):
    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        try:
            listener.getsockname()
        except OSError:  # the worker is stopping: its listener is closed
            client.close()
            return
        super().handle(listener, client, addr)
