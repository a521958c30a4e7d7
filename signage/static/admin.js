/* Staff pages: small progressive enhancements; every page works without this file.
   - data-confirm="…" on a submit button asks before the form is sent;
   - data-copy="…" on a button copies that text;
   - SignageAdmin.api(method, path, body) calls /api/v1 with the session cookie and the
     CSRF token from <meta name="csrf-token"> (what the notice editor will use). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function api(method, path, body) {
    var headers = { "Accept": "application/json", "X-CSRFToken": csrfToken() };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response = await fetch(path.indexOf("/") === 0 ? path : "/api/v1/" + path, init);
    var data = null;
    if (response.status !== 204) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    if (!response.ok) {
      var message = data && data.error ? data.error.message : response.statusText;
      var error = new Error(message);
      error.status = response.status;
      error.body = data;
      throw error;
    }
    return data;
  }

  window.SignageAdmin = { api: api, csrfToken: csrfToken };

  document.addEventListener("click", function (event) {
    var confirmer = event.target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    var copier = event.target.closest("[data-copy]");
    if (copier && navigator.clipboard) {
      navigator.clipboard.writeText(copier.getAttribute("data-copy")).then(function () {
        copier.classList.add("is-done");
        setTimeout(function () { copier.classList.remove("is-done"); }, 1500);
      });
    }
    // Close the user menu when clicking elsewhere.
    document.querySelectorAll("details.usermenu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  });
})();
