"""test_demo.py: the demo data that tools/dev up loads (never migrations):
every demo login of the README works with its password and has its role,
owner@ owns an approved unit and author@ writes in it, and loading twice
changes nothing.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack  # noqa: E402

t = TAP()
s = new_stack()
t.eq(s.psql("SELECT count(*) FROM people").stdout.strip(), "0",
     "migrations load no people")
s.demo()
s.demo()
t.eq(s.psql("SELECT count(*) FROM people").stdout.strip(), "8",
     "the demo has eight people, and loading it twice adds none")
t.eq(s.psql("SELECT count(*) || ' ' || count(DISTINCT state) FROM units").stdout.strip(),
     "10 6", "ten units, in all six states")
t.eq(s.psql("SELECT string_agg(DISTINCT role, ',' ORDER BY role) FROM unit_members "
            "WHERE expires_at IS NULL OR expires_at > now()").stdout.strip(),
     "author,editor,guest,owner", "with members in every role")
t.eq(s.psql("SELECT count(*) FROM unit_decisions").stdout.strip(), "10",
     "and their decisions, loaded once")

want = {
    "admin@demo.test": (["admin"], []),
    "comms@demo.test": (["communicator"], []),
    "hr@demo.test": (["hr"], []),
    "owner@demo.test": ([], [("north-chapter", "owner", "approved"),
                             ("old-chapter", "owner", "archived"),
                             ("south-franchise", "owner", "approved")]),
    "author@demo.test": ([], [("harbor-chapter", "owner", "requested"),
                              ("north-chapter", "author", "approved"),
                              ("river-department", "author", "suspended"),
                              ("south-franchise", "editor", "approved")]),
    "editor@demo.test": ([], [("east-dealership", "owner", "requested"),
                              ("north-chapter", "editor", "approved"),
                              ("river-department", "owner", "suspended")]),
    "guest@demo.test": ([], [("bay-agency", "owner", "rejected"),
                             ("north-chapter", "guest", "approved")]),
    "region@demo.test": ([], [("city-chapter", "owner", "approved"),
                              ("northern-region", "owner", "approved"),
                              ("west-market", "owner", "changes_requested")]),
}
readme = open(os.path.join(s.srcdir, "README.md")).read()
for email, (roles, units) in want.items():
    c = Client(s.port)
    r = c.post_json("/api/v1/session", {"email": email, "password": "chapterhouse-demo"})
    t.eq(r.status, 200, f"{email} logs in with chapterhouse-demo")
    me = c.get("/api/v1/me").json()
    t.eq(me.get("hub_roles"), roles, f"{email} has hub roles {roles}")
    t.eq([(u["slug"], u["role"], u["state"]) for u in me.get("units", [])], units,
         f"{email} has units {units}")
    t.ok(me.get("use_rules_accepted") is False,
         f"{email} is asked to accept the demo use rules first")
    t.ok(f"`{email}`" in readme, f"the README lists {email}")

# The region's owner decides the requests under it (delegation is on).
c = Client(s.port)
tok = c.post_json("/api/v1/session", {"email": "region@demo.test",
                                      "password": "chapterhouse-demo"}).json()["csrf_token"]
t.eq(c.post_json("/api/v1/use-rules/accept", {"version": "1"},
                 {"X-CSRF-Token": tok}).status, 200, "region@ accepts the use rules")
r = c.get("/api/v1/units/harbor-chapter")
t.ok(r.status == 200 and r.json()["can_decide"] is True and len(r.json()["answers"]) == 1 and
     r.json()["waiting"] == "3 days",
     "region@ may decide harbor-chapter, which answered the question and waited 3 days", r.text)
t.eq(c.get("/api/v1/units/east-dealership").status, 404,
     "but sees no request outside the region")

# The demo's history is in the audit log, written as the application
# writes it, so /hub/audit shows it to a hub admin.
t.eq(s.psql("SELECT count(*) FROM audit_log WHERE action = 'unit.request'").stdout.strip(),
     "10", "every demo request is audited once, though the demo was loaded twice")
t.eq(s.psql("SELECT count(*) FROM audit_log WHERE action IN ('unit.approve', "
            "'unit.reject', 'unit.request_changes', 'unit.suspend', "
            "'unit.archive')").stdout.strip(),
     "10", "and every decision")
a = Client(s.port)
tok = a.post_json("/api/v1/session", {"email": "admin@demo.test",
                                      "password": "chapterhouse-demo"}).json()["csrf_token"]
a.post_json("/api/v1/use-rules/accept", {"version": "1"}, {"X-CSRF-Token": tok})
entries = a.get("/api/v1/audit").json()["entries"]
by = {(e["unit"], e["action"]): e for e in entries}
e = by.get(("river-department", "unit.suspend"), {})
t.ok(e.get("actor") == "admin@demo.test" and '"state": "approved"' in e.get("before", "")
     and '"suspended"' in e.get("after", ""),
     "admin@'s suspension of river-department is read with its actor and states", e)
e = by.get(("city-chapter", "unit.approve"), {})
t.ok(e.get("actor") == "" and '"automatic": true' in e.get("after", ""),
     "the automatic approval has no actor and says so", e)
e = by.get(("harbor-chapter", "unit.request"), {})
t.eq(e.get("actor"), "author@demo.test", "a request is in its requester's name")
t.ok(any(x["action"] == "policy.change" and x["actor"] == "admin@demo.test"
         for x in entries), "turning delegation on is audited")
t.ok(entries and entries[0]["at"] >= entries[-1]["at"], "newest first")
page = a.get("/hub/audit?unit=west-market")
t.ok(page.status == 200 and "unit.request_changes" in page.text and
     "unit.request" in page.text, "/hub/audit shows the demo's history", page.text[:300])
