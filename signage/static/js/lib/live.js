/* One live connection to the server (docs/protocol.md), for the lobby screen and the
 * counter console alike: the first message is a `snapshot` (with the channel's `seq`),
 * then events with `type`, `seq` (exactly one more each time) and `at`.
 *
 * - A gap in `seq`, or a `pong` whose `seq` is ahead of the last event applied, means an
 *   event was missed: ask for a fresh snapshot (`resync`) and ignore events until it comes.
 * - Every message carries the bus's `epoch`, the generation of the seq numbers. Another
 *   epoch than the snapshot's means the numbering started again (a restarted Redis):
 *   a seq at or below ours is then news, not an old event; resync.
 * - An event the page must never lose (`essential(msg)`: a call to a counter) is still
 *   delivered when it is the one that revealed a gap or a new epoch: it is news either
 *   way, and the snapshot that follows does not replay it.
 * - Heartbeat: a `ping` every 10 s; a socket silent for 30 s is dead and is reopened.
 * - One clock: each `pong` carries the server's time (`at`); with the ping's send and
 *   receive moments it gives the offset of the server's clock (NTP-style: the offset of
 *   the sample with the shortest round trip of the last few). `now()` is the server's
 *   time as well as this page can tell, on a monotonic local clock (performance.now),
 *   so a TV whose own clock is wrong, or jumps, still changes slides with the others.
 *   Right after each connection a few pings go quickly, so the estimate is good at once.
 * - The page announces `?snapshot=deflate-raw` when it can inflate (DecompressionStream):
 *   the snapshot then comes as raw DEFLATE in a binary frame; events stay JSON text.
 * - Reconnect with jittered exponential backoff (250 ms doubling, capped at 4 s), so a
 *   lobby of screens is back within seconds of the server and never in lockstep.
 *   A new connection always starts with a snapshot: nothing is lost by a drop.
 */

const HEARTBEAT_MS = 10000;
const SILENCE_MS = 30000;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4000;
const OPEN_TIMEOUT_MS = 10000;   // a server that accepts and never answers: give up, retry
const SYNC_SAMPLES = 8;          // pongs remembered for the clock offset
const SYNC_BURST = [150, 400, 800, 1500];   // ms after opening: quick pings to sync at once

// The screen's snapshot (its one big message: 30 slides, ~190 KB of JSON) comes as raw
// DEFLATE in a binary frame, ~10× smaller, when the page says it can inflate it; other
// sockets ignore the word. Events always come as plain JSON text.
const INFLATES = (() => {
  try { return Boolean(new DecompressionStream("deflate-raw")); } catch (e) { return false; }
})();
const SNAPSHOT_DEFLATE = "?snapshot=deflate-raw";

function inflate(buffer) {
  const stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).text();
}

// Local time in ms since the epoch, monotonic (a system clock change does not move it).
const localNow = () => performance.timeOrigin + performance.now();

/**
 * connectLive({path, protocols, onSnapshot, onEvent, onLink, onClose}) → a connection,
 * not yet started: call `start()`.
 *   path        the socket's path ("/ws/screen/<key>", "/ws/counter")
 *   protocols   () => WebSocket subprotocols to offer (read at every attempt), optional
 *   onSnapshot  (msg) the snapshot (first message, and after every resync)
 *   onEvent     (msg) each event in order, after the snapshot it follows
 *   onLink      ("connecting" | "online" | "offline") whenever that changes
 *   onClose     ({opened, code, reason}) after a socket closed (opened: false = refused or
 *               unreachable)
 *   essential   (msg) → true for an event to deliver even when it reveals a gap
 */
