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

# North Chapter's posts, in every state, with their review, once.
t.eq(s.psql("SELECT string_agg(p.state, ',' ORDER BY p.id) FROM posts p JOIN units u "
            "ON u.id = p.unit_id WHERE u.slug = 'north-chapter'").stdout.strip(),
     "published,draft,scheduled,withdrawn",
     "north-chapter has a post in every state, though the demo was loaded twice")
cm = Client(s.port)
tok = cm.post_json("/api/v1/session", {"email": "comms@demo.test",
                                       "password": "chapterhouse-demo"}).json()["csrf_token"]
cm.post_json("/api/v1/use-rules/accept", {"version": "1"}, {"X-CSRF-Token": tok})
inbox = cm.get("/api/v1/inbox").json()
t.ok(any(i["kind"] == "review_request" and not i["read"] and
         i["title"] == "What the board decided in February" for i in inbox["items"])
     and inbox["unread"] >= 1, "a review request waits, unread, in comms@'s inbox", inbox)
au = Client(s.port)
tok = au.post_json("/api/v1/session", {"email": "author@demo.test",
                                       "password": "chapterhouse-demo"}).json()["csrf_token"]
au.post_json("/api/v1/use-rules/accept", {"version": "1"}, {"X-CSRF-Token": tok})
posts = {p["title"]: p for p in au.get("/api/v1/units/north-chapter/posts").json()["posts"]}
fair = posts.get("Spring fair: volunteers wanted", {})
t.ok(fair.get("state") == "published" and fair.get("revision") == 3 and
     fair.get("published_revision") == 3, "the fair post is published at its third revision",
     fair)
sugg = au.get(f"/api/v1/posts/{fair.get('id')}/suggestions").json().get("suggestions", [])
t.eq(sorted(x["state"] for x in sugg), ["accepted", "declined", "open"],
     "its suggestions: one accepted, one declined, one still open")
body = au.get(f"/api/v1/posts/{fair.get('id')}").json().get("body", "")
t.ok("Two hours of your time make the difference." in body and
     "the market square" in body, "the accepted one is in the text, the declined one is not")
open_s = [x for x in sugg if x["state"] == "open"]
t.ok(len(open_s) == 1 and open_s[0].get("outdated") is False and
     open_s[0]["original"] == "Write to the chapter's office to sign up.",
     "the open one sits on the text it would change", open_s)
comments = au.get(f"/api/v1/posts/{fair.get('id')}/comments").json().get("comments", [])
t.ok(len(comments) == 2 and comments[1]["reply_to"] == comments[0]["id"] and
     comments[0]["resolved"], "a comment thread, answered and resolved", comments)
t.eq(s.psql("SELECT open_suggestions FROM post_publications pp JOIN posts p ON "
            "p.id = pp.post_id WHERE p.title = 'Spring fair: volunteers wanted'").stdout.strip(),
     "1", "published with one suggestion still open, recorded")
t.eq(s.psql("SELECT count(*) FROM post_publications pp JOIN posts p ON p.id = pp.post_id "
            "WHERE p.state = 'withdrawn'").stdout.strip(), "1",
     "the withdrawn post's publication is kept")

# The hub's guidelines: eight rules, one of North Chapter's own, one mute,
# once; the dry run finds what the demo rules were written to find.
t.eq(s.psql("SELECT (SELECT count(*) FROM guide_hub_rules) || ',' || "
            "(SELECT count(*) FROM guide_unit_rules) || ',' || "
            "(SELECT count(*) FROM guide_mutes)").stdout.strip(), "8,1,1",
     "eight hub rules, a unit rule and a mute, though the demo was loaded twice")
rules = {r["kind"] + ":" + str(r.get("pattern", r.get("channel", ""))): r
         for r in au.get("/api/v1/guidelines/rules").json().get("rules", [])}
