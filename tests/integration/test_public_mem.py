"""test_public_mem.py: a worker keeps the public pages in memory and
answers them again without the database until PostgreSQL notifies a change
of their unit or of the confederation (sql/038_public_notify.sql,
sql/041_public_mem.sql, app/public/public_mem.c), over real nginx, the
FastCGI server (one worker: every request goes to the same one) and
PostgreSQL.  nginx's micro-cache is bypassed with a cookie (a public page
looks up no session), so each request reaches the worker; the front page,
which a cookie makes someone's, is asked without one under a new Host each
time, which nginx's cache has never seen.

That an answer came from memory is shown by a change made with the
notification switched off: the worker keeps the old page.  With it on,
every change (the unit's columns, a publication, a withdrawal, a new
address) shows on the very next request, and a PostgreSQL restart,
which loses notifications, drops the memory.
"""

import http.client
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Response, new_stack, person, request, q as q_on  # noqa: E402

t = TAP()
s = new_stack(workers=1)
BYPASS = {"Cookie": "ch_session=none"}


def q(sql):
    """Run sql as the schema owner.  PostgreSQL hands a notification to a
    listening connection after the commit, asynchronously (milliseconds):
    wait a fifth of a second for it, well within the second the public
    may see a change late."""
    r = q_on(s, sql)
    time.sleep(0.2)
    return r


def get(path, headers=None):
    return request(s.port, "GET", path, headers=dict(BYPASS, **(headers or {})))


def post(c, path, obj):
    return c.post_json(path, obj, {"X-CSRF-Token": c.token})


def publish(c, unit, title):
    r = post(c, f"/api/v1/units/{unit}/posts", {"title": title,
                                                "body": "Text.", "tags": ["events"]})
    assert r.status == 201, r.text
    pid = r.json()["id"]
    r = post(c, f"/api/v1/posts/{pid}/publish", {})
    assert r.status == 200, r.text
    return pid


HOSTS = iter(range(1, 1000000))


def front(headers=None):
    """The front page past nginx's cache: no cookie, a Host it never saw."""
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
    try:
        c.putrequest("GET", "/", skip_host=True, skip_accept_encoding=True)
        c.putheader("Host", f"h{next(HOSTS)}.example.org")
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        c.endheaders()
        x = c.getresponse()
        r = Response(x.status, x.getheaders(), x.read())
    finally:
        c.close()
    assert r.headers.get("x-cache-status") in ("MISS", None), r.headers
    return r


def quiet(on):
    q(f"ALTER TABLE public_changes {'DISABLE' if on else 'ENABLE'} "
      "TRIGGER public_changes_notify")


ann = person(s, "ann@example.org")
ida = person(s, "ida@example.org", "admin")
post(ann, "/api/v1/units", {"kind": "chapter", "purpose": "News.",
                            "audience": "All", "region": "Coast",
                            "name": "North", "slug": "north"})
post(ida, "/api/v1/units/north/decision", {"decision": "approve"})
publish(ann, "north", "Spring fair")
time.sleep(2.1)	# a page is kept once it sends its Last-Modified

first = get("/u/north")
t.ok(first.status == 200 and "Spring fair" in first.text
     and "last-modified" in first.headers, "the unit page, rendered", first.status)
again = get("/u/north")
t.eq(again.body, first.body, "the page again: the same bytes")
same = {k: v for k, v in again.headers.items() if k != "date"}
t.eq(same, {k: v for k, v in first.headers.items() if k != "date"},
     "and the same header lines (Date aside)")

# -- from memory: a change nobody is told of does not show -------------------
quiet(True)
q("UPDATE units SET purpose = 'Told nobody.' WHERE slug = 'north'")
r = get("/u/north")
t.ok(r.status == 200 and "Told nobody." not in r.text and "News." in r.text,
     "a change that is not notified: the worker answers from memory", r.text[:200])
t.ok("Told nobody." in get("/u/north/t/events").text,
     "the unit's tag page, never asked before, is rendered: it has the change")
c = get("/u/north", {"If-None-Match": first.headers["etag"]})
t.eq(c.status, 304, "a conditional request takes the usual way: 304")
quiet(False)

# -- told: the next request to the same worker shows each change --------------
q("UPDATE units SET purpose = 'Now told.' WHERE slug = 'north'")
r = get("/u/north")
t.ok("Now told." in r.text, "a unit's change shows on the next request",
     r.text[:200])
