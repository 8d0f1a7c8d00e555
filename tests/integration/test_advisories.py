"""test_advisories.py: the hub's advisories through real nginx, the
FastCGI server and PostgreSQL.  A hub communicator writes them on
/hub/advisories (a list, a form, an advisory's form, a confirmation
before deleting) and an admin through /api/v1/advisories; bad input is
the form again with what was typed and 422 naming the field.  Members of
approved units read every current advisory on their home page; the
anonymous front page shows the current public ones, their CommonMark
rendered safely, and its ETag changes with them.  Every write is in the
audit log.  Refused, writing nothing: a unit's owner, a plain author, a
removed member, a stranger, a hub HR person, an anonymous visitor, a
form without its CSRF token, a forwarded link.
"""

import datetime
import html
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, person, error_field, q as q_on  # noqa: E402

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def loc(r):
    return r.headers.get("location", "")


def form(c, path, fields, token=True):
    f = dict(fields)
    if token:
        f["csrf_token"] = c.token
    return c.post(path, f)


def api(c, method, path, obj=None):
    return c.post_json(path, obj, {"X-CSRF-Token": c.token}, method=method)


def count(where="true"):
    return q(f"SELECT count(*) FROM hub_advisories WHERE {where}")


ann = person(s, "ann@example.org")        # owner of north
pat = person(s, "pat@example.org")        # a plain author of north
rem = person(s, "rem@example.org")        # a member of north, removed
stranger = person(s, "str@example.org")   # belongs to nothing
com = person(s, "com@example.org", "communicator")
hr = person(s, "hr@example.org", "hr")
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

r = ann.post_json("/api/v1/units", {
    "name": "North", "slug": "north", "kind": "chapter", "purpose": "Tell the town.",
    "audience": "Everyone", "channels": ["blog"]}, {"X-CSRF-Token": ann.token})
t.eq(r.status, 201, "north is requested")
r = ida.post_json("/api/v1/units/north/decision", {"decision": "approve"},
                  {"X-CSRF-Token": ida.token})
t.eq(r.status, 200, "north is approved")
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'author' "
  "FROM units u, people p WHERE u.slug = 'north' "
  "AND p.email IN ('pat@example.org', 'rem@example.org')")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")

today = datetime.datetime.now(datetime.timezone.utc).date()
day = datetime.timedelta(days=1)
PAGE = "/hub/advisories"

# -- who reaches the page ----------------------------------------------------
r = anon.get(PAGE)
t.ok(r.status == 303 and loc(r).startswith("/login?next="),
     "an anonymous visitor of /hub/advisories is sent to sign in", loc(r))
for who, name in [(ann, "a unit's owner"), (pat, "a plain author"),
                  (stranger, "a stranger"), (hr, "a hub HR person")]:
    t.eq(who.get(PAGE).status, 403, f"{name} is refused /hub/advisories: 403")
r = com.get(PAGE)
t.ok(r.status == 200 and "The hub has no advisory." in r.text
     and f'value="{today.isoformat()}"' in r.text,
     "a communicator reads the page: none yet, the new one's first day is today", r.text[:300])
t.ok('href="/hub/advisories"' in com.get("/").text, "the header links a communicator to it")
t.ok('href="/hub/advisories"' not in ann.get("/").text, "and not a unit's owner")

# -- the form: bad input, then two advisories --------------------------------
PUBLIC = {"title": "Storm <b>warning</b>", "body": "Stay **inside** <script>alert(1)</script>",
          "public": "on", "from": (today - day).isoformat(), "until": (today + day).isoformat()}
MEMBERS = {"title": "Members briefing", "body": "The *annual* meeting moves.",
           "from": today.isoformat(), "until": ""}

r = form(com, PAGE, PUBLIC, token=False)
t.eq(r.status, 403, "a form without its CSRF token is refused")
r = form(com, PAGE, dict(PUBLIC, title=""))
t.ok(r.status == 422 and re.search(r'id="new-title"[^>]*aria-invalid="true"', r.text)
     and "Stay **inside** &lt;script&gt;" in r.text,
     "no title: 422, the title marked, the text typed shown again", r.text[:500])
r = form(com, PAGE, dict(PUBLIC, until=(today - 2 * day).isoformat()))
t.ok(r.status == 422 and re.search(r'id="new-until"[^>]*aria-invalid="true"', r.text),
     "a last day before the first: 422 naming until")
