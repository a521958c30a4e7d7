/*
 * The lobby TV's voice (an ES module: `import * as speech from "./speech.js"`).
 *
 * announce() plays the chime, then says the call, twice by default. The server
 * sends the call as `tokens` (clip ids from signage.queueing.speech) and as `text`
 * (the same sentence in Vietnamese). Clips are the default because TV browsers
 * are often offline and have no vi-VN voice; a page may prefer the browser's own
 * voice where it has one. Everything loads from this server: nothing from outside.
 *
 *   speech.configure({ base: "/static", prefer: "clips" });
 *   button.onclick = () => speech.unlock();   // autoplay rules need a gesture
 *   await speech.announce({ ticket: "A-1005", counter: "3", tokens, text });
 *
 * announce() never rejects: a failure is logged and the promise resolves, so the
 * caller's queue of calls keeps moving.
 *
 * Calls that arrive together are read as one compact list instead (docs/voice.md):
 *   await speech.chime();                       // resolves when words may start
 *   await speech.announceList(items, { chimed: true, onItem: (i) => … });
 * where each item is a call's `compact` part ({prefix, tokens, text}): the letters are
 * said only where they change from the item before, and "quầy" names the counter.
 */

const LOG = "[speech]";
// Every word clip starts with 20 ms and ends with 40 ms of silence (tools/voice/make_clips.py).
const CLIP_LEAD_S = 0.02;
const CLIP_TAIL_S = 0.04;
const CLIP_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const settings = {
  base: "/static", // where voice/chime.ogg and voice/vi/<id>.ogg are served
  prefer: "clips", // "clips" | "browser": which voice to use when both are possible
  lang: "vi-VN",
  pauseMs: 1200, // between the repeats of one call
  gapMs: 30, // between two word clips
  itemGapMs: 150, // between two calls of a compact list
  listRate: 1.12, // a compact list is said a little quicker (about two semitones higher)
  chimeLeadMs: 1600, // words may start this long into the chime (its last note is fading)
  volume: 1,
};

let context = null;
let unlocked = false;
const buffers = new Map(); // url -> Promise<AudioBuffer>
let queueTail = Promise.resolve(); // the FIFO: each call waits for the one before

export function configure(options) {
  const given = options || {};
  if (typeof given.base === "string") settings.base = given.base.replace(/\/+$/, "");
  if (given.prefer === "clips" || given.prefer === "browser") settings.prefer = given.prefer;
  if (typeof given.lang === "string") settings.lang = given.lang;
  for (const key of ["pauseMs", "gapMs", "itemGapMs", "listRate", "chimeLeadMs", "volume"]) {
    if (Number.isFinite(given[key]) && given[key] >= 0) settings[key] = given[key];
  }
  return Object.assign({}, settings);
}

function audioContext() {
  if (context) return context;
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return null;
  try {
    context = new Context();
  } catch (error) {
    console.warn(LOG, "no AudioContext:", error);
    return null;
  }
  return context;
}

/* Call from a click or key press: browsers only let audio start after a user
 * gesture. Resumes the AudioContext, plays one silent sample, and speaks an empty
 * utterance so speechSynthesis is allowed too. Resolves to isUnlocked(). */
export async function unlock() {
  try {
    const ctx = audioContext();
    if (ctx) {
      const silence = ctx.createBuffer(1, 1, ctx.sampleRate);
      const source = ctx.createBufferSource();
      source.buffer = silence;
      source.connect(ctx.destination);
      source.start(0);
      // Without a gesture Chrome leaves resume() pending forever: do not wait on it.
      if (ctx.state !== "running") await Promise.race([ctx.resume(), sleep(500)]);
    }
    if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      const hush = new SpeechSynthesisUtterance(" ");
      hush.volume = 0;
      window.speechSynthesis.speak(hush);
    }
    unlocked = Boolean(ctx && ctx.state === "running");
  } catch (error) {
    console.warn(LOG, "unlock failed:", error);
  }
  return isUnlocked();
}

