"""test_public_mem.py: a worker keeps the public unit page in memory and
answers it again without the database until PostgreSQL notifies a change
of its unit (sql/038_public_notify.sql, app/public/public_mem.c), over
real nginx, the FastCGI server (one worker: every request goes to the
same one) and PostgreSQL.  nginx's micro-cache is bypassed with a cookie
(a public page looks up no session), so each request reaches the worker.

That an answer came from memory is shown by a change made with the
notification switched off: the worker keeps the old page.  With it on,
every change (the unit's columns, a publication, a withdrawal, a new
address) shows on the very next request, and a PostgreSQL restart,
which loses notifications, drops the memory.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, person, request, q as q_on  # noqa: E402

t = TAP()
s = new_stack(workers=1)
BYPASS = {"Cookie": "ch_session=none"}


def q(sql):
    return q_on(s, sql)


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
     "the unit's tag page is not kept: it has the change")
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

