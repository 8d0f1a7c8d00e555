"""test_directory.py: the hub's directory of units (/hub/units and GET
/api/v1/units with filters) over real nginx and PostgreSQL, on the demo
data: every unit in every state for hub admins, communicators and HR,
read-only; search, filters, sorting and paging; unknown filter values
refused naming the field; 403 to everyone else, and GET /api/v1/units
unchanged without the directory's parameters.
"""

import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, login, DEMO_PW  # noqa: E402

t = TAP()
s = new_stack()
s.demo()


def api(c, **params):
    return c.get("/api/v1/units?" + urllib.parse.urlencode(params))


def slugs(r):
    return [u["slug"] for u in r.json()["units"]]


admin, comms, hr = login(s, "admin@demo.test"), login(s, "comms@demo.test"), login(s, "hr@demo.test")
owner, author = login(s, "owner@demo.test"), login(s, "author@demo.test")

# -- who may read it ---------------------------------------------------------
anon = Client(s.port)
r = anon.get("/hub/units")
t.ok(r.status == 303 and r.headers.get("location", "").startswith("/login"),
     "anonymous: /hub/units sends to the login", r.status)
t.eq(api(anon, q="north").status, 401, "anonymous: the directory's API is 401")
t.eq(anon.get("/api/v1/units").json()["units"][0]["state"], "approved",
     "anonymous: GET /api/v1/units still lists the approved units")
for who, c in (("an owner", owner), ("an author", author)):
    r = c.get("/hub/units")
    t.ok(r.status == 403 and "hub/units" not in r.text.split("<main")[1].split("</main>")[0]
         and "River Department" not in r.text,
         f"{who} (no hub role) is refused the directory page: 403", r.status)
    r = api(c, q="")
    t.ok(r.status == 403 and r.json()["error"]["code"] == "forbidden",
         f"{who}: the directory's API is 403", r.text)
    t.ok('href="/hub/units"' not in c.get("/units").text, f"{who}: no Units link in the navigation")
mine = owner.get("/api/v1/units")
t.ok(mine.status == 200 and "total" not in mine.json() and
     {"north-chapter", "old-chapter"} <= set(slugs(mine)),
     "an owner's GET /api/v1/units is as before (what row-level security shows them)", mine.text[:300])
legacy = api(admin, state="requested")
t.ok(legacy.status == 200 and "total" not in legacy.json() and
     slugs(legacy) == ["east-dealership", "harbor-chapter"],
     "a hub admin's GET /api/v1/units?state=requested is unchanged (oldest first)", legacy.text[:300])
t.eq(api(admin, state="nope").status, 400, "and an unknown state still 400")

# -- everything, for each hub role -------------------------------------------
for who, c in (("admin", admin), ("communicator", comms), ("HR", hr)):
    r = c.get("/hub/units")
    t.ok(r.status == 200 and "River Department" in r.text and "Old Chapter" in r.text
         and "Bay Agency" in r.text and "10 units" in r.text,
         f"{who}: /hub/units lists all ten units, suspended, archived and rejected ones too",
         r.text[:2000] if r.status == 200 else r.status)
    t.ok('href="/hub/units"' in r.text, f"{who}: Units is in the navigation")
    forms = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]*)"', r.text)
    t.eq(forms, ["/logout"], f"{who}: the directory has no form that changes anything")

r = api(admin, per_page=100)
units = {u["slug"]: u for u in r.json()["units"]}
t.ok(r.status == 200 and r.json()["total"] == 10 and len(units) == 10 and
     r.json()["page"] == 1 and r.json()["per_page"] == 100 and r.json()["pages"] == 1,
     "the API: every unit, with the total and the page", r.text[:300])
nc = units.get("north-chapter", {})
t.ok(nc.get("owners") == [{"name": "Olu Owner", "email": "owner@demo.test"}] and
     nc.get("members") == 4 and nc.get("state") == "approved" and
     nc.get("kind") == "chapter" and nc.get("region") == "North" and
     nc.get("last_decision", {}).get("decision") == "approve" and
     re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", nc.get("created_at", "")) and
     re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", nc["last_decision"].get("decided_at", "")),
     "north-chapter: its owner, four members, its last decision; times in ISO 8601", nc)
t.ok(units["river-department"]["last_decision"]["decision"] == "suspend" and
     "private matter" in units["river-department"]["last_decision"]["reason"],
     "river-department: the suspension is its last decision, with the reason")
t.ok(units["harbor-chapter"]["last_decision"] is None, "harbor-chapter: no decision yet (null)")
t.ok(units["bay-agency"]["region"] == "", "a unit with no region has region \"\"")
t.eq(slugs(api(comms, q="CHAPTER", per_page=100)),
     ["city-chapter", "harbor-chapter", "north-chapter", "old-chapter"],
     "search: by name, whatever the case, sorted by name")
t.eq(slugs(api(admin, q="east-deal")), ["east-dealership"], "search: by address")
t.eq(slugs(api(admin, q="50%_")), [], "search: % and _ mean themselves")
t.eq(slugs(api(admin, state="suspended", sort="name")), ["river-department"], "filter by state")
t.eq(slugs(api(admin, kind="regional_market")), ["northern-region", "west-market"], "filter by kind")
t.eq(slugs(api(admin, region="North", kind="chapter")),
     ["city-chapter", "harbor-chapter", "north-chapter"], "filter by region and kind")
