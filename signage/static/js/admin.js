/* Staff pages: small progressive enhancements; every page works without this module.
   - data-confirm="…" on a submit button asks before the form is sent;
   - data-copy="…" on a button copies that text;
   - a click elsewhere closes the user menu.
   Pages that call the API import it from lib/api.js (session cookie + CSRF token). */

document.addEventListener("click", (event) => {
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
    event.preventDefault();
    return;
  }
  const copier = event.target.closest("[data-copy]");
  if (copier && navigator.clipboard) {
    navigator.clipboard.writeText(copier.getAttribute("data-copy")).then(() => {
      copier.classList.add("is-done");
      setTimeout(() => copier.classList.remove("is-done"), 1500);
    });
  }
  document.querySelectorAll("details.usermenu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
