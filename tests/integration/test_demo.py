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
t.eq(s.psql("SELECT count(*) FROM people").stdout.strip(), "5",
     "the demo has five people, and loading it twice adds none")

want = {
    "admin@demo.test": (["admin"], []),
    "comms@demo.test": (["communicator"], []),
    "hr@demo.test": (["hr"], []),
    "owner@demo.test": ([], [("north-chapter", "owner", "approved")]),
    "author@demo.test": ([], [("north-chapter", "author", "approved")]),
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