r = form(com, PAGE, dict(PUBLIC, **{"from": "2024-02-30"}))
t.ok(r.status == 422 and re.search(r'id="new-from"[^>]*aria-invalid="true"', r.text),
     "a day that does not exist: 422 naming from")
r = form(com, PAGE, dict(PUBLIC, title="x" * 201))
t.eq(r.status, 422, "a title past 200 characters: 422")
t.eq(count(), "0", "and nothing was written")

r = form(com, PAGE, PUBLIC)
t.ok(r.status == 303 and loc(r) == PAGE + "?done=added", "the public advisory is added", loc(r))
t.ok("The advisory is added." in com.get(loc(r)).text, "with a notice")
r = form(com, PAGE, MEMBERS)
t.eq(r.status, 303, "the members' advisory is added")
PUB_ID = q("SELECT id FROM hub_advisories WHERE public")
MEM_ID = q("SELECT id FROM hub_advisories WHERE NOT public")
t.eq(q(f"SELECT ends_on IS NULL FROM hub_advisories WHERE id = {MEM_ID}"), "t",
     "an empty last day is none")

# -- the API: who may ---------------------------------------------------------
NEW = {"title": "Via API", "body": "x", "public": False, "from": today.isoformat()}
for who, name in [(ann, "a unit's owner"), (pat, "a plain author"), (rem, "a removed member"),
                  (stranger, "a stranger"), (hr, "a hub HR person")]:
    t.eq(api(who, "POST", "/api/v1/advisories", NEW).status, 403,
         f"{name} adds no advisory: 403")
t.eq(anon.post_json("/api/v1/advisories", NEW).status, 401, "an anonymous caller: 401")
t.eq(api(ann, "PUT", f"/api/v1/advisories/{MEM_ID}", NEW).status, 403,
     "the owner reads the members' advisory but may not change it: 403")
t.eq(api(ann, "DELETE", f"/api/v1/advisories/{PUB_ID}").status, 403,
     "nor delete the public one: 403")
t.eq(api(stranger, "PUT", f"/api/v1/advisories/{MEM_ID}", NEW).status, 404,
     "a stranger does not read the members' advisory: 404")
t.eq(api(rem, "DELETE", f"/api/v1/advisories/{MEM_ID}").status, 404,
     "nor does a removed member")
t.eq(count(), "2", "none of them wrote anything")
t.eq(q(f"SELECT title FROM hub_advisories WHERE id = {MEM_ID}"), "Members briefing",
     "the members' advisory is as written")
t.eq(error_field(api(ida, "POST", "/api/v1/advisories", dict(NEW, until="2000-01-01"))),
     (422, "until"), "the API's 422 names until")
t.eq(error_field(api(ida, "POST", "/api/v1/advisories", {"title": "x", "from": "2030-01-01"})),
     (422, "body"), "and a missing body")

r = api(ida, "POST", "/api/v1/advisories", NEW)
t.ok(r.status == 201 and loc(r) == f"/api/v1/advisories/{r.json()['id']}"
     and r.json()["public"] is False and r.json()["until"] is None,
     "an admin adds one through the API: 201 with its Location", r.text)
API_ID = r.json()["id"]
r = api(ida, "PUT", f"/api/v1/advisories/{API_ID}",
        dict(NEW, title="Via API, later", **{"from": (today + 5 * day).isoformat()}))
t.ok(r.status == 200 and r.json()["title"] == "Via API, later" and r.json()["current"] is False,
     "and changes it to start in five days", r.text)
r = ida.get("/api/v1/advisories")
t.eq(sorted(a["title"] for a in r.json()["advisories"]),
     sorted(["Storm <b>warning</b>", "Members briefing", "Via API, later"]),
     "the hub reads every advisory")
r = pat.get("/api/v1/advisories")
t.eq(sorted(a["title"] for a in r.json()["advisories"]),
     sorted(["Storm <b>warning</b>", "Members briefing"]),
     "a member of an approved unit reads the current ones")
r = stranger.get("/api/v1/advisories")
t.eq([a["title"] for a in r.json()["advisories"]], ["Storm <b>warning</b>"],
     "a stranger the current public one")

# -- where they show ----------------------------------------------------------
r = pat.get("/")
t.ok("Members briefing" in r.text and "<em>annual</em>" in r.text
     and "Storm &lt;b&gt;warning&lt;/b&gt;" in r.text and "Via API" not in r.text,
     "a member's home lists the current advisories, rendered", r.text[-2000:])
r = rem.get("/")
t.ok("Members briefing" not in r.text and "Storm &lt;b&gt;warning" in r.text,
     "a removed member's home only the public one")
