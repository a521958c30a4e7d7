"""The fan-out writer, on real sockets: one slow or dead screen never delays the others."""

import socket
from datetime import UTC, datetime

from signage.realtime.fanout import Fanout, Peer
from signage.realtime.frames import json_frame
from signage.realtime.hub import LocalHub
from tests.wire import FrameReader, read_frames


def pair() -> tuple[socket.socket, socket.socket]:
    server, client = socket.socketpair()
    client.settimeout(5)
    return server, client


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
    readers = [FrameReader(c) for _, c in healthy]
    received: list[list[int]] = [[] for _ in healthy]

    # When 200 events of 4 KB go out in batches, the healthy screens reading as they come
    # (800 KB in all: far past the stuck screen's socket buffer plus its 256 KB outbox)
    for i, reader in enumerate(readers):
        received[i].append(reader.next()["seq"])
    for batch in range(5):
        for seq in range(batch * 40 + 1, batch * 40 + 41):
            frame = json_frame({"type": "e", "seq": seq, "pad": "x" * 4000})
            fanout.broadcast([*peers, stuck], seq, frame)
        for i, reader in enumerate(readers):
            received[i] += [reader.next()["seq"] for _ in range(40)]

    # Then every healthy screen has all 201 messages, in order
    assert all(r == list(range(0, 201)) for r in received)
    # And the stuck one was dropped once its outbox passed the limit, and only it
    assert fanout.dropped_slow == 1
    assert stuck.state == "dropping" and all(p.state == "live" for p in peers)
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
