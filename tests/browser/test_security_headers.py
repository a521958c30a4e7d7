"""Every page carries the security headers, and works under its Content-Security-Policy
in Chromium: no inline script, no eval, nothing from another host, and not one violation
reported while the page loads and runs (issue 10, item 9)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def pages(live_server) -> list[str]:
    [key] = live_server.add_screens("TV chính sách")
    status, ticket = live_server.request("POST", "/api/v1/tickets",
                                         {"service": "HOTICH", "print": False}, role=None)
    assert status == 201
    tablet = live_server.cli("tablets", "add", "Máy chính sách", "--counter", "2").split()[-1]
    return [f"/screen/{key}", "/kiosk", "/counter", f"/t/{ticket['token']}",
            "/screen/khong-co-man-hinh-nay", "/admin/login", tablet]


STAFF_PAGES = ["/admin/", "/admin/notices", "/admin/notices/new/procedure",
               "/admin/notices/new/law", "/admin/playlists/sanh-chinh", "/admin/office-hours",
               "/admin/services", "/admin/counters", "/admin/queue-settings", "/admin/users",
               "/admin/screens", "/admin/zones", "/admin/audit", "/admin/officers",
               "/admin/tablets", "/admin/reports", "/admin/feedback"]


def visit(context, base: str, path: str) -> list[str]:
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text)
            if "Content Security Policy" in m.text else None)
    response = page.goto(base + path)
    headers = response.headers
    assert "default-src 'self'" in headers.get("content-security-policy", ""), path
    assert headers.get("x-content-type-options") == "nosniff", path
    assert headers.get("x-frame-options") == "SAMEORIGIN", path
    page.wait_for_load_state("networkidle")
    problems += page.evaluate("window.__cspViolations || []")
    page.close()
    return problems


def test_every_page_runs_under_its_policy_without_one_violation(live_server, browser):
    context = browser.new_context(bypass_csp=False, viewport={"width": 1280, "height": 800})
    context.add_init_script(WATCH)
    try:
        violations = {path: found for path in pages(live_server)
                      if (found := visit(context, live_server.base, path))}
        # and the staff pages, signed in
        live_server.cli("users", "add", "chinhsach", "--role", "admin", "--password-stdin",
                        input="mot-cau-mat-khau-dai\n")
        login = context.new_page()
        login.goto(live_server.base + "/admin/login")
        login.fill("input[name=name]", "chinhsach")
        login.fill("input[name=password]", "mot-cau-mat-khau-dai")
        login.click("input[name=password] >> xpath=ancestor::form//button[@type='submit']")
        login.wait_for_url(re.compile(r".*/admin/$"))
        login.close()
        violations.update({path: found for path in STAFF_PAGES
                           if (found := visit(context, live_server.base, path))})
    finally:
        context.close()
    assert violations == {}


def test_a_page_cannot_be_framed_by_another_site(live_server):
    import urllib.request

    for path in ("/counter", "/kiosk", "/admin/login"):
        with urllib.request.urlopen(live_server.base + path) as response:
            policy = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'self'" in policy, path
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
