/* The kiosk's feedback box (docs/evaluation.md): a citizen writes, the kiosk posts it as
 * itself (X-Kiosk-Key: the limit counts per registered kiosk), thanks, and goes back to
 * the services. Left alone for a minute, it goes back too. */

import { api } from "./lib/api.js";
import { byId, say } from "./lib/dom.js";

const IDLE_MS = 60000;
const THANKS_MS = 5000;
const kiosk = byId("kiosk");
const box = byId("k-feedback");
const form = byId("k-feedback-form");
const message = byId("k-feedback-message");
let timer = null;

function open() {
  byId("k-choose").hidden = true;
  box.hidden = false;
  form.hidden = false;
  form.reset();
  say(message, "");
  form.elements.text.focus();
  later(IDLE_MS);
}

function close() {
  clearTimeout(timer);
  box.hidden = true;
  byId("k-choose").hidden = false;
}

function later(ms) {
  clearTimeout(timer);
  timer = setTimeout(close, ms);
}

byId("k-feedback-open").addEventListener("click", open);
byId("k-feedback-cancel").addEventListener("click", close);
form.addEventListener("input", () => later(IDLE_MS));
form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = { text: form.elements.text.value, channel: "kiosk" };
  const contact = form.elements.contact.value.trim();
  if (contact) body.contact = contact;
  const key = kiosk.dataset.kioskKey;
  try {
    const sent = await api("POST", "feedback", body, { headers: key ? { "X-Kiosk-Key": key } : {} });
    form.hidden = true;
    say(message, `Đã nhận góp ý số ${sent.id}. Cảm ơn quý vị!`);
    later(THANKS_MS);
  } catch (error) {
    say(message, error.message, { bad: true });
  }
});