t.eq(slugs(api(hr, sort="created", per_page=3)),
     ["harbor-chapter", "east-dealership", "west-market"], "sort=created: newest first")
t.eq(slugs(api(admin, sort="state", per_page=3)),
     ["east-dealership", "harbor-chapter", "west-market"],
     "sort=state: waiting requests first, then those waiting for changes")
p2 = api(admin, per_page=3, page=2)
t.ok(slugs(p2) == ["harbor-chapter", "north-chapter", "northern-region"] and
     p2.json()["total"] == 10 and p2.json()["pages"] == 4, "paging: page 2 of 4, three a page",
     p2.text[:300])
far = api(admin, page=9)
t.ok(far.status == 200 and far.json()["units"] == [] and far.json()["total"] == 10,
     "a page past the last is empty, with the total")

# -- refused filters: 400 naming the field, page and API ---------------------
for field, value in (("state", "gone"), ("kind", "castle"), ("region", "Atlantis"),
                     ("sort", "size"), ("page", "0"), ("page", "x"), ("per_page", "101"),
                     ("q", "x" * 101)):
    r = api(admin, **{field: value})
    t.ok(r.status == 400 and r.json()["error"]["field"] == field,
         f"API: {field}={value[:10]} is 400 naming {field}", r.text)
    r = admin.get("/hub/units?" + urllib.parse.urlencode({field: value}))
    t.ok(r.status == 400 and field in r.text, f"page: {field}={value[:10]} is 400, not 500")
t.eq(api(admin, q="é" * 100).status, 200, "a search of 100 characters (not bytes) is fine")

# -- the page: filters kept, paging links, escaping --------------------------
r = admin.get("/hub/units?state=approved&region=North&sort=created")
t.ok(r.status == 200 and "Northern Region" in r.text and "North Chapter" in r.text and
     "South Franchise" not in r.text and "Harbor Chapter" not in r.text and
     re.search(r'<option value="approved" selected>', r.text) and
     re.search(r'<option value="North" selected>', r.text) and
     re.search(r'<option value="created" selected>', r.text),
     "page: filtered, with the filters shown as chosen")
r = admin.get("/hub/units?per_page=4&page=2&kind=")
t.ok('rel="prev"' in r.text and 'rel="next"' in r.text and "Page 2 of 3" in r.text,
     "page: previous and next links", r.text[-1500:])
m = re.search(r'href="([^"]*)" rel="next"', r.text)
nxt = admin.get(m.group(1).replace("&amp;", "&")) if m else None
t.ok(nxt is not None and nxt.status == 200 and "Page 3 of 3" in nxt.text,
     "the next link leads to the last page")
evil = Client(s.port)
s.sh([s.binary, "--config", s.conf, "user", "add", "--email", "evil@example.org",
      "--name", "Evil", "--password-stdin"], input="harbour lantern quiet 88\n")
evil.token = evil.post_json("/api/v1/session", {"email": "evil@example.org",
                                               "password": "harbour lantern quiet 88"}).json()["csrf_token"]
evil.post_json("/api/v1/use-rules/accept", {"version": "1"}, {"X-CSRF-Token": evil.token})
r = evil.post_json("/api/v1/units", {
    "name": "<script>alert(1)</script>", "slug": "evil-unit", "kind": "other",
    "purpose": "p", "audience": "a", "channels": ["blog"], "region": "<b>Bold</b>"},
    {"X-CSRF-Token": evil.token})
t.eq(r.status, 201, "a hostile name and region are accepted as text")
r = admin.get("/hub/units?q=" + urllib.parse.quote("<script>"))
t.ok("<script>alert" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and
     "<b>Bold</b>" not in r.text and "1 unit match" in r.text,
     "page: a hostile name and region are escaped")
t.eq(slugs(api(admin, region="<b>Bold</b>")), ["evil-unit"], "a region is matched as stored")

# -- read-only for communicators, whatever they try --------------------------
r = comms.post_json("/api/v1/units/north-chapter/decision", {"decision": "suspend",
                    "reason": "no"}, {"X-CSRF-Token": comms.token})
t.eq(r.status, 403, "a communicator cannot suspend a unit found in the directory")
r = comms.post("/hub/units/harbor-chapter/decision", {"decision": "approve",
               "csrf_token": comms.token})
t.eq(r.status, 403, "nor approve a request through the page's address")
t.eq(comms.post_json("/hub/units", {}, {"X-CSRF-Token": comms.token}).status, 405,
     "/hub/units takes no POST")
t.eq(s.psql("SELECT state FROM units WHERE slug IN ('north-chapter', 'harbor-chapter') "
            "ORDER BY slug").stdout.split(), ["requested", "approved"], "nothing changed")

# -- times as people read them (test_times.py checks every other page) --------
READ = r'\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d\d:\d\d UTC'
r = admin.get("/hub/units?q=north-chapter")
ts = re.findall(r'<time datetime="([^"]+)">([^<]*)</time>', r.text)
t.ok(len(ts) == 2 and all(re.fullmatch(READ, x[1]) for x in ts) and "days ago)" in r.text and
     not re.search(r'>\s*\d{4}-\d\d-\d\dT', r.text),
     "the last decision and the request's time as people read them", ts)
