/* The notice editor, its live preview, review and history actions (/admin/notices…).
 * An ES module, no build step. Every change goes through /api/v1 with lib/api.js
 * (session cookie + CSRF token), so the page can do nothing the API would not allow
 * this user to do.
 *
 * - Form: repeating groups (add / remove / move rows), the record collected as the API's
 *   JSON, required fields checked here with the schema's own Vietnamese messages, the
 *   rest checked by the server as the editor types (POST /api/v1/notices/preview,
 *   debounced) and shown under the field it concerns.
 * - Preview: the real slide HTML from that call goes by postMessage into two TV-sized
 *   frames (1920×1080 and 1080×1920, scaled down) that load screen.css and slides.js.
 * - Review and history: approve, reject (with a reason), restore.
 */

import { api } from "./lib/api.js";
import { fill, readJson } from "./lib/dom.js";

const PREVIEW_DELAY_MS = 350;

// ---- the preview pane ------------------------------------------------------------------

function Preview(pane) {
  const frames = {};
  const ready = {};
  const pages = { landscape: { count: 1, page: 0 }, portrait: { count: 1, page: 0 } };
  let last = null;
  let orientation = "landscape";

  pane.querySelectorAll("[data-frame]").forEach((frame) => { frames[frame.dataset.frame] = frame; });
  const pagesBox = pane.querySelector("[data-pages]");
  const pageLabel = pane.querySelector("[data-page-label]");
  const words = (readJson("notice-data") || readJson("review-data") || {}).words || {};

  // The frames are 1920×1080 / 1080×1920 CSS pixels, scaled to the width they are given.
  function fit() {
    pane.querySelectorAll("[data-stage-box]").forEach((box) => {
      const wide = box.dataset.stageBox === "landscape";
      const scale = box.clientWidth / (wide ? 1920 : 1080);
      if (scale > 0) box.style.setProperty("--scale", String(scale));
    });
  }
  if ("ResizeObserver" in window) new ResizeObserver(fit).observe(pane);
  window.addEventListener("resize", fit);
  fit();

  function send(name) {
    if (last && ready[name]) {
      frames[name].contentWindow.postMessage({ type: "render", ...last }, location.origin);
    }
  }

  function showPages() {
    const p = pages[orientation];
    pagesBox.hidden = p.count < 2;
    pageLabel.textContent = fill(words.page || "{i}/{n}", { i: p.page + 1, n: p.count });
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== location.origin) return;
    const name = Object.keys(frames).find((k) => frames[k].contentWindow === event.source);
    if (!name) return;
    const msg = event.data || {};
    if (msg.type === "ready") { ready[name] = true; send(name); }
    if (msg.type === "pages") {
      pages[name] = { count: msg.count, page: msg.page };
      frames[name].dataset.pages = String(msg.count);
      if (name === orientation) showPages();
    }
  });

  pane.querySelectorAll("[data-orientation]").forEach((button) => {
    button.addEventListener("click", () => {
      orientation = button.dataset.orientation;
      pane.querySelectorAll("[data-orientation]").forEach((b) =>
        b.setAttribute("aria-pressed", String(b === button)));
      pane.querySelectorAll("[data-stage-box]").forEach((box) => {
        box.hidden = box.dataset.stageBox !== orientation;
      });
      fit();
      showPages();
    });
  });

  pane.querySelectorAll("[data-page-step]").forEach((button) => {
    button.addEventListener("click", () => {
      const p = pages[orientation];
      const index = Math.max(0, Math.min(p.count - 1, p.page + parseInt(button.dataset.pageStep, 10)));
      frames[orientation].contentWindow.postMessage({ type: "page", index }, location.origin);
    });
  });

  return {
    render(html, kind) {
      last = { html, kind };
      Object.keys(frames).forEach(send);
    },
    state(text, bad) {
      const el = pane.querySelector("[data-preview-state]");
      el.textContent = text;
      el.classList.toggle("is-bad", Boolean(bad));
    },
  };
}

// ---- the form -----------------------------------------------------------------------

