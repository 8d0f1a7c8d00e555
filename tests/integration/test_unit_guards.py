"""test_unit_guards.py: the guards of sql/010_unit_guards.sql seen over
real nginx, the FastCGI server and PostgreSQL, each as an attacker would
try it: a requester getting their own workspace approved through a
second account, an invitation link used by someone it was not sent to,
a removed owner coming back through a link of their own, a removed
requester still editing and reading their request, invitation floods,
and who last changed the approval policy shown to everyone.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, q, person, mail_to, error_field, PERSON_PW  # noqa: E402

PW = PERSON_PW
t = TAP()
s = new_stack()


def send(c, method, path, obj=None):
    return c.post_json(path, obj, {"X-CSRF-Token": c.token}, method=method)


def post(c, path, obj):
    return send(c, "POST", path, obj)


def invite(c, slug, to, role="author"):
    """Invite and return (status, token from the mail or None)."""
    n = len(s.mails())
    r = post(c, f"/api/v1/units/{slug}/members", {"email": to, "role": role})
    if r.status != 201:
        return r.status, None
    end = time.time() + 20
    while time.time() < end and len(s.mails()) <= n:
        time.sleep(0.1)
    m = mail_to(s, to, "invites you")
    body = m.get_body(("plain",)).get_content() if m else ""
    return r.status, body.split("token=")[1][:43] if "token=" in body else None


def unit(slug, **kw):
    u = {"name": slug.title(), "slug": slug, "kind": "chapter",
         "purpose": "Purpose of " + slug, "audience": "Everyone",
         "channels": ["blog"]}
    u.update(kw)
    return u


ida = person(s, "ida@hub.example", "admin")
gus = person(s, "gus@example.org")
gus2 = person(s, "gus.second@example.org")
pat = person(s, "pat@region.example")
bob = person(s, "bob@example.org")
carol = person(s, "carol@example.org")
dan = person(s, "dan@example.org")

t.eq(send(ida, "PUT", "/api/v1/approval-policy",
          {"delegate_to_parent_owners": True}).status, 200, "delegation is on")

# -- 2: a requester cannot get their own request approved ------------------
t.eq(post(gus, "/api/v1/units", unit("ux")).status, 201, "gus requests ux")
st, tok = invite(gus, "ux", "gus.second@example.org", "owner")
t.ok(st == 201 and tok, "and invites a second account of his as owner")
t.eq(post(gus2, "/api/v1/invitations/accept", {"token": tok}).status, 200,
     "which accepts")
r = send(gus, "PUT", "/api/v1/units/ux", unit("ux", parent="ux"))
t.eq(error_field(r), (422, "parent"), "naming ux as its own parent is refused (422 parent)")
r = post(gus2, "/api/v1/units/ux/decision", {"decision": "approve"})
t.eq(r.status, 403, "the second account cannot approve ux")
t.eq(q(s, "SELECT state || coalesce(parent_id::text, '-') FROM units WHERE slug = 'ux'"),
     "requested-", "ux still waits, with no parent")
t.eq(error_field(post(gus, "/api/v1/units", unit("uy", parent="ux"))), (422, "parent"),
     "a request under a unit that is not approved is refused (422 parent)")
t.eq(q(s, "SELECT count(*) FROM units WHERE slug = 'uy'"), "0", "and nothing is written")

t.eq(post(pat, "/api/v1/units", unit("region", kind="regional_market")).status, 201,
     "pat requests a region")
t.eq(post(ida, "/api/v1/units/region/decision", {"decision": "approve"}).status, 200,
     "which the hub approves")
t.eq(post(gus, "/api/v1/units", unit("uz", parent="region")).status, 201,
     "gus requests uz under the approved region")
r = send(gus, "PUT", "/api/v1/units/uz", unit("uz", parent=""))
t.eq(error_field(r), (409, "parent"), "while uz waits, its parent cannot change (409 parent)")
r = send(gus, "PUT", "/api/v1/units/uz", unit("uz", parent="region",
                                              purpose="A clearer purpose"))
t.eq(r.status, 200, "the rest of the request can still be edited")
st, tok = invite(gus, "uz", "pat@region.example", "owner")
t.eq(post(pat, "/api/v1/invitations/accept", {"token": tok}).status, 200,
     "gus makes the region's owner an owner of uz too")
r = post(pat, "/api/v1/units/uz/decision", {"decision": "approve"})
t.eq(error_field(r), (403, "decision"),
     "an owner of the request itself is no delegate for it (403)")
t.eq(q(s, "SELECT state FROM units WHERE slug = 'uz'"), "requested", "uz still waits")
r = post(pat, "/api/v1/units", unit("sub", parent="region"))
r = post(gus, "/api/v1/units/sub/decision", {"decision": "approve"})
t.eq(r.status, 404, "someone who owns neither sees nothing to decide")

# -- 3: invitations bind to their address, are listed and revoked -----------
t.eq(post(bob, "/api/v1/units", unit("west")).status, 201, "bob requests west")
st, tok = invite(bob, "west", "Carol@Example.org")
t.eq(st, 201, "bob invites Carol@Example.org")
r = post(dan, "/api/v1/invitations/accept", {"token": tok})
t.eq((r.status, r.json()["error"]["code"]), (403, "other_address"),
     "dan, holding the forwarded link, is refused (403 other_address)")
page = Client(s.port)
page.post("/login", {"csrf_token": page.csrf(page.get("/login").text),
                     "email": "dan@example.org", "password": PW})
r = page.get("/invitations/accept?token=" + tok)
r = page.post("/invitations/accept", {"csrf_token": page.csrf(r.text), "token": tok})
t.ok(r.status == 403 and "another e-mail address" in r.text,
     "the page tells him the invitation is for another address", r.text[:300])
t.eq(q(s, "SELECT count(*) FROM unit_members m JOIN units u ON u.id = m.unit_id "
       "WHERE u.slug = 'west'"), "1", "and nobody joined")
r = post(carol, "/api/v1/invitations/accept", {"token": tok})
t.eq(r.status, 200, "carol, whose address it is (in another case), accepts")

st, tok = invite(bob, "west", "erin@example.org", "editor")
r = bob.get("/api/v1/units/west/invitations")
inv = r.json()["invitations"] if r.status == 200 else []
t.eq([(i["email"], i["role"]) for i in inv], [("erin@example.org", "editor")],
     "the owner lists the pending invitations (accepted ones are gone)")
t.ok(inv and set(inv[0]) >= {"id", "email", "role", "expires_at", "invited_by",
                             "invited_at", "link_expires_at"},
     "each with its id, who sent it and when its link expires", inv)
t.eq(carol.get("/api/v1/units/west/invitations").status, 403,
     "an author of the unit may not list them (403)")
t.eq(dan.get("/api/v1/units/west/invitations").status, 404,
     "a stranger gets 404")
iid = inv[0]["id"] if inv else 0
t.eq(send(carol, "DELETE", f"/api/v1/units/west/invitations/{iid}").status, 403,
     "an author cannot revoke one")
r = send(bob, "DELETE", f"/api/v1/units/west/invitations/{iid}")
t.eq((r.status, r.body), (204, b""), "the owner revokes it (204)")
erin = person(s, "erin@example.org")
r = post(erin, "/api/v1/invitations/accept", {"token": tok})
t.eq(r.status, 410, "a revoked link no longer works (410)")
t.eq(error_field(send(bob, "DELETE", f"/api/v1/units/west/invitations/{iid}")), (404, "id"),
     "revoking it again is 404 naming the id")
t.eq(error_field(send(bob, "DELETE", "/api/v1/units/west/invitations/abc")), (404, "id"),
     "an id that is no number is 404")
t.eq(q(s, "SELECT count(*) FROM audit_log WHERE action = 'member.invite_revoke'"), "1",
     "the revocation is audited")

st, tok = invite(bob, "west", "erin@example.org", "editor")
web = Client(s.port)
web.post("/login", {"csrf_token": web.csrf(web.get("/login").text),
                    "email": "bob@example.org", "password": PW})
r = web.get("/units/west")
t.ok("Pending invitations" in r.text and "erin@example.org" in r.text,
     "the unit page lists pending invitations to its owner")
t.ok("Pending invitations" not in carol.get("/units/west",
                                            {"Accept": "text/html"}).text,
     "and not to an author")
t.ok("erin@example.org" in ida.get("/units/west", {"Accept": "text/html"}).text,
     "a hub admin, who belongs to no unit, sees them on the page")
t.eq(dan.get("/units/west", {"Accept": "text/html"}).status, 404,
     "a stranger's page is 404: nothing of the unit, nor its invitations")
r = Client(s.port).get("/units/west")
t.ok(r.status == 303 and "erin" not in r.text,
     "a forwarded link to the page asks whoever holds it to sign in")
js = web.get("/units/west", {"Accept": "application/json"})
t.ok(js.status == 200 and "invitations" not in js.json()
     and "invitations" not in bob.get("/api/v1/units/west").json(),
     "the unit's JSON carries no invitations, not even for its owner")
iid = bob.get("/api/v1/units/west/invitations").json()["invitations"][0]["id"]
r = web.post(f"/units/west/invitations/{iid}/revoke", {"csrf_token": "nope"})
t.eq(r.status, 403, "the revoke button checks the CSRF token")
r = web.post(f"/units/west/invitations/{iid}/revoke",
             {"csrf_token": web.csrf(web.get("/units/west").text)})
t.ok(r.status == 303 and "revoked=1" in r.headers.get("location", ""),
     "the page's Revoke button revokes it", (r.status, r.headers))
t.ok("The invitation is revoked" in web.get(r.headers.get("location", "/")).text,
     "and says so")

# an owner removed keeps no way back in
st, tok = invite(bob, "west", "fay@example.org", "owner")
fay = person(s, "fay@example.org")
post(fay, "/api/v1/invitations/accept", {"token": tok})
st, back = invite(fay, "west", "fay.other@example.org", "owner")
t.ok(st == 201 and back, "a co-owner invites a second address of hers")
t.eq(send(bob, "DELETE", "/api/v1/units/west/members/fay@example.org").status, 204,
     "then is removed")
fay2 = person(s, "fay.other@example.org")
t.eq(post(fay2, "/api/v1/invitations/accept", {"token": back}).status, 410,
     "her pending invitation died with her ownership (410)")

# -- 8: invitation limits ---------------------------------------------------
st, _ = invite(bob, "west", "kim@example.org")
t.eq(error_field(post(bob, "/api/v1/units/west/members",
              {"email": "KIM@example.org", "role": "author"})),
     (409, "email"), "a second pending invitation to one address is 409")
for i in range(2):
    iid = [x["id"] for x in bob.get("/api/v1/units/west/invitations").json()
           ["invitations"] if x["email"] == "kim@example.org"][0]
    send(bob, "DELETE", f"/api/v1/units/west/invitations/{iid}")
    invite(bob, "west", "kim@example.org")
iid = [x["id"] for x in bob.get("/api/v1/units/west/invitations").json()
       ["invitations"] if x["email"] == "kim@example.org"][0]
send(bob, "DELETE", f"/api/v1/units/west/invitations/{iid}")
r = post(bob, "/api/v1/units/west/members", {"email": "kim@example.org", "role": "author"})
t.ok(error_field(r) == (429, "email") and r.headers.get("retry-after"),
     "a fourth invitation to one address in a day is 429 with Retry-After", r.text)
n = int(q(s, "SELECT count(*) FROM invitations WHERE invited_by = "
          "(SELECT id FROM people WHERE email = 'bob@example.org') "
          "AND created_at > now() - interval '1 hour'"))
codes = [post(bob, "/api/v1/units/west/members",
              {"email": f"many{i}@example.org", "role": "author"}).status
         for i in range(50 - n)]
t.eq(set(codes), {201}, f"bob sends {50 - n} more, 50 in the hour")
r = post(bob, "/api/v1/units/west/members", {"email": "one.more@example.org",
                                              "role": "author"})
t.eq(error_field(r), (429, "email"), "the 51st in an hour is 429")

# -- 4: write rights follow current ownership -------------------------------
t.eq(post(bob, "/api/v1/units", unit("vale")).status, 201, "bob requests vale")
post(ida, "/api/v1/units/vale/decision", {"decision": "request_changes",
                                          "reason": "Say more."})
hal = person(s, "hal@example.org")
q(s, "INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'owner' "
  "FROM units u, people p WHERE u.slug = 'vale' AND p.email = 'hal@example.org'")
t.eq(send(hal, "DELETE", "/api/v1/units/vale/members/bob@example.org").status, 204,
     "a co-owner removes the requester")
r = send(bob, "PUT", "/api/v1/units/vale", unit("vale", purpose="Mine again"))
t.eq(r.status, 403, "the removed requester can no longer edit the request (403)")
t.eq(q(s, "SELECT purpose FROM units WHERE slug = 'vale'"), "Purpose of vale",
     "and nothing changed")
r = bob.get("/api/v1/units/vale")
t.ok(r.status == 200 and r.json()["decisions"] == [] and r.json()["answers"] == [],
     "nor read its decisions and answers", r.text[:300])
t.ok(hal.get("/api/v1/units/vale").json()["decisions"] != [],
     "which its current owner reads")
t.eq(send(hal, "PUT", "/api/v1/units/vale", unit("vale", purpose="Clearer")).status,
     200, "and edits")

# -- 16: who changed the policy is for hub admins ---------------------------
t.eq(gus.get("/api/v1/approval-policy").json()["updated_by"], None,
     "a member does not see who last changed the policy")
t.eq(ida.get("/api/v1/approval-policy").json()["updated_by"], "ida@hub.example",
     "a hub admin does")