r = anon.get("/")
t.ok(r.status == 200 and "Storm &lt;b&gt;warning&lt;/b&gt;" in r.text
     and "<strong>inside</strong>" in r.text and "<script>alert" not in r.text
     and "Members briefing" not in r.text and "Via API" not in r.text,
     "the front page shows the current public advisory, escaped and rendered safely", r.text[:3000])
ETAG = r.headers.get("etag")
t.ok(ETAG is not None, "the front page has an ETag", ETAG)
time.sleep(1.2)
t.eq(anon.get("/", {"If-None-Match": ETAG}).status, 304, "unchanged: 304")

# -- changing and deleting on the page ----------------------------------------
r = com.get(f"{PAGE}/{PUB_ID}")
t.ok(r.status == 200 and 'value="Storm &lt;b&gt;warning&lt;/b&gt;"' in r.text and " checked" in r.text,
     "an advisory's page shows its form filled in", r.text[:2000])
for who, name in [(ann, "the owner"), (stranger, "a stranger")]:
    t.eq(who.get(f"{PAGE}/{PUB_ID}").status, 403, f"a forwarded link to it is refused to {name}")
    t.eq(form(who, f"{PAGE}/{PUB_ID}", dict(PUBLIC, title="Hijacked")).status, 403,
         f"and {name}'s post to it")
r = form(com, f"{PAGE}/{PUB_ID}", dict(PUBLIC, body=""))
t.ok(r.status == 422 and re.search(r'id="edit-body"[^>]*aria-invalid="true"', r.text)
     and 'value="Storm &lt;b&gt;warning&lt;/b&gt;"' in r.text,
     "an empty text: 422, the form again with what was typed")
r = form(com, f"{PAGE}/{PUB_ID}", dict(PUBLIC, title="Storm over"))
t.ok(r.status == 303 and loc(r) == PAGE + "?done=saved", "the communicator saves a new title")
time.sleep(1.1)
r = anon.get("/", {"If-None-Match": ETAG})
t.ok(r.status == 200 and "Storm over" in r.text and r.headers.get("etag") != ETAG,
     "the front page's ETag changed with the advisory", (r.status, r.headers.get("etag")))
ETAG = r.headers.get("etag")

r = com.get(f"{PAGE}/{PUB_ID}/delete")
t.ok(r.status == 200 and f'action="{PAGE}/{PUB_ID}/delete"' in r.text and "csrf_token" in r.text,
     "deleting asks for a confirmation first")
t.eq(ann.get(f"{PAGE}/{PUB_ID}/delete").status, 403, "which the owner does not reach")
t.eq(form(ann, f"{PAGE}/{PUB_ID}/delete", {}).status, 403, "nor can confirm")
t.eq(form(com, f"{PAGE}/{PUB_ID}/delete", {}, token=False).status, 403,
     "a confirmation without its CSRF token is refused")
t.eq(count(f"id = {PUB_ID}"), "1", "and it is still there")
r = form(com, f"{PAGE}/{PUB_ID}/delete", {})
t.ok(r.status == 303 and loc(r) == PAGE + "?done=deleted", "the communicator deletes it")
t.eq(com.get(f"{PAGE}/{PUB_ID}").status, 404, "it is gone")
time.sleep(1.1)
r = anon.get("/", {"If-None-Match": ETAG})
t.ok(r.status == 200 and "Storm over" not in r.text, "and off the front page")
t.eq(api(ida, "DELETE", f"/api/v1/advisories/{API_ID}").status, 204,
     "an admin deletes one through the API: 204")

# -- the audit log --------------------------------------------------------------
t.eq(q("SELECT string_agg(a.action || ':' || p.email, ',' ORDER BY a.id) FROM audit_log a "
       "JOIN people p ON p.id = a.actor_id WHERE a.object_type = 'advisory'"),
     ",".join(["advisory.create:com@example.org", "advisory.create:com@example.org",
               "advisory.create:ida@example.org", "advisory.update:ida@example.org",
               "advisory.update:com@example.org", "advisory.delete:com@example.org",
               "advisory.delete:ida@example.org"]),
     "every write is in the audit log, in its author's name, and no refusal is")
t.eq(q(f"SELECT before->>'title' || '>' || (after->>'title') FROM audit_log "
       f"WHERE object_type = 'advisory' AND action = 'advisory.update' AND object_id = '{PUB_ID}'"),
     "Storm <b>warning</b>>Storm over", "with what it was and what it became")