function NoticeForm(form, data, preview) {
  const words = data.words;
  const labels = data.schema_labels;
  const kind = data.kind;
  let version = data.version;
  let pending = data.pending;
  let showAll = false;         // after a save attempt every problem shows, not only touched
  let dirty = false;
  let timer = null;
  let asked = 0;               // preview requests, so a late answer never wins over a newer
  // The save bar's message is about the fields ("fix the red marks"): it follows them as
  // they are fixed, instead of staying after the last one is.
  let barAboutFields = false;
  const bar = form.querySelector("[data-save-state]");

  function sayOnBar(text, aboutFields) {
    bar.textContent = text;
    barAboutFields = aboutFields;
    bar.classList.toggle("is-bad", Boolean(text) && aboutFields);
  }

  function followFields(problems) {
    if (!barAboutFields) return;
    if (problems.length) sayOnBar(fill(words.problems, { n: problems.length }), true);
    else sayOnBar(words.valid, false);
  }

  // -- rows
  function renumber(group) {
    const rows = [...group.querySelector("[data-rows]").children];
    rows.forEach((row, i) => {
      row.querySelector("[data-num]").textContent = String(i + 1);
      row.querySelector('[data-action="up"]').disabled = i === 0;
      row.querySelector('[data-action="down"]').disabled = i === rows.length - 1;
    });
  }

  form.querySelectorAll("[data-group]").forEach(renumber);

  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || !form.contains(button)) return;
    const group = button.closest("[data-group]");
    const list = group.querySelector("[data-rows]");
    const row = button.closest("[data-row]");
    const action = button.dataset.action;
    if (action === "add") {
      const template = group.querySelector("template[data-row-template]");
      list.append(template.content.cloneNode(true));
      const added = list.lastElementChild;
      const first = added.querySelector("input, textarea, select");
      if (first) first.focus();
    } else if (action === "remove") {
      const filled = [...row.querySelectorAll("input:not([type=checkbox]), textarea")]
        .some((el) => el.value.trim() && el.type !== "number");
      if (filled && !window.confirm(words.confirm_remove)) return;
      row.remove();
    } else if (action === "up" && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
      button.focus();
    } else if (action === "down" && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
      button.focus();
    } else {
      return;
    }
    renumber(group);
    changed();
  });

  // -- the record
  function valueOf(el) {
    if (el.type === "checkbox") return el.checked;
    if (el.type === "number") {
      const n = Number(el.value);
      return el.value.trim() !== "" && Number.isInteger(n) ? n : el.value;
    }
    if (el.type === "date") return el.value || null;
    return el.value;
  }

  function collect() {
    const record = { kind };
    form.querySelectorAll("[data-field]").forEach((el) => { record[el.dataset.field] = valueOf(el); });
    form.querySelectorAll("[data-group]").forEach((group) => {
      const scalar = group.hasAttribute("data-scalar");
      record[group.dataset.group] = [...group.querySelector("[data-rows]").children].map((row) => {
        const cells = [...row.querySelectorAll("[data-key]")];
        if (scalar) return valueOf(cells[0]);
        return Object.fromEntries(cells.map((el) => [el.dataset.key, valueOf(el)]));
      });
    });
    if (kind === "procedure") {
      // An optional date left empty is left out rather than sent as "".
      record.legal_bases.forEach((b) => { if (!b.issued) delete b.issued; });
    } else if (!record.slug) {
      delete record.slug;   // the server makes it from the title
    }
    return record;
  }

  // -- problems: [{field: "documents.1.name", message}] → next to the field
  function targetOf(path) {
    const parts = path.split(".");
    const group = form.querySelector(`[data-group="${parts[0]}"]`);
    if (group && parts.length > 1) {
      const row = group.querySelector("[data-rows]").children[parseInt(parts[1], 10)];
      if (row) {
        if (group.hasAttribute("data-scalar")) {
          return { error: row.querySelector("[data-error-key]"), input: row.querySelector("[data-key]") };
        }
        const key = parts[2] || "";
        const error = row.querySelector(`[data-error-key="${key}"]`);
        if (error) return { error, input: row.querySelector(`[data-key="${key}"]`) };
        return { error: group.querySelector(`[data-error-for="${parts[0]}"]`), input: null };
      }
    }
    const error = form.querySelector(`[data-error-for="${parts[0]}"]`);
    return error ? { error, input: form.querySelector(`[data-field="${parts[0]}"]`) } : null;
  }

  function clearProblems() {
    form.querySelectorAll(".field-error").forEach((el) => { el.hidden = true; el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    form.querySelectorAll(".nf-row.has-error").forEach((el) => el.classList.remove("has-error"));
  }

  function showProblems(problems, all) {
    clearProblems();
    const summary = form.querySelector("[data-summary]");
    const loose = [];
    let shown = 0;
    for (const p of problems) {
      const target = targetOf(p.field);
      const touched = target && target.input && target.input.dataset.touched;
      if (!all && !touched) continue;
      if (!target || !target.error) { loose.push(p.message); continue; }
      target.error.hidden = false;
      target.error.textContent = target.error.textContent
        ? `${target.error.textContent} ${p.message}` : p.message;
      if (target.input) target.input.setAttribute("aria-invalid", "true");
      const row = target.error.closest(".nf-row");
      if (row) row.classList.add("has-error");
      shown += 1;
    }
    if (all && problems.length) {
      summary.hidden = false;
      summary.replaceChildren();
      const head = document.createElement("strong");
      head.textContent = fill(words.problems, { n: problems.length });
      summary.append(head);
      if (loose.length) {
        const list = document.createElement("ul");
        loose.forEach((m) => { const li = document.createElement("li"); li.textContent = m; list.append(li); });
        summary.append(list);
      }
    } else {
      summary.hidden = true;
    }
    return shown;
  }

  // The checks that need no server, worded as the schema words them.
  function localProblems() {
    const problems = [];
    form.querySelectorAll("[data-field][required]").forEach((el) => {
      if (!el.value.trim()) {
        problems.push({ field: el.dataset.field,
                        message: `${labels[el.dataset.field]}: ${"không được để trống."}` });
      }
    });
    const code = form.querySelector('[data-field="code"]');
    if (code && code.value.trim() && code.validity.patternMismatch) {
      problems.push({ field: "code", message: `${labels.code}: ${words.pattern_code}` });
    }
    form.querySelectorAll("[data-group]").forEach((group) => {
      const name = group.dataset.group;
      const rows = [...group.querySelector("[data-rows]").children];
      if (rows.length < parseInt(group.dataset.min || "0", 10)) {
        problems.push({ field: name, message: `${labels[name]}: ${words.at_least_one}` });
      }
      rows.forEach((row, i) => {
        row.querySelectorAll("[data-key][required]").forEach((el) => {
          if (el.value.trim()) return;
          const scalar = group.hasAttribute("data-scalar");
          const path = scalar ? `${name}.${i}` : `${name}.${i}.${el.dataset.key}`;
          const item = fill(words.item, { n: i + 1 });
          const label = scalar ? `${labels[name]} › ${item}`
                               : `${labels[name]} › ${item} › ${labels[el.dataset.key] || el.dataset.key}`;
          problems.push({ field: path, message: `${label}: không được để trống.` });
        });
      });
    });
    return problems;
  }

  // -- live preview and server-side validation, as the editor types
  async function refresh() {
    const mine = ++asked;
    preview.state(words.checking);
    try {
      const answer = await api("POST", data.preview_api, { ...collect(), id: data.id });
      if (mine !== asked) return;
      preview.render(answer.html, answer.kind);
      showProblems(answer.problems, showAll);
      followFields(answer.problems.length ? answer.problems : localProblems());
      // Problems count in red once the editor has tried to save; before, a calm count.
      preview.state(answer.valid ? words.valid : fill(words.problems, { n: answer.problems.length }),
                    !answer.valid && showAll);
    } catch (error) {
      if (mine === asked) preview.state(fill(words.preview_error, { message: error.message }), true);
    }
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DELAY_MS);
  }

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-field], [data-key]")) event.target.dataset.touched = "1";
    changed();
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-field], [data-key]")) event.target.dataset.touched = "1";
    changed();
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = words.leave; }
  });

  // -- saving
  let how = null;
  form.querySelectorAll("[data-save]").forEach((b) => b.addEventListener("click", () => { how = b.dataset.save; }));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const mode = how || (form.querySelector("[data-save]") || {}).dataset.save;
    showAll = true;
    const local = localProblems();
    if (local.length) {
      showProblems(local, true);
      sayOnBar(words.fix_first, true);
      const first = form.querySelector("[aria-invalid]") || form.querySelector("[data-summary]");
      if (first) first.focus();
      return;
    }
    const body = { ...collect() };
    const zones = [...form.querySelectorAll("[data-zone]:checked:not(:disabled)")].map((z) => z.value);
    if (zones.length) body.zones = zones;
    const submit = mode === "submit" ? "?submit=true" : "";
    const buttons = form.querySelectorAll("[data-save]");
    buttons.forEach((b) => { b.disabled = true; });
    sayOnBar(words.saving, false);
    try {
      let saved;
      if (data.id) {
        saved = await api("PUT", `${data.api}/${data.id}${submit}`, { ...body, version, pending });
      } else {
        saved = await api("POST", `${data.api}${submit}`, body);
      }
      version = saved.version;
      pending = saved.pending ? { number: saved.pending.number } : null;
      dirty = false;
      const status = saved.pending ? saved.pending.status : "approved";
      location.assign(`${data.edit_url.replace(/0$/, String(saved.id))}?saved=${status}`);
    } catch (error) {
      // The API's field problems ({field, message}) go next to their fields.
      const aboutFields = Boolean(error.details && error.details.length);
      if (aboutFields) showProblems(error.details, true);
      sayOnBar(error.message, aboutFields);
      buttons.forEach((b) => { b.disabled = false; });
    }
  });

  const picker = form.querySelector("[data-image-picker]");
  if (picker) ImagePicker(picker, data);
  refresh();
}