export function isUnlocked() {
  return unlocked && context !== null && context.state === "running";
}

/* Queue one call. Resolves with {ok, via} when this call has been spoken (or has
 * failed): via is "clips", "browser" or "none". Options: `chimed` (the chime was already
 * played by chime(): the first round starts with the words), `onStart` (called when the
 * words of the first round start). */
export function announce(call, options = {}) {
  const turn = queueTail.then(() => speakCall(call || {}, options));
  queueTail = turn;
  return turn;
}

/* Play the chime alone; resolves when words may follow (settings.chimeLeadMs into it,
 * or at once when it cannot play). */
export function chime() {
  return playChime({ resolveAfterMs: settings.chimeLeadMs });
}

/* Queue a compact list of calls (see the top of this file). Resolves with {ok, via}
 * once the list has been said `repeat` times; `onItem(i)` is called as item i starts
 * (first pass). */
export function announceList(items, options = {}) {
  const turn = queueTail.then(() => speakList(items || [], options));
  queueTail = turn;
  return turn;
}

async function speakList(items, { chimed = false, repeat = 1, onItem = () => {} }) {
  const valid = items.filter((item) => Array.isArray(item.tokens)
    && [...item.tokens, ...(item.prefix || [])].every((id) => typeof id === "string" && CLIP_ID.test(id)));
  if (!valid.length) return { ok: false, via: "none" };
  let via = "none";
  try {
    for (let round = 0; round < Math.max(1, Math.min(repeat, 5)); round += 1) {
      if (round > 0) await sleep(settings.pauseMs);
      if (round > 0 || !chimed) await playChime();
      via = await speakListOnce(valid, round === 0 ? onItem : () => {});
    }
  } catch (error) {
    console.warn(LOG, "list announcement failed:", error);
  }
  return { ok: via !== "none", via };
}

async function speakListOnce(items, onItem) {
  // The letters only where they change: "a một không không một, quầy một; một không không hai, quầy hai".
  let previous = null;
  const parts = items.map((item) => {
    const prefix = item.prefix || [];
    const same = previous !== null && prefix.join(" ") === previous;
    previous = prefix.join(" ");
    return [...(same ? [] : prefix), ...item.tokens];
  });
  if (settings.prefer !== "browser") {
    try {
      const decoded = await Promise.all(parts.map((ids) => Promise.all(ids.map((id) => loadBuffer(clipUrl(id))))));
      // Word to word with no gap and without the clips' own lead-in and tail (docs/voice.md).
      await playBuffers(decoded.flat(), 0, {
        breaks: boundaries(decoded), breakSeconds: settings.itemGapMs / 1000, onBreak: onItem,
        rate: settings.listRate, trim: [CLIP_LEAD_S, CLIP_TAIL_S] });
      return "clips";
    } catch (error) {
      console.warn(LOG, "list clips failed, trying the browser voice:", error);
    }
  }
  const text = items.map((item) => item.text).filter(Boolean).join("; ");
  onItem(0);
  return (await speakWithBrowserVoice(text)) ? "browser" : "none";
}

// Index of the first buffer of each item in the flattened list.
function boundaries(groups) {
  const starts = [];
  let n = 0;
  for (const group of groups) { starts.push(n); n += group.length; }
  return starts;
}

async function speakCall(call, { chimed = false, onStart = () => {} } = {}) {
  const repeat = Math.min(Math.max(Math.floor(Number(call.repeat ?? 2)) || 1, 1), 5);
  const what = {
    tokens: Array.isArray(call.tokens) ? call.tokens : [],
    text: call.text || fallbackText(call),
    ticket: call.ticket,
    counter: call.counter,
  };
  const bad = what.tokens.filter((id) => typeof id !== "string" || !CLIP_ID.test(id));
  if (bad.length) {
    console.warn(LOG, "ignoring tokens that are not clip ids:", bad);
    what.tokens = [];
  }
  if (what.tokens.length === 0 && !what.text) {
    // Nothing to say: do not chime the lobby for it.
    console.warn(LOG, "a call with neither tokens nor text:", call);
    return { ok: false, via: "none" };
  }
  let via = "none";
  try {
    for (let round = 0; round < repeat; round += 1) {
      if (round > 0) await sleep(settings.pauseMs);
      if (round > 0 || !chimed) await playChime();
      via = await speakOnce(what, round === 0 ? onStart : () => {});
    }
  } catch (error) {
    console.warn(LOG, "announcement failed:", error);
  }
  return { ok: via !== "none", via };
}