time.sleep(2.1)
get("/u/north")	# kept again
get("/u/north")
pid = publish(ann, "north", "Summer fair")
r = get("/u/north")
t.ok("Summer fair" in r.text, "a publication shows on the next request")
time.sleep(2.1)
get("/u/north")
r = post(ann, f"/api/v1/posts/{pid}/withdraw", {})
t.eq(r.status, 200, "fixtures: a withdrawal")
r = get("/u/north")
t.ok("Summer fair" not in r.text and "Spring fair" in r.text,
     "a withdrawal shows on the next request")

# -- a new address: the old one is no more at once -----------------------------
time.sleep(2.1)
get("/u/north")
q("UPDATE units SET slug = 'northern' WHERE slug = 'north'")
t.eq(get("/u/north").status, 404, "a unit's old address is 404 on the next request")
t.eq(get("/u/northern").status, 200, "and its new one answers")
q("UPDATE units SET slug = 'north' WHERE slug = 'northern'")

# -- a PostgreSQL restart loses notifications: the memory is dropped ----------
time.sleep(2.1)
get("/u/north")
quiet(True)
q("UPDATE units SET purpose = 'While down.' WHERE slug = 'north'")
t.ok("While down." not in get("/u/north").text, "fixtures: the old page is kept")
s.pg_stop("fast")
t.eq(get("/u/north").status, 503, "PostgreSQL down: 503, not the kept page")
s.pg_start()
r = get("/u/north")
t.ok(r.status == 200 and "While down." in r.text,
     "after the restart the memory is dropped: the page is current", r.status)
quiet(False)

# -- an idle worker's connection lost without a request in between ------------
time.sleep(2.1)
get("/u/north")
get("/u/north")
quiet(True)
q("UPDATE units SET purpose = 'Restarted idle.' WHERE slug = 'north'")
q("CHECKPOINT")	# the stack commits asynchronously: an immediate stop
		# could lose the change itself
t.ok("Restarted idle." not in get("/u/north").text,
     "fixtures: the old page is kept again")
s.pg_stop("immediate")
s.pg_start()
r = get("/u/north")
t.ok(r.status == 200 and "Restarted idle." in r.text,
     "a restart while the worker is idle: the next page is current",
     (r.status, r.text[r.text.find("<h1"):][:300]))
quiet(False)


# -- every public page: kept, dropped by its unit's change or any unit's ------
ben = person(s, "ben@example.org")
post(ben, "/api/v1/units", {"kind": "chapter", "purpose": "Other news.",
                            "audience": "All", "region": "Hills",
                            "name": "South", "slug": "south"})
post(ida, "/api/v1/units/south/decision", {"decision": "approve"})
pid = publish(ann, "north", "Autumn fair")
POST = "/" + ann.get(f"/api/v1/posts/{pid}").json()["url"].split("/", 3)[3]
PAGES = {"/": "the front page", POST: "the post page",
         "/t/events": "the tag page", "/u/north/t/events": "the unit's tag page",
         "/feed.atom": "the confederation's feed",
         "/u/north/feed.atom": "the unit's feed",
         "/t/events/feed.atom": "the tag's feed", "/sitemap.xml": "the sitemap",
         "/u/north": "the unit page"}
UNIT = {POST, "/u/north/t/events", "/u/north/feed.atom", "/u/north"}


def page(path):
    return front() if path == "/" else get(path)


def keep():
    time.sleep(2.1)
    for path in PAGES:
        page(path)


keep()
# Not told: a publication that shows on every page but the post's own, and
# a new name of the unit that its post page shows.
quiet(True)
publish(ann, "north", "Quiet fair")
q("UPDATE units SET name = 'Quiet North' WHERE slug = 'north'")
for path, what in PAGES.items():
    r = page(path)
    t.ok(r.status == 200 and "Quiet" not in r.text and "quiet-fair" not in r.text,
         f"{what}: kept, a change nobody is told of does not show", r.status)
quiet(False)

# Told: another unit's change drops the confederation's pages, not north's.
q("UPDATE units SET purpose = 'Told for south.' WHERE slug = 'south'")
for path, what in PAGES.items():
    r = page(path)
    shows = "Quiet" in r.text or "quiet-fair" in r.text
    t.ok(shows == (path not in UNIT), f"{what}: another unit's change "
         + ("drops it" if path not in UNIT else "keeps it"), r.text[:120])