export function connectLive({ path, protocols = () => [], onSnapshot, onEvent = () => {},
                              onLink = () => {}, onClose = () => {},
                              essential = () => false }) {
  const live = {
    socket: null,
    connected: false,
    attempts: 0,
    lastSeq: null,
    epoch: null,
    lastHeard: 0,
    received: 0,
    opens: 0,              // sockets opened since the page loaded
    offsetMs: 0,           // server clock − local clock (snapshot's `at`, then pongs)
    rttMs: null,           // round trip of the best recent ping
    samples: [],           // [{rtt, offset}] of the last pongs
  };
  let running = false;
  let retryTimer = null;
  let heartbeat = null;

  function send(message) {
    const ws = live.socket;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  function resync() {
    live.lastSeq = null;
    send({ type: "resync" });
  }

  // A compressed snapshot (a binary frame) is inflated asynchronously; whatever arrives
  // meanwhile waits behind it, so messages are still applied in the order they came.
  let behind = null;

  function onMessage(ev) {
    live.lastHeard = Date.now();
    const ws = ev.target || live.socket;             // (a test may hand it a bare {data})
    if (typeof ev.data !== "string" || behind) {
      const wait = (behind || Promise.resolve())
        .then(() => (typeof ev.data === "string" ? ev.data : inflate(ev.data)))
        .then((text) => { if (live.socket === ws) apply(text); }, () => {});
      behind = wait;
      wait.then(() => { if (behind === wait) behind = null; });
      return;
    }
    apply(ev.data);
  }

  function apply(text) {
    let msg;
    try { msg = JSON.parse(text); } catch (e) { return; }
    if (!msg || typeof msg !== "object") return;
    live.received += 1;
    if (msg.type === "pong") sample(msg);
    if (msg.type === "snapshot") {
      live.lastSeq = typeof msg.seq === "number" ? msg.seq : 0;
      live.epoch = msg.epoch || null;
      // Until a pong tells better: the snapshot's time, as if it took no time to come.
      if (msg.at && !live.samples.length) live.offsetMs = Date.parse(msg.at) - localNow();
      onSnapshot(msg);
      return;
    }
    if (live.lastSeq === null) return;               // events before the (re)snapshot
    if (msg.epoch && live.epoch && msg.epoch !== live.epoch) {
      if (essential(msg)) onEvent(msg);
      resync();
      return;
    }
    if (typeof msg.seq === "number") {
      if (msg.type === "pong") {
        if (msg.seq > live.lastSeq) resync();        // we missed something meanwhile
        return;
      }
      if (msg.seq <= live.lastSeq) return;           // already applied
      if (msg.seq !== live.lastSeq + 1) {
        if (essential(msg)) onEvent(msg);
        resync();
        return;
      }
      live.lastSeq = msg.seq;
    }
    onEvent(msg);
  }

  // A pong: our ping's `id` is when we sent it (localNow), `at` when the server answered.
  function sample(msg) {
    const received = localNow();
    const sent = Number(msg.id);
    const at = Date.parse(msg.at);
    if (!Number.isFinite(sent) || !Number.isFinite(at) || sent > received) return;
    const rtt = received - sent;
    live.samples.push({ rtt, offset: at - (sent + rtt / 2) });
    if (live.samples.length > SYNC_SAMPLES) live.samples.shift();
    const best = live.samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    live.offsetMs = best.offset;
    live.rttMs = best.rtt;
  }

  function open() {
    if (!running) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    onLink(live.attempts ? "offline" : "connecting");
    const offered = protocols();
    const url = `${scheme}://${location.host}${path}${INFLATES ? SNAPSHOT_DEFLATE : ""}`;
    const ws = offered.length ? new WebSocket(url, offered) : new WebSocket(url);
    ws.binaryType = "arraybuffer";
    live.socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      live.connected = true;
      live.attempts = 0;
      live.opens += 1;
      live.lastHeard = Date.now();
      onLink("online");
      for (const ms of SYNC_BURST) setTimeout(() => { if (live.socket === ws) ping(); }, ms);
    };
    const giveUp = setTimeout(() => { if (!opened && live.socket === ws) ws.close(); }, OPEN_TIMEOUT_MS);
    ws.onmessage = onMessage;
    ws.onclose = (ev) => {
      clearTimeout(giveUp);
      if (live.socket !== ws) return;
      live.connected = false;
      live.lastSeq = null;
      onLink("offline");
      onClose({ opened, code: ev.code, reason: ev.reason });
      if (!running) return;
      const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** live.attempts);
      live.attempts += 1;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(open, delay * (0.5 + Math.random() / 2));  // jitter: no herd
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  function ping() { send({ type: "ping", id: localNow() }); }

  function beat() {
    if (!live.connected) return;
    if (Date.now() - live.lastHeard > SILENCE_MS) { live.socket.close(); return; }
    ping();
  }

  return Object.assign(live, {
    /** Open the socket (again, after stop()). */
    start() {
      if (running) return;
      running = true;
      live.attempts = 0;
      heartbeat = setInterval(beat, HEARTBEAT_MS);
      open();
    },
    /** Close the socket and stop reconnecting (until start()). */
    stop() {
      running = false;
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      const ws = live.socket;
      live.socket = null;                            // its onclose is not ours to handle
      live.connected = false;
      live.lastSeq = null;
      if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
    },
    send,
    resync,
    /** Server time now (ms since the epoch), as well as the pongs tell. */
    now: () => localNow() + live.offsetMs,
  });
}