// ---- a law message's picture: upload, or choose one the server has ---------------------

function ImagePicker(box, data) {
  const words = data.words;
  const input = box.querySelector('[data-field="image"]');
  const file = box.querySelector("[data-image-file]");
  const gallery = box.querySelector("[data-image-gallery]");
  const choose = box.querySelector("[data-image-choose]");
  const current = box.querySelector("[data-image-current]");
  const state = box.querySelector("[data-image-state]");

  function showCurrent() {
    const url = input.value.trim();
    current.hidden = !url.startsWith("/images/");
    if (!current.hidden) current.src = url;
  }
  current.addEventListener("error", () => { current.hidden = true; });

  function use(url) {
    input.value = url;
    input.dispatchEvent(new Event("input", { bubbles: true }));  // touched, checked, previewed
    showCurrent();
  }

  async function fillGallery() {
    const answer = await api("GET", data.images_api);
    gallery.replaceChildren();
    if (!answer.items.length) {
      const none = document.createElement("p");
      none.className = "hint";
      none.textContent = words.no_images;
      gallery.append(none);
    }
    for (const item of answer.items) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "nf-image-choice";
      button.dataset.url = item.url;
      button.title = `${words.choose}: ${item.url}`;
      button.setAttribute("aria-pressed", String(item.url === input.value.trim()));
      const img = document.createElement("img");
      img.src = item.url;
      img.alt = "";
      img.loading = "lazy";
      button.append(img);
      button.addEventListener("click", () => {
        use(item.url);
        gallery.querySelectorAll("[aria-pressed]").forEach((b) =>
          b.setAttribute("aria-pressed", String(b === button)));
      });
      gallery.append(button);
    }
  }

  choose.addEventListener("click", async () => {
    const open = gallery.hidden;
    gallery.hidden = !open;
    choose.setAttribute("aria-expanded", String(open));
    if (open) {
      try { await fillGallery(); } catch (error) { state.textContent = error.message; }
    }
  });

  box.querySelector("[data-image-clear]").addEventListener("click", () => use(""));

  file.addEventListener("change", async () => {
    const picked = file.files && file.files[0];
    if (!picked) return;
    state.textContent = words.uploading;
    state.classList.remove("is-bad");
    try {
      const stored = await api("POST", data.images_api, picked);
      use(stored.url);
      state.textContent = words.uploaded;
      if (!gallery.hidden) await fillGallery();
    } catch (error) {
      state.textContent = error.message;
      state.classList.add("is-bad");
    } finally {
      file.value = "";
    }
  });

  input.addEventListener("input", showCurrent);
  showCurrent();
}

