"""The fan-out writer, on real sockets: one slow or dead screen never delays the others."""

import json
import socket
import threading
from datetime import UTC, datetime

from signage.realtime.fanout import Fanout, Peer
from signage.realtime.frames import json_frame
from signage.realtime.hub import LocalHub


def pair() -> tuple[socket.socket, socket.socket]:
    server, client = socket.socketpair()
    client.settimeout(5)
    return server, client


def read_frames(sock: socket.socket, count: int) -> list[dict]:
    """Decode `count` unmasked text frames (what the server sends)."""
    out, buf = [], b""
    while len(out) < count:
        while True:
            if len(buf) >= 2:
                n, head = buf[1] & 0x7F, 2
                if n == 126 and len(buf) >= 4:
                    n, head = int.from_bytes(buf[2:4], "big"), 4
                elif n == 127 and len(buf) >= 10:
                    n, head = int.from_bytes(buf[2:10], "big"), 10
                if n < 126 or head > 2:
                    if len(buf) >= head + n:
                        out.append(json.loads(buf[head:head + n]))
                        buf = buf[head + n:]
                        break
            buf += sock.recv(65536)
    return out


def test_a_screen_that_never_reads_is_dropped_and_the_others_get_everything():
    fanout = Fanout(outbox_limit=256 * 1024)
    fanout.start()
    stuck_server, _stuck_client = pair()  # its client never reads a byte
    healthy = [pair() for _ in range(5)]
    peers = [Peer(s, "z") for s, _ in healthy]
    stuck = Peer(stuck_server, "z")
    for p in [*peers, stuck]:
        fanout.hold(p)
        fanout.release(p, json_frame({"type": "snapshot", "seq": 0}), 0)
    results: dict[int, list[dict]] = {}
    readers = [threading.Thread(target=lambda i=i, c=c: results.__setitem__(i, read_frames(c, 201)))
               for i, (_, c) in enumerate(healthy)]
    for r in readers:
        r.start()

    # When 200 events of 4 KB go out (800 KB: far past the stuck screen's buffers and outbox)
    for seq in range(1, 201):
        fanout.broadcast([*peers, stuck], seq, json_frame({"type": "e", "seq": seq, "pad": "x" * 4000}))
    for r in readers:
        r.join(10)

    # Then every healthy screen has all 201 messages, in order
    for i in range(len(healthy)):
        assert [m["seq"] for m in results[i]] == list(range(0, 201))
    # And the stuck one was dropped once its outbox passed the limit
    assert fanout.dropped_slow == 1
    assert stuck.state == "dropping"
    fanout.stop()


def test_a_screen_attaching_mid_stream_gets_its_snapshot_then_every_later_event_once():
    hub = LocalHub(now=lambda: datetime.now(UTC))
    hub.fanout.start()
    server, client = pair()

    class FakeWs:  # the shape hub.connect adopts: a simple-websocket's .sock attribute
        sock = server

    peer = hub.connect(FakeWs(), "sanh", {})
    for _ in range(3):
        hub.publish("sanh", "before")  # seq 1..3, nobody listening yet

    def snapshot(seq: int) -> dict:
        # Events published while the snapshot is being built must follow it, not precede it
        hub.publish("sanh", "during")  # seq 4
        hub.publish("sanh", "during")  # seq 5
        return {"type": "snapshot", "seq": seq}

    hub.start(peer, snapshot)
    hub.publish("sanh", "after")  # seq 6
    got = read_frames(client, 4)
    assert [(m["type"], m["seq"]) for m in got] == [
        ("snapshot", 3), ("during", 4), ("during", 5), ("after", 6)]
    hub.disconnect(peer)
    assert hub.connected_count() == 0
    hub.fanout.stop()