t.ok("term:guaranteed" in rules and rules["term:guaranteed"].get("replacement") ==
     "designed to" and "length:x" in rules and "length:linkedin" in rules,
     "the promise rule and the channel limits are read through the API", sorted(rules))
text = ("Northern Chapter news: the fair is guaranteed to raise funds, "
        "and Project Lighthouse is coming.")
found = au.post_json("/api/v1/guidelines/check",
                     {"title": "News", "body": text, "tags": ["fare"],
                      "channels": ["blog"], "unit": "north-chapter"},
                     {"X-CSRF-Token": tok})
f = found.json().get("findings", []) if found.status == 200 else []
spans = {text[x["start"]:x["end"]]: x.get("replacement") for x in f}
t.ok(spans.get("guaranteed") == "designed to" and "Project Lighthouse" in spans and
     spans.get("Northern Chapter") == "North Chapter",
     "the dry run finds the promise, the code name and the unit's own rule", found.text)
ow = Client(s.port)
tok2 = ow.post_json("/api/v1/session", {"email": "owner@demo.test",
                                        "password": "chapterhouse-demo"}).json()["csrf_token"]
ow.post_json("/api/v1/use-rules/accept", {"version": "1"}, {"X-CSRF-Token": tok2})
found = ow.post_json("/api/v1/guidelines/check",
                     {"title": "Offer", "body": text, "tags": ["news"],
                      "channels": ["blog"], "unit": "south-franchise"},
                     {"X-CSRF-Token": tok2})
f = found.json().get("findings", []) if found.status == 200 else []
spans = {text[x["start"]:x["end"]] for x in f}
t.ok(found.status == 200 and "guaranteed" not in spans and "Project Lighthouse" in spans
     and "Northern Chapter" not in spans,
     "south-franchise muted the promise rule and has no North Chapter rule", found.text)

# The training catalog (tools/demo_training.sql): the hub's five courses
# and North Chapter's own, once; the guidelines assigned to North Chapter
# and completed by author@, whose account shows the badge.
t.eq(s.psql("SELECT count(*) FILTER (WHERE unit_id IS NULL) || ',' || "
            "count(*) FILTER (WHERE unit_id IS NOT NULL) FROM courses").stdout.strip(),
     "5,1", "five hub courses and one of North Chapter, though loaded twice")
t.eq(s.psql("SELECT bool_and(n BETWEEN 2 AND 3) FROM (SELECT count(*) n FROM course_lessons "
            "GROUP BY course_id) x").stdout.strip(), "t", "each with two or three lessons")
t.eq(s.psql("SELECT count(DISTINCT course_id) FROM course_questions").stdout.strip(), "5",
     "and a quiz for each of the hub's")
mine = au.get("/api/v1/me/training").json()
titles = [c["title"] for c in mine.get("catalog", [])]
t.ok(len(titles) == 6 and "Speaking to the press" in titles
     and "Posting for North Chapter" in titles,
     "author@'s catalog: the five hub courses and North Chapter's", titles)
t.ok([a["title"] for a in mine.get("assigned", [])] ==
     ["The organization's social media guidelines"]
     and mine["assigned"][0]["completed"] is True,
     "the guidelines are assigned to North Chapter, and author@ completed them",
     mine.get("assigned"))
r = au.get("/account")
t.ok(r.status == 200 and 'aria-label="Courses completed"' in r.text
     and "social media guidelines" in r.text, "author@'s account shows the badge")
ed = Client(s.port)
tok3 = ed.post_json("/api/v1/session", {"email": "editor@demo.test",
                                        "password": "chapterhouse-demo"}).json()["csrf_token"]
ed.post_json("/api/v1/use-rules/accept", {"version": "1"}, {"X-CSRF-Token": tok3})
t.ok([a["completed"] for a in ed.get("/api/v1/me/training").json().get("assigned", [])] ==
     [False], "editor@ has the assignment still to do")
t.ok("courses" in readme and "demo_training.sql" in readme,
     "the README's demo paragraph names the training catalog")
