"""test_units.py: requesting workspaces and the hub's decisions through
the JSON API and the pages, over real nginx and PostgreSQL: validation,
row-level security seen from HTTP (404 for what one may not see), the
allowed moves (409 otherwise), decisions mailed to the requester and
written to the audit log, which nobody can change.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, mail_to, q as q_on, PERSON_PW, send as post)

PW = PERSON_PW
t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


ann = person(s, "ann@example.org")
bob = person(s, "bob@example.org")
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

NORTH = {"name": "North Chapter", "slug": "north", "kind": "chapter",
         "purpose": "Tell the town what we do.", "audience": "Members and press",
         "channels": ["blog", "linkedin"]}

r = post(ann, "/api/v1/units", NORTH)
t.eq(r.status, 201, "POST /api/v1/units is 201")
t.eq(r.json(), {"slug": "north", "state": "requested"}, "with slug and state requested")
t.eq(q("SELECT role FROM unit_members m JOIN units u ON u.id = m.unit_id "
       "JOIN people p ON p.id = m.person_id WHERE u.slug = 'north' "
       "AND p.email = 'ann@example.org'"), "owner", "the requester is its owner")
t.eq(q("SELECT action || ' ' || object_id FROM audit_log ORDER BY id DESC LIMIT 1"),
     "unit.request north", "the request is in the audit log")

# -- bad input: a clear 4xx naming the field, nothing written --------------
before = q("SELECT count(*) FROM units")
for change, status, field in [
        ({"slug": "north"}, 409, "slug"),
        ({"slug": "north chapter"}, 422, "slug"),
        ({"slug": "North"}, 422, "slug"),
        ({"slug": "n" * 300}, 422, "slug"),
        ({"slug": "admin"}, 422, "slug"),
        ({"slug": "-north"}, 422, "slug"),
        ({"kind": "castle"}, 422, "kind"),
        ({"purpose": ""}, 422, "purpose"),
        ({"name": "x" * 10000}, 422, "name"),
        ({"channels": ["myspace"]}, 422, "channels"),
        ({"channels": "blog"}, 422, "channels"),
        ({"parent": "nowhere"}, 422, "parent")]:
    body = dict(NORTH, slug="south")
    body.update(change)
    r = post(bob, "/api/v1/units", body)
    err = r.json().get("error", {})
    t.ok(r.status == status and err.get("field") == field,
         "a request with %s is %d naming %s" % (str(change)[:40], status, field), r.text)
t.eq(q("SELECT count(*) FROM units"), before, "and none of them wrote a unit")
r = bob.post_json("/api/v1/units", dict(NORTH, slug="south"))
t.eq(r.status, 403, "a request without X-CSRF-Token is 403")
r = anon.post_json("/api/v1/units", dict(NORTH, slug="south"))
t.eq(r.status, 401, "an anonymous request is 401")

# -- what each person sees -------------------------------------------------
t.eq(bob.get("/api/v1/units/north").status, 404,
     "another person gets 404 for a requested unit (not 403: nothing leaks)")
t.eq(anon.get("/api/v1/units/north").status, 404, "so does an anonymous request")
r = ann.get("/api/v1/units/north")
t.ok(r.status == 200 and r.json()["requested_by"]["email"] == "ann@example.org"
     and r.json()["channels"] == ["blog", "linkedin"], "the requester sees it", r.text)
r = ida.get("/api/v1/units?state=requested")
t.eq([u["slug"] for u in r.json()["units"]], ["north"], "a hub admin filters by state")
t.eq(ida.get("/api/v1/units?state=bogus").status, 400, "an unknown state is 400")
t.eq(bob.get("/api/v1/units").json()["units"], [], "bob sees no unit yet")

# -- decisions -------------------------------------------------------------
r = post(bob, "/api/v1/units/north/decision", {"decision": "approve"})
t.eq(r.status, 404, "a decision by someone who cannot see the request is 404")
r = post(ann, "/api/v1/units/north/decision", {"decision": "approve"})
t.ok(r.status == 403 and r.json()["error"]["field"] == "decision",
     "the requester cannot decide their own request (403)", r.text)
r = post(ida, "/api/v1/units/north/decision", {"decision": "reject"})
t.ok(r.status == 422 and r.json()["error"]["field"] == "reason",
     "a rejection without a reason is 422 naming reason")
r = post(ida, "/api/v1/units/north/decision", {"decision": "maybe"})
t.ok(r.status == 422 and r.json()["error"]["field"] == "decision", "an unknown decision is 422")
r = post(ida, "/api/v1/units/nowhere/decision", {"decision": "approve"})
t.eq(r.status, 404, "a decision on no unit is 404")
r = post(ida, "/api/v1/units/north/decision",
         {"decision": "reject", "reason": "Please name <b>who</b> will write."})
t.eq(r.json(), {"slug": "north", "state": "rejected"}, "a hub admin rejects with a reason")
m = mail_to(s, "ann@example.org", "not approved")
t.ok(m is not None and
     "Please name <b>who</b> will write." in m.get_body(("plain",)).get_content(),
     "the requester is mailed the decision and the reason")
r = ann.get("/api/v1/units/north").json()
t.ok(r["state"] == "rejected" and r["decisions"][-1]["reason"] ==
     "Please name <b>who</b> will write.", "and sees it on the unit", r)
page = ann.get("/units/north")
t.ok(page.status == 200 and "Please name &lt;b&gt;who&lt;/b&gt; will write." in page.text,
     "the unit page shows the reason, escaped")
r = post(ida, "/api/v1/units/north/decision", {"decision": "approve"})
t.ok(r.status == 409 and r.json()["error"]["code"] == "illegal_transition",
     "a decision on an already decided request is 409", r.text)
t.eq(q("SELECT state FROM units WHERE slug = 'north'"), "rejected", "and changes nothing")
t.eq(q("SELECT action || ' ' || (before->>'state') || '>' || (after->>'state') "
       "FROM audit_log WHERE action = 'unit.reject'"), "unit.reject requested>rejected",
     "the decision is audited with before and after")
t.eq(q("SELECT count(*) FROM unit_decisions d JOIN units u ON u.id = d.unit_id "
       "WHERE u.slug = 'north' AND snapshot->>'purpose' = 'Tell the town what we do.'"), "1",
     "the decision keeps the request as it was")

post(bob, "/api/v1/units", dict(NORTH, slug="east", name="East Market", kind="regional_market"))
r = post(ida, "/api/v1/units/east/decision", {"decision": "request_changes", "reason": "Which towns?"})
t.eq(r.json()["state"], "changes_requested", "asking for changes")
r = post(ida, "/api/v1/units/east/decision", {"decision": "approve"})
t.eq(r.status, 409, "a request waiting for changes cannot be approved before it is resubmitted")
post(bob, "/api/v1/units", dict(NORTH, slug="west", name="West Office", kind="department"))
r = post(ida, "/api/v1/units/west/decision", {"decision": "approve"})
t.eq(r.json()["state"], "approved", "approving")
t.ok(mail_to(s, "bob@example.org", "West Office is approved") is not None,
     "bob is mailed the approval")
t.eq([u["slug"] for u in anon.get("/api/v1/units").json()["units"]], ["west"],
     "an anonymous request lists only approved units")
t.eq(anon.get("/api/v1/units/west").status, 200, "and reads an approved one")
t.ok("requested_by" not in anon.get("/api/v1/units/west").json(),
     "without the requester's name or address")
t.eq([u["slug"] for u in ann.get("/api/v1/me").json()["units"]], ["north"],
     "/api/v1/me lists the units a person belongs to")

# -- the audit log cannot be changed ---------------------------------------
p = s.psql("SET ROLE chapterhouse_web; UPDATE audit_log SET action = 'x'", check=False)
t.ok(p.returncode != 0 and "permission denied" in p.stdout,
     "the application's role cannot UPDATE audit rows", p.stdout)
p = s.psql("SET ROLE chapterhouse_web; DELETE FROM audit_log", check=False)
t.ok(p.returncode != 0 and "permission denied" in p.stdout,
     "nor DELETE them", p.stdout)
p = s.psql("DELETE FROM audit_log", check=False)
t.ok(p.returncode != 0 and "cannot be changed or removed" in p.stdout,
     "not even the schema owner", p.stdout)
p = s.psql("TRUNCATE audit_log", check=False)
t.ok(p.returncode != 0 and "cannot be changed or removed" in p.stdout,
     "nor TRUNCATE them", p.stdout)
p = s.psql("UPDATE units SET state = 'requested' WHERE slug = 'west'", check=False)
t.ok(p.returncode != 0 and "cannot go from approved to requested" in p.stdout,
     "the database itself refuses an illegal move", p.stdout)

# -- pages -----------------------------------------------------------------
c = Client(s.port)
c.post("/login", {"csrf_token": c.csrf(c.get("/login").text),
                  "email": "ann@example.org", "password": PW})
r = c.get("/units/new")
t.eq(r.status, 200, "the request form opens")
r = c.post("/units", {"csrf_token": c.csrf(r.text), "name": "Harbor Team",
                      "slug": "Harbor Team", "kind": "agency_team",
                      "purpose": "Ships", "audience": "Sailors", "channels": "x"})
t.ok(r.status == 422 and 'id="slug-error"' in r.text and 'value="Harbor Team"' in r.text
     and "checked" in r.text and 'value="agency_team" selected' in r.text,
     "a bad address gives the form back with the field marked and every answer kept")
r = c.post("/units", {"csrf_token": c.csrf(r.text), "name": "Harbor Team",
                      "slug": "harbor", "kind": "agency_team", "purpose": "Ships",
                      "audience": "Sailors", "channels": "x"})
t.ok(r.status == 303 and r.headers.get("location") == "/units/harbor", "a good one is created")
r = c.get("/units")
t.ok("Harbor Team" in r.text and "North Chapter" in r.text, "my workspaces lists them")
t.eq(c.get("/hub/queue").status, 403, "the approval queue is for hub admins")
a = Client(s.port)
a.post("/login", {"csrf_token": a.csrf(a.get("/login").text),
                  "email": "ida@example.org", "password": PW})
r = a.get("/hub/queue")
t.ok(r.status == 200 and "Harbor Team" in r.text and "North Chapter" not in r.text,
     "the queue shows what waits, and only that")
r = a.post("/hub/units/harbor/decision", {"csrf_token": a.csrf(r.text),
                                           "decision": "approve", "reason": ""})
t.ok(r.status == 303 and q("SELECT state FROM units WHERE slug = 'harbor'") == "approved",
     "approving from the queue")

# -- resubmission after a request for changes ------------------------------
post(bob, "/api/v1/units", dict(NORTH, slug="delta", name="Delta Team", kind="agency_team"))
post(ida, "/api/v1/units/delta/decision", {"decision": "request_changes",
                                            "reason": "Name the audience precisely."})
r = bob.send("PUT", "/api/v1/units/delta",
             '{"name": "Delta Team", "kind": "agency_team", "purpose": "Tell the town what we do.",'
             ' "audience": "Boat owners in the bay", "channels": ["blog", "instagram"]}',
             {"Content-Type": "application/json", "X-CSRF-Token": bob.token})
t.eq(r.json(), {"slug": "delta", "state": "requested"},
     "PUT /api/v1/units/{slug} resubmits a request waiting for changes")
u = ida.get("/api/v1/units/delta").json()
t.eq([(c["field"], c["before"], c["after"]) for c in u["changes"]],
     [("audience", "Members and press", "Boat owners in the bay"),
      ("channels", '["blog", "linkedin"]', '["blog", "instagram"]')],
     "the approver sees what changed since the last decision, field by field")
t.eq(q("SELECT before->>'state' || '>' || (after->>'state') FROM audit_log "
       "WHERE action = 'unit.resubmit'"), "changes_requested>requested",
     "the resubmission is audited")
r = ida.get("/units/delta")
t.ok("Boat owners in the bay" in r.text and "Changed since the last decision" in r.text,
     "and on the unit's page")
r = post(ida, "/api/v1/units/delta/decision", {"decision": "approve"})
t.eq(r.json()["state"], "approved", "the resubmitted request is approved")
r = bob.send("PUT", "/api/v1/units/delta", '{"name": "D", "kind": "other", "purpose": "p",'
             ' "audience": "a"}', {"Content-Type": "application/json",
                                   "X-CSRF-Token": bob.token})
t.eq(r.status, 409, "an approved unit cannot be edited as a request (409)")
post(bob, "/api/v1/units", dict(NORTH, slug="gamma"))
r = ann.send("PUT", "/api/v1/units/gamma", '{"name": "G", "kind": "other", "purpose": "p",'
             ' "audience": "a"}', {"Content-Type": "application/json",
                                   "X-CSRF-Token": ann.token})
t.eq(r.status, 404, "another person's request is 404 to edit")
r = bob.get("/units/gamma/edit")
t.ok(r.status == 200 and 'value="Members and press"' not in r.text and
     "Members and press</textarea>" in r.text and "checked" in r.text,
     "the edit form is filled with the request")

# -- the audit log, browsed and exported by hub admins ---------------------
s.sh([s.binary, "--config", s.conf, "user", "add", "--email", "eve@example.org",
      "--name", "=SUM(A1)", "--hub-role", "admin", "--password-stdin"], input=PW + "\n")
post(bob, "/api/v1/units", dict(NORTH, slug="omega"))
eve = Client(s.port)
r = eve.post_json("/api/v1/session", {"email": "eve@example.org", "password": PW})
eve.token = r.json()["csrf_token"]
post(eve, "/api/v1/units/omega/decision", {"decision": "approve"})
r = ida.get("/api/v1/audit?unit=omega")
t.eq([e["action"] for e in r.json()["entries"]], ["unit.approve", "unit.request"],
     "GET /api/v1/audit filters by unit, newest first")
r = ida.get("/api/v1/audit?action=unit.reject")
t.eq([(e["object_id"], e["actor"]) for e in r.json()["entries"]],
     [("north", "ida@example.org")], "and by action, naming the actor")
r = ida.get("/api/v1/audit?actor=BOB@example.org&unit=omega")
t.eq([e["action"] for e in r.json()["entries"]], ["unit.request"], "and by actor")
today = time.strftime("%Y-%m-%d", time.gmtime())
# Every row so far is from today: one from a leap day long ago, written as
# the superuser (audit rows may be added, never changed), tells the date
# filter from no filter at all.
q("INSERT INTO audit_log (at, action, object_type, object_id) "
  "VALUES ('2024-02-29 23:59:59+00', 'test.old', 'unit', 'leapday')")


def audit_ids(query):
    r = ida.get("/api/v1/audit?" + query)
    return [e["object_id"] for e in r.json()["entries"]] if r.status == 200 else r.status


r = audit_ids(f"from={today}&to={today}")
t.ok(len(r) >= 10 and "leapday" not in r, "and by date", r)
t.eq(audit_ids("from=2024-02-29&to=2024-02-29"), ["leapday"],
     "a day's entries are that day's, to its last second")
t.eq((audit_ids("from=2024-02-28&to=2024-02-28"), audit_ids("from=2024-03-01&to=2024-03-01")),
     ([], []), "and not the day before's or after's")
t.eq(audit_ids("to=2024-03-01"), ["leapday"], "to alone is an upper bound")
for query, field in [("from=2026-13-01", "from"), ("from=2026-02-31", "from"),
                     ("from=2023-02-29", "from"), ("to=2100-02-29", "to"),
                     ("from=2026-01-01&to=2026-04-31", "to"), ("to=0000-01-01", "to"),
                     ("from=2026-1-1", "from"), ("to=2026-01-01T00:00", "to")]:
    r = ida.get("/api/v1/audit?" + query)
    t.ok(r.status == 422 and r.json()["error"]["field"] == field and
         r.json()["error"]["code"] == "invalid", f"{query} is 422 naming {field}",
         f"{r.status} {r.text}")
r = ida.get("/hub/audit?from=2026-02-31")
t.ok(r.status == 422 and "YYYY-MM-DD" in r.text, "and the page says so too", r.status)
t.eq(ann.get("/api/v1/audit").status, 403, "the audit log is for hub admins")
r = ida.get("/api/v1/audit?unit=omega&format=csv")
lines = r.body.decode().split("\r\n")
t.ok(r.status == 200 and r.headers["content-type"].startswith("text/csv") and
     "attachment" in r.headers.get("content-disposition", ""), "CSV export")
t.ok(lines[0] == "at,actor,action,object_type,object_id,unit,before,after".replace(
     "actor,", "actor,actor_name,") and len(lines) == 4 and lines[-1] == "",
     "with a header and one line per entry", lines)
t.ok(",\"'=SUM(A1)\"," in lines[1], "a cell that looks like a formula is defused", lines[1])
r = ida.get("/hub/audit?unit=omega")
t.ok(r.status == 200 and "unit.approve" in r.text and "&#39;=SUM" not in r.text,
     "the audit page lists the entries")

# -- members and invitations -----------------------------------------------
r = post(bob, "/api/v1/units/west/members", {"email": "cy@example.org", "role": "author"})
t.eq(r.status, 201, "an owner invites by e-mail (201)")
m = mail_to(s, "cy@example.org", "invites you to West Office")
link = m.get_body(("plain",)).get_content() if m else ""
tok = link.split("/invitations/accept?token=")[1][:43] if "token=" in link else ""
t.ok(len(tok) == 43, "the invitee is mailed a link")
t.eq(q("SELECT count(*) FROM invitations WHERE token_hash = sha256('%s'::bytea)" % tok), "1",
     "only the token's digest is stored")
r = post(ann, "/api/v1/units/west/members", {"email": "x@example.org", "role": "author"})
t.eq(r.status, 403, "a non-owner who can see the unit cannot invite (403)")
r = post(ann, "/api/v1/units/omega/members", {"email": "x@example.org", "role": "author"})
t.eq(r.status, 403, "nor to another unit")
r = post(ann, "/api/v1/units/gamma/members", {"email": "x@example.org", "role": "author"})
t.eq(r.status, 404, "a unit one cannot see is 404")
for body, field in [({"email": "nope", "role": "author"}, "email"),
                    ({"email": "x@example.org", "role": "king"}, "role"),
                    ({"email": "x@example.org", "role": "guest"}, "expires_at"),
                    ({"email": "x@example.org", "role": "guest", "expires_at": "2001-01-01"},
                     "expires_at")]:
    r = post(bob, "/api/v1/units/west/members", body)
    t.ok(r.status == 422 and r.json()["error"]["field"] == field,
         "an invitation with a bad %s is 422" % field, r.text)
cy = person(s, "cy@example.org")
r = cy.get("/invitations/accept?token=" + tok)
t.eq(r.status, 200, "the invitee opens the link after logging in")
r = post(cy, "/api/v1/invitations/accept", {"token": tok})
t.eq(r.json(), {"slug": "west", "role": "author"}, "and accepts it")
t.eq([(u["slug"], u["role"]) for u in cy.get("/api/v1/me").json()["units"]],
     [("west", "author")], "cy is now an author of west")
r = post(ann, "/api/v1/invitations/accept", {"token": tok})
t.eq(r.status, 410, "a used invitation is refused (410)")
r = post(bob, "/api/v1/units/west/members", {"email": "dee@example.org", "role": "guest",
                                              "expires_at": time.strftime(
                                                  "%Y-%m-%d", time.gmtime(time.time() + 86400 * 30))})
t.eq(r.status, 201, "a guest is invited with a last day")
q("UPDATE invitations SET expires_at = now() - interval '1 second' "
  "WHERE email = 'dee@example.org'")
dee = person(s, "dee@example.org")
tok2 = mail_to(s, "dee@example.org", "invites you").get_body(("plain",)).get_content()
tok2 = tok2.split("token=")[1][:43]
r = post(dee, "/api/v1/invitations/accept", {"token": tok2})
t.eq(r.status, 410, "an expired invitation is refused (410)")
r = cy.get("/api/v1/units/west/members")
t.eq([(m["email"], m["role"]) for m in r.json()["members"]],
     [("bob@example.org", "owner"), ("cy@example.org", "author")],
     "members see the unit's members")
t.eq(ann.get("/api/v1/units/west/members").status, 404, "others get 404")
t.eq(q("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log "
       "WHERE action LIKE 'member.%'"), "member.invite,member.join,member.invite",
     "invitations and joins are audited")
t.eq(q("SELECT count(*) FROM audit_log a JOIN units u ON u.id = a.unit_id "
       "WHERE a.action LIKE 'member.%' AND u.slug = 'west'"), "3",
     "under their unit, so the audit log's unit filter finds them")
