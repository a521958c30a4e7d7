/* Calling the REST API from a page: one fetch wrapper for every page.
 *
 * - A staff page carries the CSRF token in <meta name="csrf-token">; it goes with every
 *   request as X-CSRFToken (the session cookie needs it on writes; docs/admin.md).
 * - A counter PC without a personal login sends an operator's bearer token instead.
 * - It asks for messages in the page's language (<html lang>).
 * - An error answer is the API's {"error": {"code", "message", "field"?, "details"?}}:
 *   it becomes an ApiError with those fields, so a page shows the server's message
 *   (already in the visitor's language) next to the field it names.
 */

import { say } from "./dom.js";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class ApiError extends Error {
  /** `status` 0 means the server was not reached at all. */
  constructor(status, error, fallback) {
    const e = error || {};
    super(e.message || fallback || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = e.code || (status ? `http_${status}` : "network");
    this.field = e.field || null;
    // Every field problem as [{field, message}] (one when the API named only `field`).
    this.details = Array.isArray(e.details) ? e.details
      : e.field ? [{ field: e.field, message: e.message }] : [];
    this.error = e;
  }
}

export const OFFLINE_MESSAGE = "Mất kết nối tới máy chủ.";

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/**
 * `api(method, path, body?, {token, signal})` → the response's JSON (null for 204).
 * `path` is "/api/v1/…" or relative to it ("tickets"); a Blob `body` (a File) goes as
 * itself, anything else as JSON. Throws an ApiError.
 */
export async function api(method, path, body, { token = null, signal, headers: extra = {} } = {}) {
  // Messages in the page's language (the API would otherwise follow the browser's
  // Accept-Language, and an English browser would get English errors on a Vietnamese page).
  const headers = { Accept: "application/json",
                    "Accept-Language": document.documentElement.lang || "vi" };
  const csrf = csrfToken();
  if (csrf && UNSAFE.has(method)) headers["X-CSRFToken"] = csrf;
  if (token) headers.Authorization = `Bearer ${token}`;
  Object.assign(headers, extra);
  const init = { method, headers, credentials: "same-origin", signal };
  if (body instanceof Blob) {
    // A file (a picture upload): the bytes themselves, with their type.
    headers["Content-Type"] = body.type || "application/octet-stream";
    init.body = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path.startsWith("/") ? path : `/api/v1/${path}`, init);
  } catch (error) {
    if (error && error.name === "AbortError") throw error;
    throw new ApiError(0, null, OFFLINE_MESSAGE);
  }
  let data = null;
  if (response.status !== 204) {
    try { data = await response.json(); } catch (e) { data = null; }
  }
  if (!response.ok) {
    throw new ApiError(response.status, data && data.error, response.statusText);
  }
  return data;
}

/** The words to show for an error: the API's message, an Error's, or the text given. */
export function errorMessage(error) {
  if (!error) return "";
  return typeof error === "string" ? error : error.message || String(error);
}

/** Show `error` (ApiError, Error or text; null clears) in `el`, marked as bad. */
export function showError(el, error, options = {}) {
  say(el, errorMessage(error), { bad: true, ...options });
}
