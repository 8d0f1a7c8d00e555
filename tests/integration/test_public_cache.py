"""test_public_cache.py: HTTP caching of the public pages over real nginx,
the FastCGI server and PostgreSQL.  Every public page and feed carries a
weak ETag, a Last-Modified and Cache-Control: public, max-age=1, and
answers a conditional request 304 from the last public change of its
unit or of the confederation, without reading the page (a lock on the
public copies does not hold it up); a publication, an edit published, a
withdrawal and a suspension each change the validators.  nginx keeps the
anonymous answers a second (X-Cache-Status HIT), never a signed-in one,
one to a request with a session cookie, or one that sets a cookie; a
publication shows and a withdrawal is 410 within a second.
"""

import os
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, new_stack, person, request, q as q_on, send as post)

t = TAP()
s = new_stack()
BYPASS = {"Cookie": "ch_session=none"}   # nginx passes it on; a public
                                         # page looks up no session


def q(sql):
    return q_on(s, sql)


def get(path, headers=None, method="GET"):
    return request(s.port, method, path, headers=headers)


def new_post(c, unit, title, body="Some text.", tags=("events",)):
    r = post(c, f"/api/v1/units/{unit}/posts", {"title": title, "body": body,
                                                 "tags": list(tags)})
    assert r.status == 201, r.text
    return r.json()["id"]


def publish(c, pid):
    r = post(c, f"/api/v1/posts/{pid}/publish", {})
    assert r.status == 200, r.text
    return r.json()["url"].split(f":{s.port}", 1)[1]


def within(path, cond, limit=1.5):
    """Seconds until an anonymous GET of path satisfies cond (polling
    every 50 ms), or None past limit; and the last answer."""
    start = time.time()
    while True:
        r = get(path)
        if cond(r):
            return time.time() - start, r
        if time.time() - start > limit:
            return None, r
        time.sleep(0.05)


ann = person(s, "ann@example.org")
ida = person(s, "ida@example.org", "admin")
UNIT = {"kind": "chapter", "purpose": "News.", "audience": "All", "region": "Coast"}
for slug in ("north", "south"):
    post(ann, "/api/v1/units", dict(UNIT, name=slug.title(), slug=slug))
    post(ida, f"/api/v1/units/{slug}/decision", {"decision": "approve"})
P1 = new_post(ann, "north", "Spring fair")
P1_PATH = publish(ann, P1)
P2 = new_post(ann, "south", "South news")
publish(ann, P2)

PAGES = ["/", "/u/north", P1_PATH, "/t/events", "/u/north/t/events", "/feed.atom",
         "/u/north/feed.atom", "/t/events/feed.atom", "/sitemap.xml"]

# A change's date is sent once its second is over by a second.
r = get("/u/north", BYPASS)
t.ok(r.headers.get("etag") and "last-modified" not in r.headers,
     "just after a change, the ETag alone validates", r.headers)
time.sleep(2.1)

# -- validators and Cache-Control on every page type, 304 over nginx -----------
for path in PAGES:
    r = get(path)
    et, lm = r.headers.get("etag", ""), r.headers.get("last-modified", "")
    t.ok(r.status == 200 and et.startswith('W/"') and et.endswith('"')
         and lm.endswith(" GMT"), f"{path}: a weak ETag and a Last-Modified", r.headers)
    t.eq(r.headers.get("cache-control"), "public, max-age=1", f"{path}: public, max-age=1")
    t.ok("x-accel-expires" not in r.headers, f"{path}: nginx keeps X-Accel-Expires")
    for h, why in (({"If-None-Match": et}, "If-None-Match"),
                   ({"If-None-Match": f'"x", {et}'}, "If-None-Match among others"),
                   ({"If-Modified-Since": lm}, "If-Modified-Since")):
        c = get(path, h)
        t.ok(c.status == 304 and c.body == b"" and c.headers.get("etag") == et,
             f"{path}: {why} answers 304 with the ETag and no body", (c.status, c.headers))
    t.eq(get(path, {"If-None-Match": '"other"'}).status, 200,
         f"{path}: another ETag gets the page")
    t.eq(get(path, {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}).status, 200,
         f"{path}: another date gets the page")
