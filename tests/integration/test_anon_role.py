"""test_anon_role.py: reads with nobody acting run as chapterhouse_anon
(sql/025_rls_roles.sql), over real nginx and PostgreSQL on the demo data.

An anonymous caller gets a unit's public columns (approved units only, no
requester, members, decisions or answers) and the list of approved units;
a cookie whose session is gone, or was never one, gets the same.  That
these reads run as the anonymous role, and signed-in ones do not, is
shown by taking the role's grant on units away: the anonymous reads fail,
the signed-in ones and the health check do not, and giving it back heals
them.  The session lookup sets who acts: a signed-in owner sees members,
decisions and their role.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, login, q, request  # noqa: E402

t = TAP()
s = new_stack()
s.demo()
API = {"Accept": "application/json"}
PUBLIC = ("id, slug, name, kind, parent_id, region, purpose, audience, "
          "channels, state, created_at, updated_at")

# -- anonymous: the public columns of approved units ---------------------------
anon = Client(s.port)
r = anon.get("/api/v1/units/north-chapter")
j = r.json()
t.ok(r.status == 200 and j["slug"] == "north-chapter" and j["state"] == "approved"
     and j["parent"] == "northern-region", "anonymous: an approved unit", r.text[:300])
t.ok(j["members"] == [] and j["decisions"] == [] and j["answers"] == []
     and j["changes"] == [] and "requested_by" not in j and "last_reason" not in j
     and j["my_role"] == "" and j["mine"] is False and j["can_decide"] is False,
     "with nothing of its members, decisions, answers or requester", r.text[:600])
t.eq(anon.get("/api/v1/units/harbor-chapter").status, 404,
     "a requested unit: 404, as if it did not exist")
t.eq(anon.get("/api/v1/units/no-such-unit").status, 404, "no unit: 404")
listed = [u["slug"] for u in anon.get("/api/v1/units").json()["units"]]
t.ok(listed and "north-chapter" in listed and "harbor-chapter" not in listed
     and "east-dealership" not in listed,
     "the list: approved units only", listed)
states = set(q(s, "SELECT state FROM units WHERE slug IN ('" + "', '".join(listed)
               + "')").split())
t.eq(states, {"approved"}, "every unit listed is approved")

# -- a signed-in owner: the session lookup names who acts ----------------------
owner = login(s, "owner@demo.test")
j = owner.get("/api/v1/units/north-chapter").json()
t.ok(j["my_role"] == "owner" and any(m["email"] == "owner@demo.test" for m in j["members"])
     and j["decisions"] != [], "the owner: their role, the members, the decisions", j)
t.eq(owner.get("/api/v1/me").json()["email"], "owner@demo.test", "/api/v1/me: the owner")

# -- a cookie whose session is gone: anonymous ----------------------------------
gone = login(s, "editor@demo.test")
t.eq(gone.get("/api/v1/me").status, 200, "the editor's session works")
q(s, "DELETE FROM sessions WHERE person_id = (SELECT id FROM people "
     "WHERE email = 'editor@demo.test')")
r = gone.get("/api/v1/units/north-chapter")
t.ok(r.status == 200 and r.json()["members"] == [] and r.json()["my_role"] == "",
     "its session removed: the anonymous answer", r.text[:300])
t.eq(gone.get("/api/v1/me").status, 401, "and /api/v1/me is refused (401)")
t.eq(gone.get("/api/v1/units/harbor-chapter").status, 404,
     "nor does it see a requested unit")
forged = Client(s.port)
forged.cookies["ch_session"] = "A" * 43
r = forged.get("/api/v1/units/north-chapter")
t.ok(r.status == 200 and r.json()["members"] == [],
     "a made-up session token: the anonymous answer", r.text[:300])

# -- the session lookup carries the route's first statement ---------------------
# The unit a route loads, or the caller's units for /api/v1/me, is sent with
# the session lookup, before anyone is known to act.  Signed in, it answers as
# the person; behind a lookup that found nobody it ran as chapterhouse_anon,
# which may not read the members' tables: PostgreSQL refused it, and the
# request went on as anonymous, in a transaction started again.
PGLOG = os.path.join(s.log, "postgresql.log")
before = os.path.getsize(PGLOG)
r = owner.get("/units/north-chapter", {"Accept": "text/html"})
t.ok(r.status == 200 and "Olu Owner" in r.text and "Send the invitation" in r.text,
     "the owner's unit page: the members and the invitation form", r.status)
units = {u["slug"]: u["role"] for u in owner.get("/api/v1/me").json()["units"]}
t.eq(units.get("north-chapter"), "owner", "/api/v1/me lists the owner's units")
admin = login(s, "admin@demo.test")
r = admin.get("/units/harbor-chapter", {"Accept": "text/html"})
t.ok(r.status == 200 and "Outside what the hub supports" in r.text,
     "a hub admin's page of a request: the decision form reads the reason "
     "codes after the page's statement ended the read", r.status)
with open(PGLOG, errors="replace") as f:
    f.seek(before)
    t.ok("ERROR" not in f.read(), "signed in, nothing is refused")
before = os.path.getsize(PGLOG)
r = gone.get("/units/north-chapter", {"Accept": "text/html"})
t.ok(r.status == 303 and "/login" in r.headers.get("location", ""),
     "the page with a removed session: sign in first", r.status)
t.eq(gone.get("/api/v1/me").status, 401, "/api/v1/me with it: 401")
r = forged.get("/api/v1/units/harbor-chapter")
t.eq(r.status, 404, "a made-up token still sees no requested unit")
with open(PGLOG, errors="replace") as f:
    f.seek(before)
    refused = f.read()
# The unit page's statement (or, when a worker still keeps the page for
# that session, its stamps' statement) and the forged token's: at least
# two.  /api/v1/me sends nothing behind the lookup while a worker keeps its
# answer for the session (page_mem.h), which the editor's may be.
t.ok(refused.count("permission denied for table") >= 2,
     "the statements sent with those lookups ran as the anonymous role, "
     "which PostgreSQL refused", refused[-600:])
with open(s.app_log, errors="replace") as f:
    applog = f.read()
t.ok(not re.search(r"unit_(page|get|mine) (refused|failed)", applog)
     and "level=error" not in applog,
     "the server drops them without a word in its log", applog[-600:])

# -- which role reads: take the anonymous role's grant away --------------------
q(s, f"REVOKE SELECT ({PUBLIC}) ON units FROM chapterhouse_anon")
t.ok(anon.get("/api/v1/units/north-chapter").status >= 400,
     "without its grant the anonymous unit read fails: it ran as chapterhouse_anon")
t.ok(anon.get("/api/v1/units").status >= 400, "so does the anonymous list")
t.eq(owner.get("/api/v1/units/north-chapter").json().get("my_role"), "owner",
     "the signed-in read does not: it runs as the web role")
t.eq(owner.get("/units/north-chapter", {"Accept": "text/html"}).status, 200,
     "nor the signed-in unit page")
t.eq(anon.get("/healthz", API).status, 200, "the health check reads no table")
q(s, f"GRANT SELECT ({PUBLIC}) ON units TO chapterhouse_anon")
t.eq(anon.get("/api/v1/units/north-chapter").status, 200, "the grant back: it works again")

# -- the public pages run as the anonymous role too (033_public_anon.sql) ------
t.eq(anon.get("/u/north-chapter").status, 200, "the public unit page answers")
q(s, "REVOKE SELECT ON public_posts FROM chapterhouse_anon")
# A session cookie passes nginx's micro-cache (a kept copy would answer);
# a query (?x=1, not declared: dropped) passes a worker's memory of the
# public pages, which would answer without a statement; the feed was
# never asked before, so no worker keeps it.
NOCACHE = {"Cookie": "ch_session=none"}
r1, r2 = (request(s.port, "GET", p, headers=NOCACHE) for p in ("/u/north-chapter?x=1",
                                                                "/feed.atom"))
t.ok(r1.status >= 400 and r2.status >= 400,
     "without the anonymous role's grant on the public copies the public "
     "unit page and the feed fail: they ran as chapterhouse_anon",
     (r1.status, r2.status))
q(s, "GRANT SELECT ON public_posts TO chapterhouse_anon")
t.eq(request(s.port, "GET", "/u/north-chapter?x=1", headers=NOCACHE).status, 200,
     "the grant back: the page answers again")

# -- the other processes are not the anonymous role's --------------------------
t.eq(q(s, "SELECT string_agg(r.rolname, ' ' ORDER BY r.rolname) FROM pg_roles r "
          "WHERE pg_has_role(r.oid, 'chapterhouse_anon', 'MEMBER') "
          "AND r.rolname NOT LIKE 'pg\\_%' AND NOT r.rolsuper"),
     "chapterhouse_anon chapterhouse_app chapterhouse_web",
     "only the web role (and its login) may become it")
