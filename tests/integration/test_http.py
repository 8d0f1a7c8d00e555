"""test_http.py: the real binary behind real nginx, over HTTP.

Health, the front page, errors as pages and as JSON, security headers,
static files, and malformed requests: each bad request gets a 4xx naming
its cause, and no worker ever dies because of one.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, request, raw, raw_status  # noqa: E402

t = TAP()
s = new_stack(workers=2)
P = s.port


def get(path, **kw):
    return request(P, "GET", path, **kw)


def post(path, body, ctype, **kw):
    h = {"Content-Type": ctype, "Accept": "application/json"}
    h.update(kw.pop("headers", {}))
    return request(P, "POST", path, body=body, headers=h, **kw)


def error_of(r):
    try:
        return r.json()["error"]
    except Exception:
        return {}


# -- health ---------------------------------------------------------------
r = get("/healthz")
t.eq(r.status, 200, "GET /healthz answers 200")
t.eq(r.headers.get("content-type"), "application/json", "health is JSON")
body = r.json()
t.eq(body, {"status": "ok", "db": "ok", "version": body.get("version")},
     "health body has exactly status, db and version")
t.ok(body.get("version", "").count(".") == 2, "version looks like x.y.z", body)
t.eq(r.headers.get("cache-control"), "no-store", "health is never cached")

# -- front page -------------------------------------------------------------
r = get("/")
t.eq(r.status, 200, "GET / answers 200")
t.ok(r.headers.get("content-type", "").startswith("text/html; charset=utf-8"), "front page is UTF-8 HTML")
html = r.text
t.ok(html.startswith("<!doctype html>"), "front page has a doctype")
t.ok("<title>Home · Chapterhouse</title>" in html, "title carries the product name", html[:400])
for landmark in ("<header", "<nav aria-label=\"Main\"", "<main id=\"main\"", "<footer"):
    t.ok(landmark in html, f"layout has landmark {landmark}")
t.ok('href="#main"' in html, "layout has a skip link")
t.ok('<html lang="en">' in html, "document language is declared")
t.eq(r.headers.get("content-length"), str(len(r.body)), "Content-Length matches the body")

# Security headers come from one place: every response has them.
for path, want in (("/", 200), ("/healthz", 200), ("/nope", 404)):
    r = get(path)
    csp = r.headers.get("content-security-policy", "")
    t.ok(r.status == want and "object-src 'none'" in csp and "base-uri 'none'" in csp
         and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp,
         f"{path}: CSP without unsafe-inline", csp)
    t.eq(r.headers.get("x-content-type-options"), "nosniff", f"{path}: nosniff")
    t.ok("referrer-policy" in r.headers, f"{path}: Referrer-Policy")
    t.ok("strict-transport-security" not in r.headers, f"{path}: no HSTS over plain http")

# HEAD answers like GET without a body.
r = request(P, "HEAD", "/")
g = get("/")
t.ok(r.status == 200 and r.body == b"" and r.headers.get("content-length") == str(len(g.body)),
     "HEAD / has GET's length and no body", (r.status, r.headers.get("content-length"), len(g.body)))

# -- static files by nginx --------------------------------------------------
r = get("/static/style.css")
t.eq(r.status, 200, "stylesheet served")
t.ok(r.headers.get("content-type", "").startswith("text/css"), "stylesheet is text/css")
t.ok("max-age=" in r.headers.get("cache-control", "") and "public" in r.headers.get("cache-control", ""),
     "stylesheet is cacheable", r.headers.get("cache-control"))
with open(os.path.join(s.srcdir, "static", "style.css"), "rb") as f:
    t.eq(r.body, f.read(), "stylesheet is the file in static/")

# -- errors as pages and as JSON -------------------------------------------
r = get("/no/such/page")
t.eq(r.status, 404, "unknown path is 404")
t.ok("<h1" in r.text and "404" in r.text, "404 is a page for browsers")
r = get("/no/such/page", headers={"Accept": "application/json"})
t.eq(r.status, 404, "404 for JSON clients too")
t.eq(error_of(r).get("code"), "not_found", "JSON error body has a code")
t.ok("message" in error_of(r) and "field" in error_of(r), "JSON error has message and field", r.text)
r = get("/api/v1/nothing")
t.eq((r.status, r.headers.get("content-type")), (404, "application/json"),
     "anything under /api/ answers JSON without asking")
r = get("/healthz/")
t.eq(r.status, 404, "a trailing slash is another path")
r = request(P, "DELETE", "/healthz")
t.eq(r.status, 405, "wrong method is 405")
t.eq(r.headers.get("allow"), "GET, HEAD", "405 lists the allowed methods")
r = get("/", headers={"Accept": "application/json;q=0.9, text/html;q=0.1"})
t.eq((r.status, r.headers.get("content-type")), (200, "application/json"),
     "the front page answers JSON to a client that prefers it")
t.eq(r.json().get("site_name"), "Chapterhouse", "the JSON front page names the site")
r = get("/", headers={"Accept": "text/html, application/json;q=0.5"})
t.ok(r.headers.get("content-type", "").startswith("text/html"), "and HTML to a browser")

# -- malformed input: 4xx with the cause, workers survive -----------------
workers = s.app_workers()
t.ok(len(workers) == 2, "two workers before the malformed requests", workers)

r = get("/?name=%zz")
t.eq(r.status, 400, "bad percent-escape in query is 400")
r = get("/?name=%zz", headers={"Accept": "application/json"})
t.eq(error_of(r).get("code"), "bad_encoding", "bad escape: code bad_encoding")
t.eq(error_of(r).get("field"), "name", "bad escape: names the field")
r = get("/?name=%ff%fe", headers={"Accept": "application/json"})
t.eq((r.status, error_of(r).get("code"), error_of(r).get("field")), (400, "invalid_utf8", "name"),
     "invalid UTF-8 in a query field is 400 naming it")
r = get("/?na%c0me=1", headers={"Accept": "application/json"})
t.eq((r.status, error_of(r).get("code")), (400, "invalid_utf8"), "invalid UTF-8 in a field name is 400")
resp = raw(P, b"GET /caf\xc3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
t.ok(400 <= raw_status(resp) < 500, "raw invalid UTF-8 in the path is 4xx", resp[:200])
r = get("/%c3%28")
t.eq(r.status, 400, "percent-encoded invalid UTF-8 in the path is 400")
r = get("/?%3Cscript%3Ealert(1)%3C/script%3E%22'=%zz")
t.ok(r.status == 400 and "<script>" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;" in r.text,
     "a field name with markup comes out inert in the error page", r.text[-800:])
r = get("/?x=%00")
t.eq(r.status, 400, "NUL in a field is refused")

r = post("/healthz", '{"a": ', "application/json")
t.eq((r.status, error_of(r).get("code")), (400, "invalid_json"), "truncated JSON is 400 invalid_json")
t.ok("line 1" in error_of(r).get("message", ""), "invalid JSON message says where", error_of(r))
r = post("/healthz", '{"a": 1, "a": 2}', "application/json")
t.eq(error_of(r).get("code"), "invalid_json", "duplicate JSON keys are refused")
r = post("/healthz", b'{"a": "\xff"}', "application/json")
t.eq((r.status, error_of(r).get("code")), (400, "invalid_json"), "invalid UTF-8 in JSON is 400")
r = post("/healthz", "[" * 100 + "]" * 100, "application/json")
t.eq((r.status, error_of(r).get("code")), (400, "too_deep"), "JSON nested 100 deep is refused")
r = post("/healthz", "a=1", "text/plain")
t.eq((r.status, error_of(r).get("code")), (415, "unsupported_media_type"), "unknown body type is 415")

many = "&".join(f"f{i}=v" for i in range(10000))
r = post("/healthz", many, "application/x-www-form-urlencoded")
t.eq((r.status, error_of(r).get("code")), (413, "too_many_fields"), "10,000 form fields are 413")
r = get("/?" + "&".join(f"q{i}=" for i in range(1001)))
t.eq(r.status, 413, "1,001 query fields are 413")
r = post("/healthz", "name=" + "x" * (600 * 1024), "application/x-www-form-urlencoded")
t.eq((r.status, error_of(r).get("code"), error_of(r).get("field")), (413, "field_too_long", "name"),
     "a 600 KiB field is 413 naming it")
r = post("/healthz", "a=%zz", "application/x-www-form-urlencoded")
t.eq((r.status, error_of(r).get("field")), (400, "a"), "bad escape in a form names the field")

r = post("/healthz", "x" * (1536 * 1024), "application/x-www-form-urlencoded")
t.eq((r.status, error_of(r).get("code")), (413, "body_too_large"),
     "a 1.5 MiB body is refused by the application (413 body_too_large)")
r = post("/healthz", "x" * (3 * 1024 * 1024), "application/x-www-form-urlencoded")
t.eq(r.status, 413, "a 3 MiB body is refused by nginx (413)")
resp = raw(P, b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 10\r\nConnection: close\r\n\r\n{}")
t.ok(raw_status(resp) in (400, 408) or resp == b"", "a body shorter than its length does not hang a worker",
     resp[:200])
resp = raw(P, b"BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
t.ok(400 <= raw_status(resp) < 600 and raw_status(resp) != 500, "an unknown method is refused", resp[:200])

r = get("/healthz")
t.eq(r.status, 200, "still healthy after the malformed requests")
t.eq(s.app_workers(), workers, "no worker died or was replaced")
with open(s.app_log, errors="replace") as f:
    log = f.read()
t.ok("level=error" not in log, "no error was logged", log[-2000:])