r = get("/robots.txt")
t.eq(r.headers.get("cache-control"), "public, max-age=1", "/robots.txt: public, max-age=1")

# The application's 304 reads the validator's row, never the page.  With
# the public copies locked by another transaction, nginx's refresh of
# each expired copy (a conditional request with the copy's validators)
# is answered at once: the next request is a HIT.  Had the application
# rendered the page, the refresh would wait for the lock (UPDATING).
for path in PAGES:
    get(path)
time.sleep(1.2)
lock = subprocess.Popen(["psql", "-X", "-q", "-h", s.run, "-U", s.superuser, "-d",
                         "chapterhouse"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL, text=True)
lock.stdin.write("BEGIN; LOCK TABLE public_posts IN ACCESS EXCLUSIVE MODE; "
                 "SELECT pg_sleep(4); ROLLBACK;\n")
lock.stdin.flush()
time.sleep(0.4)
deadline = time.time() + 2.5
first = [request(s.port, "GET", p, timeout=3).headers.get("x-cache-status") for p in PAGES]
then = []
for p in PAGES:
    x = None
    while time.time() < deadline and x != "HIT":
        x = request(s.port, "GET", p, timeout=3).headers.get("x-cache-status")
        time.sleep(0.02)
    then.append(x)
start = time.time()
try:
    # (asked with a query: a plain GET may come from a worker's memory)
    full = request(s.port, "GET", "/u/north/t/events?before=", headers=BYPASS,
                   timeout=10).status
except OSError as e:
    full = str(e)
waited = time.time() - start
lock.stdin.close()
lock.wait(10)
t.ok(all(x in ("STALE", "UPDATING", "REVALIDATED") for x in first),
     "expired copies are served while nginx asks the application", first)
t.eq(then, ["HIT"] * len(PAGES),
     "every page type: the application answered 304 without reading the locked page")
t.ok(full == 200 and waited > 1.0, "while the page itself waits for the lock "
     "(the check can fail)", (full, waited))

# -- each event changes the validators -----------------------------------------


def validators():
    return {p: (lambda r: (r.status, r.headers.get("etag"), r.headers.get("last-modified")))(
        get(p, BYPASS)) for p in ("/u/north", P1_PATH, "/feed.atom", "/u/south")}


def changed(before, after, paths):
    return all(before[p][1] != after[p][1] for p in paths)


v0 = validators()
P3 = new_post(ann, "north", "Summer fair")
publish(ann, P3)
v1 = validators()
t.ok(changed(v0, v1, ("/u/north", P1_PATH, "/feed.atom")),
     "a publication changes the unit's and the confederation's ETag",
     (v0, v1))
t.eq(v1["/u/south"], v0["/u/south"], "and not another unit's")
t.eq(get("/u/north", dict(BYPASS, **{"If-None-Match": v0["/u/north"][1]})).status, 200,
     "the old ETag gets the new page")
time.sleep(2.1)
lm = get("/u/north", BYPASS).headers.get("last-modified")
t.ok(lm and v0["/u/north"][2] and parsedate_to_datetime(lm) > parsedate_to_datetime(
     v0["/u/north"][2]), "and, its second over, a later Last-Modified", (v0, lm))
t.eq(get("/u/north", dict(BYPASS, **{"If-Modified-Since": v0["/u/north"][2]})).status, 200,
     "the old date gets the new page")
v1 = validators()
r = ann.get(f"/api/v1/posts/{P1}")
r = ann.post_json(f"/api/v1/posts/{P1}", {"title": "Spring fair moved", "body": "Sunday.",
                                          "tags": ["events"]},
                  {"X-CSRF-Token": ann.token, "If-Match": r.headers["etag"]}, method="PUT")
t.eq(r.status, 200, "fixtures: the published post is edited")
t.eq(validators(), v1, "an edit not yet published changes nothing")
publish(ann, P1)
v2 = validators()
t.ok(changed(v1, v2, ("/u/north", P1_PATH, "/feed.atom")), "an edit published changes them",
     (v1, v2))
t.eq(post(ann, f"/api/v1/posts/{P3}/withdraw", {}).status, 200, "fixtures: a withdrawal")
v3 = validators()
t.ok(changed(v2, v3, ("/u/north", P1_PATH, "/feed.atom")), "a withdrawal changes them",
     (v2, v3))
q("UPDATE units SET state = 'suspended' WHERE slug = 'north'")
v4 = validators()
t.ok(v4["/u/north"][0] == 404 and v4["/u/north"][1] is None
     and v4["/feed.atom"][1] != v3["/feed.atom"][1],
     "a suspension: the unit's pages are 404 without validators, the confederation's "
     "change", (v3, v4))
r = get("/u/north", dict(BYPASS, **{"If-None-Match": v3["/u/north"][1]}))
t.eq((r.status, r.headers.get("cache-control"), r.headers.get("etag")),
     (404, "public, max-age=1", None),
     "a suspended unit's old ETag gets 404, kept a second like the page it replaces")
took, r = within("/u/north", lambda r: r.status == 404)
t.ok(took is not None, "and so does everyone within a second", took)
q("UPDATE units SET state = 'approved' WHERE slug = 'north'")
t.ok(validators()["/u/north"][1] not in (v3["/u/north"][1], v4["/u/north"][1]),
     "approved again, the unit's ETag is new")

# -- never for a signed-in person or a response that sets a cookie -------------
r = ann.get("/")
t.ok(r.status == 200 and "public" not in r.headers.get("cache-control", "")
     and "etag" not in r.headers and "Cookie" in r.headers.get("vary", ""),
     "the signed-in front page is not public, has no validators and varies by cookie",
     r.headers)
t.eq(r.headers.get("x-cache-status"), "BYPASS", "nginx neither serves nor keeps it")
r = get("/", {"Cookie": "other=1"})
t.ok("public" not in r.headers.get("cache-control", "") and "etag" not in r.headers,
     "the front page asked with any cookie is not public", r.headers)
for i in range(2):
    r = ann.get("/u/north")
t.eq(r.headers.get("x-cache-status"), "BYPASS",
     "a request with a session cookie bypasses the cache, even on a public page")
for i in range(2):
    r = get("/login")
setc = [v for k, v in r.raw_headers if k.lower() == "set-cookie"]
t.ok(setc and "public" not in r.headers.get("cache-control", "")
     and r.headers.get("x-cache-status") != "HIT",
     "a page that sets a cookie is never public nor kept", r.headers)
for i in range(2):
    r = request(s.port, "POST", "/u/north", body="", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
t.ok(r.status == 405 and r.headers.get("x-cache-status") in (None, "BYPASS")
     and r.headers.get("cache-control") == "no-store",
     "another method bypasses the cache", (r.status, r.headers))
r = get("/units")
t.ok(r.headers.get("x-cache-status") in (None, "", "BYPASS")
     and "public" not in r.headers.get("cache-control", ""),
     "a page that is not public is neither public nor kept", r.headers)

# -- nginx's micro-cache: a HIT, then a publication within a second ------------
took, r = within("/u/south", lambda r: r.headers.get("x-cache-status") == "HIT")
t.ok(took is not None, "anonymous GETs are soon HITs", took)
r = get("/u/south", {"If-None-Match": r.headers["etag"]})
t.eq(r.status, 304, "nginx answers a conditional request from its copy")
P4 = new_post(ann, "south", "Harbour day")
publish(ann, P4)
took, r = within("/u/south", lambda r: "Harbour day" in r.text)
t.ok(took is not None and took <= 1.5, "a publication is public within a second",
     (took, r.headers))
took, r = within("/feed.atom", lambda r: b"Harbour day" in r.body)
t.ok(took is not None, "and in the confederation's feed", took)
P4_PATH = "/u/south/harbour-day"
took, r = within(P4_PATH, lambda r: r.headers.get("x-cache-status") == "HIT")
t.ok(took is not None, "the post's page is kept", took)
t.eq(post(ann, f"/api/v1/posts/{P4}/withdraw", {}).status, 200, "fixtures: withdrawn")
took, r = within(P4_PATH, lambda r: r.status == 410)
t.ok(took is not None and took <= 1.5, "a withdrawal is 410 within a second",
     (took, r.status))
t.eq(r.headers.get("cache-control"), "public, max-age=1",
     "the 410 replaces the kept page (the same for everyone)")
took, r = within("/u/south", lambda r: "Harbour day" not in r.text)
t.ok(took is not None, "and leaves the unit's page", took)