t.eq(get("/robots.txt").status, 200, "robots.txt answers")

# Told: north's change drops its own pages too.
q("UPDATE units SET name = 'North' WHERE slug = 'north'")
for path, what in PAGES.items():
    r = page(path)
    t.ok("Quiet North" not in r.text and ("quiet-fair" in r.text
         or path == POST), f"{what}: its unit's change shows on the next request",
         r.text[:120])
keep()
publish(ann, "north", "Winter fair")
for path, what in PAGES.items():
    if path != POST:
        t.ok("winter-fair" in page(path).text,
             f"{what}: a publication shows on the next request")

# Paging by keyset and the sitemap's pages take the usual way: never kept.
time.sleep(2.1)
get("/t/events?before=")
quiet(True)
q("UPDATE units SET name = 'Paged North' WHERE slug = 'north'")
t.ok("Paged North" in get("/t/events?before=").text,
     "a page asked with a query is not kept")
q("UPDATE units SET name = 'North' WHERE slug = 'north'")
quiet(False)

# -- the front page: a visitor's; an advisory; the day's edge -----------------
t.ok(front({"Accept": "application/json"}).headers["content-type"]
     .startswith("application/json"), "the front page asked for JSON is JSON, "
     "not the kept HTML")
signed = ann.get("/")
t.ok(signed.status == 200 and "cache-control" in signed.headers
     and "public" not in signed.headers["cache-control"],
     "someone signed in gets their own front page", signed.headers)
keep()
quiet(True)
q("UPDATE units SET purpose = 'Quiet purpose.' WHERE slug = 'north'")
quiet(False)
r = post(ida, "/api/v1/advisories", {"title": "Roads closed", "body": "Detour.",
                                     "public": True,
                                     "from": time.strftime("%Y-%m-%d", time.gmtime())})
t.eq(r.status, 201, "fixtures: a hub admin writes a public advisory")
t.ok("Roads closed" in front().text, "an advisory shows on the front page "
     "on the next request")
t.ok("Quiet purpose." not in get("/u/north").text,
     "and drops no unit's page: the unit page is still the kept one")
for who, c in (("a unit's owner", ann), ("a stranger", ben)):
    r = post(c, "/api/v1/advisories", {"title": "Not mine", "body": "x",
                                       "public": True,
                                       "from": "2030-01-01"})
    t.eq(r.status, 403, f"{who} writes no advisory")
t.ok("Not mine" not in front().text, "and the front page has none of theirs")
q("UPDATE units SET purpose = 'News.' WHERE slug = 'north'")


def clock(at):
    q("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET chapterhouse.clock = %L', "
      f"current_database(), '{at}'); END $$")
    s.app_stop()
    s.app_start()	# a new connection reads the setting


# A public advisory of 2031-01-02 alone; the clock a few seconds before it.
q("INSERT INTO hub_advisories (title, body, public, starts_on, ends_on, "
  "created_by, updated_by) SELECT 'New year notice', 'x', true, '2031-01-02', "
  "'2031-01-02', id, id FROM people WHERE email = 'ida@example.org'")
time.sleep(2.1)
clock("2031-01-01T12:00:00Z")
front()
quiet(True)
q("UPDATE units SET name = 'Noon North' WHERE slug = 'north'")
time.sleep(3.1)
t.ok("Noon North" not in front().text, "at noon by the database's clock the "
     "front page is kept seconds later")
quiet(False)
clock("2031-01-01T23:59:57Z")
r = front()
t.ok("New year notice" not in r.text and "Noon North" in r.text,
     "three seconds before midnight: no advisory yet")
quiet(True)
q("UPDATE units SET name = 'Midnight North' WHERE slug = 'north'")
t.ok("Midnight North" not in front().text, "and the page is kept")
time.sleep(3.1)
t.ok("Midnight North" in front().text, "past the midnight it was kept to, "
     "it is rendered again")
quiet(False)
clock("2031-01-02T00:00:01Z")
t.ok("New year notice" in front().text, "after midnight the day's advisory "
     "shows")
q("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET chapterhouse.clock', "
  "current_database()); END $$")
