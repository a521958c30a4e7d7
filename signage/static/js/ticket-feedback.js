/* The citizen's own rating and the feedback box on the ticket's page (/t/<token>;
 * docs/evaluation.md): plain forms posted to the API with the ticket's token. The public
 * feedback page (/feedback, the QR in the screens' footer) has the box alone, no token. */

import { api } from "./lib/api.js";
import { byId, say } from "./lib/dom.js";

const token = byId("s-extra").dataset.token;
const rateForm = byId("s-rate-form");

if (rateForm) {
  rateForm.addEventListener("change", () => {
    const chosen = rateForm.querySelector("input[name=score]:checked");
    byId("s-reasons").hidden = !chosen || chosen.dataset.satisfied === "true";
  });
  rateForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const chosen = rateForm.querySelector("input[name=score]:checked");
    const unhappy = chosen.dataset.satisfied !== "true";
    const body = { token, score: Number(chosen.value) };
    if (unhappy) {
      body.reasons = [...rateForm.querySelectorAll("input[name=reasons]:checked")].map((i) => i.value);
      const comment = rateForm.elements.comment.value.trim();
      if (comment) body.comment = comment;
    }
    try {
      await api("POST", "ratings", body);
      rateForm.hidden = true;
      say(byId("s-rate-message"), "Cảm ơn quý vị đã đánh giá!");
    } catch (error) {
      if (error.code === "already_rated") rateForm.hidden = true;
      say(byId("s-rate-message"), error.message, { bad: error.code !== "already_rated" });
    }
  });
}

const feedbackForm = byId("s-feedback-form");
feedbackForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = token ? { token, channel: "phone" } : { channel: "qr" };
  body.text = feedbackForm.elements.text.value;
  const contact = feedbackForm.elements.contact.value.trim();
  if (contact) body.contact = contact;
  try {
    const sent = await api("POST", "feedback", body);
    feedbackForm.hidden = true;
    say(byId("s-feedback-message"), `Đã nhận góp ý số ${sent.id}. Cảm ơn quý vị!`);
  } catch (error) {
    say(byId("s-feedback-message"), error.message, { bad: true });
  }
});

// Served while the page is open: show the rating form (the server decides if it may).
const status = byId("status");
if (!rateForm && status) {
  new MutationObserver(() => {
    if (status.dataset.status === "done") location.reload();
  }).observe(status, { attributes: true, attributeFilter: ["data-status"] });
}