async function speakOnce({ tokens, text, ticket, counter }, onStart = () => {}) {
  const browserFirst = settings.prefer === "browser" || tokens.length === 0;
  if (browserFirst && (await speakWithBrowserVoice(text, onStart))) return "browser";
  if (tokens.length > 0) {
    try {
      await playClips(tokens, onStart);
      return "clips";
    } catch (error) {
      console.warn(LOG, "clips failed, trying the browser voice:", error);
    }
    if (!browserFirst && (await speakWithBrowserVoice(text, onStart))) return "browser";
  }
  console.warn(LOG, "nothing could speak this call:", ticket, counter);
  return "none";
}

async function speakWithBrowserVoice(text, onStart = () => {}) {
  const voice = text ? await vietnameseVoice() : null;
  if (!voice) return false;
  onStart();
  return speakText(text, voice);
}

function fallbackText(call) {
  if (!call.ticket) return "";
  const counter = call.counter ? ` đến quầy số ${call.counter}` : "";
  return `Kính mời công dân có số thứ tự ${call.ticket}${counter}.`;
}

// ---- clips (WebAudio) -------------------------------------------------------

function clipUrl(id) {
  return `${settings.base}/voice/vi/${id}.ogg`;
}

function loadBuffer(url) {
  let pending = buffers.get(url);
  if (!pending) {
    const ctx = audioContext();
    if (!ctx) return Promise.reject(new Error("this browser has no WebAudio"));
    pending = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      })
      .then((bytes) => decode(ctx, bytes));
    // A failed load is forgotten so the next call tries again (server restarting).
    pending.catch(() => buffers.delete(url));
    buffers.set(url, pending);
  }
  return pending;
}

function decode(ctx, bytes) {
  // Older Safari only has the callback form of decodeAudioData.
  return new Promise((resolve, reject) => {
    const result = ctx.decodeAudioData(bytes, resolve, reject);
    if (result && typeof result.then === "function") result.then(resolve, reject);
  });
}

/* Fetch and decode clips ahead of the first call (e.g. the fixed phrases, the digits). */
export function preload(ids) {
  const urls = [`${settings.base}/voice/chime.ogg`];
  for (const id of ids || []) if (CLIP_ID.test(id)) urls.push(clipUrl(id));
  return Promise.allSettled(urls.map(loadBuffer)).then(() => undefined);
}

// `resolveAfterMs`: resolve that long after the chime starts (its tail may ring under
// the first words) instead of when it ends.
async function playChime({ resolveAfterMs = null } = {}) {
  try {
    const buffer = await loadBuffer(`${settings.base}/voice/chime.ogg`);
    const played = playBuffers([buffer], 0);
    if (resolveAfterMs !== null) {
      played.catch((error) => console.warn(LOG, "chime failed:", error));
      await Promise.race([played, sleep(Math.min(resolveAfterMs, buffer.duration * 1000))]);
    } else {
      await played;
    }
  } catch (error) {
    // A missing chime must not silence the call itself.
    console.warn(LOG, "chime failed:", error);
  }
}

async function playClips(tokens, onStart = () => {}) {
  // Decode everything first so the sentence plays without holes in the middle.
  const decoded = await Promise.all(tokens.map((id) => loadBuffer(clipUrl(id))));
  await playBuffers(decoded, settings.gapMs / 1000, { breaks: [0], onBreak: onStart });
}

