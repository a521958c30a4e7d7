/* A picture of what this screen shows, taken by the page itself when an admin asks
 * (`screen.screenshot`, docs/protocol.md): the stage is drawn to a canvas from its own
 * DOM (vendor/modern-screenshot, MIT, self-hosted), downscaled to `width` px, and sent as
 * a JPEG to POST /screen/<key>/screenshot (the key is the credential). The server checks
 * it and draws it again; the fleet pages then show it.
 *
 * This module and the library are loaded only when a picture is asked for, never with
 * the page (screen.js imports it dynamically). One picture at a time: an ask that comes
 * while one is being drawn gets that one.
 */

const LIBRARY = "../vendor/modern-screenshot/modern-screenshot.js";
let drawing = null;

/** takeScreenshot({stage, key, width}) → Promise of the server's answer ({taken_at, …}). */
export function takeScreenshot({ stage, key, width = 480 }) {
  if (!drawing) drawing = draw(stage, key, width).finally(() => { drawing = null; });
  return drawing;
}

async function draw(stage, key, width) {
  const { domToBlob } = await import(LIBRARY);
  const blob = await domToBlob(stage, {
    // Its design size (the window's transform would shrink the measure), scaled down.
    width: stage.offsetWidth,
    height: stage.offsetHeight,
    scale: Math.min(1, width / stage.offsetWidth),
    type: "image/jpeg",
    quality: 0.8,
    backgroundColor: getComputedStyle(stage).backgroundColor || "#fff",   // the stage's own
    // The stage is scaled to the window by a transform: draw it at its design size.
    style: { transform: "none" },
    timeout: 20000,
  });
  const response = await fetch(`/screen/${encodeURIComponent(key)}/screenshot`, {
    method: "POST", body: blob, headers: { "Content-Type": blob.type || "image/jpeg" },
  });
  if (!response.ok) throw new Error(`screenshot refused: ${response.status}`);
  return response.json();
}