// ---- review and history ------------------------------------------------------------

function reviewActions(root) {
  const data = readJson("review-data") || {};
  const words = data.words || {};
  root.querySelectorAll("[data-api-action]").forEach((button) => {
    button.addEventListener("click", async () => {
      const state = root.querySelector("[data-action-state]");
      let body = button.dataset.revision ? { revision: parseInt(button.dataset.revision, 10) } : undefined;
      if (button.dataset.apiAction.endsWith("/reject")) {
        const reason = root.querySelector("[data-reason]");
        if (!reason.value.trim()) {
          state.textContent = words.reason_required;
          reason.setAttribute("aria-invalid", "true");
          reason.focus();
          return;
        }
        body = { ...(body || {}), reason: reason.value };
      }
      if (button.dataset.ask && !window.confirm(button.dataset.ask)) return;
      button.disabled = true;
      try {
        await api("POST", button.dataset.apiAction, body);
        state.textContent = words.done;
        location.assign(button.dataset.then || location.href);
      } catch (error) {
        state.textContent = error.message;
        button.disabled = false;
      }
    });
  });
}

// A module runs once the document is parsed: the page is all there.
{
  const pane = document.querySelector("[data-preview]");
  const preview = pane ? Preview(pane) : null;
  const form = document.querySelector("[data-notice-form]");
  if (form && preview) NoticeForm(form, readJson("notice-data"), preview);
  const review = readJson("review-data");
  if (!form && preview && review && review.record) {
    api("POST", review.preview_api, review.record)
      .then((answer) => preview.render(answer.html, answer.kind))
      .catch((error) => preview.state(error.message, true));
  }
  document.querySelectorAll("[data-review-actions]").forEach(reviewActions);
}