// `breaks`: indexes of buffers that start a new part (an item of a list): a longer pause
// (`breakSeconds`) goes before each but the first, and `onBreak(k)` is called as part k
// starts playing.
// `rate`: playback speed (pitch follows); `trim`: [lead, tail] seconds of each buffer not
// played (the clips' padding of silence).
async function playBuffers(list, gapSeconds, { breaks = [], breakSeconds = 0, onBreak = null,
                                               rate = 1, trim = [0, 0] } = {}) {
  const ctx = audioContext();
  if (!ctx) throw new Error("this browser has no WebAudio");
  if (ctx.state !== "running") {
    await Promise.race([ctx.resume().catch(() => undefined), sleep(300)]);
    if (ctx.state !== "running") {
      throw new Error("audio is locked: call unlock() from a click first");
    }
  }
  const gain = ctx.createGain();
  gain.gain.value = settings.volume;
  gain.connect(ctx.destination);
  // Sources are scheduled on the audio clock back to back, not chained by
  // onended, which would add a little timer jitter between every word.
  let at = ctx.currentTime + 0.05;
  let last = null;
  const marks = [];
  list.forEach((buffer, i) => {
    const part = breaks.indexOf(i);
    if (part > 0) at += breakSeconds;
    if (part >= 0) marks.push(at);
    last = ctx.createBufferSource();
    last.buffer = buffer;
    last.playbackRate.value = rate;
    last.connect(gain);
    const played = Math.max(0.05, buffer.duration - trim[0] - trim[1]);
    last.start(at, trim[0], played);
    at += played / rate + gapSeconds;
  });
  if (onBreak) {
    // The audio clock is exact; tell the page as each part begins (people and tests look).
    const now = ctx.currentTime;
    marks.forEach((t, k) => setTimeout(() => onBreak(k), Math.max(0, (t - now) * 1000)));
  }
  const seconds = at - ctx.currentTime;
  await new Promise((resolve) => {
    if (!last) return resolve();
    last.onended = resolve;
    // onended never fires if the context is suspended mid-call (TV standby):
    // a deadline keeps the queue moving.
    setTimeout(resolve, (seconds + 2) * 1000);
  });
  gain.disconnect();
}

// ---- browser voice (speechSynthesis) -------------------------------------------

let voicesAwaited = false;

async function vietnameseVoice() {
  const synth = window.speechSynthesis;
  if (!synth || !window.SpeechSynthesisUtterance) return null;
  let voices = synth.getVoices();
  if (voices.length === 0 && !voicesAwaited) {
    // Chrome fills the list asynchronously and announces it with voiceschanged.
    // Wait for that once only: a TV with no voices must not add a second per call.
    voicesAwaited = true;
    await new Promise((resolve) => {
      const done = () => {
        synth.removeEventListener("voiceschanged", done);
        resolve();
      };
      synth.addEventListener("voiceschanged", done);
      setTimeout(done, 1000);
    });
    voices = synth.getVoices();
  }
  const lang = settings.lang.toLowerCase();
  const normal = (voice) => (voice.lang || "").toLowerCase().replace("_", "-");
  return (
    voices.find((voice) => normal(voice) === lang) ||
    voices.find((voice) => normal(voice).startsWith(lang.split("-")[0] + "-")) ||
    voices.find((voice) => normal(voice) === lang.split("-")[0]) ||
    null
  );
}

function speakText(text, voice) {
  return new Promise((resolve) => {
    const synth = window.speechSynthesis;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang || settings.lang;
    utterance.rate = 0.9; // a lobby is noisy and many listeners are elderly
    utterance.volume = Math.min(settings.volume, 1);
    let settled = false;
    const finish = (ok) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(ok);
    };
    utterance.onend = () => finish(true);
    utterance.onerror = (event) => {
      console.warn(LOG, "speechSynthesis error:", event.error);
      finish(false);
    };
    // Some engines never fire onend; allow generously for a slow voice.
    const deadline = setTimeout(() => {
      synth.cancel();
      finish(true);
    }, 4000 + text.length * 150);
    try {
      synth.speak(utterance);
    } catch (error) {
      console.warn(LOG, "speechSynthesis failed:", error);
      finish(false);
    }
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
