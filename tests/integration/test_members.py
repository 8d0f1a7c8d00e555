"""test_members.py: managing a unit's members through real nginx, the
FastCGI server and PostgreSQL: changing roles and a guest's last day,
removing members and leaving, as the JSON API and as the unit page's
forms; each change audited in its transaction; the last owner kept,
also against two owners demoting each other at once; 404 for a unit
whose members one may not see, 403 for a member one may not change,
CSRF on every form, and bad input named by field with nothing written.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, wait_until, q, PERSON_PW  # noqa: E402

PW = PERSON_PW
t = TAP()
s = new_stack()


def user(mail, *roles):
    argv = [s.binary, "--config", s.conf, "user", "add", "--email", mail,
            "--name", mail.split("@")[0].split("+")[0].title(),
            "--password-stdin"]
    for r in roles:
        argv += ["--hub-role", r]
    s.sh(argv, input=PW + "\n")


def api(mail):
    """A JSON client signed in as mail, its CSRF token in .token."""
    c = Client(s.port)
    r = c.post_json("/api/v1/session", {"email": mail, "password": PW})
    c.token = r.json()["csrf_token"]
    return c


def browser(mail):
    """A form-posting client signed in as mail through the login page."""
    c = Client(s.port)
    c.post("/login", {"csrf_token": c.csrf(c.get("/login").text),
                      "email": mail, "password": PW})
    return c


def put(c, slug, email, obj, token=True):
    h = {"X-CSRF-Token": c.token} if token else {}
    return c.post_json(f"/api/v1/units/{slug}/members/{email}", obj, h, method="PUT")


def delete(c, slug, email, token=True):
    h = {"X-CSRF-Token": c.token} if token else {}
    return c.send("DELETE", f"/api/v1/units/{slug}/members/{email}", None, h)


def members(c, slug):
    r = c.get(f"/api/v1/units/{slug}/members")
    return r.json()["members"] if r.status == 200 else r.status


def roles_of(slug):
    """{email: role or role/last day} straight from the database."""
    out = q(s, "SELECT p.email || '=' || m.role || coalesce('/' || "
            "to_char(m.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '') "
            "FROM unit_members m JOIN units u ON u.id = m.unit_id JOIN people p "
            f"ON p.id = m.person_id WHERE u.slug = '{slug}' ORDER BY p.email")
    return dict(line.split("=", 1) for line in out.splitlines() if line)


def audits():
    return int(q(s, "SELECT count(*) FROM audit_log"))


def day(n):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400 * n))


def err(r):
    try:
        return r.json().get("error", {})
    except ValueError:
        return {}


# -- fixtures: two approved units and their people --------------------------
OWN, CO, ED, AU, GU = ("own@example.org", "co@example.org", "ed@example.org",
                       "au+news@example.org", "gu@example.org")
OUT, IDA, HR = "out@example.org", "ida@example.org", "hr@example.org"
for m in (OWN, CO, ED, AU, GU, OUT):
    user(m)
user(IDA, "admin")
user(HR, "hr")
own, co, ed, au, out, ida, hr = (api(m) for m in (OWN, CO, ED, AU, OUT, IDA, HR))
UNIT = {"kind": "chapter", "purpose": "News of the town.", "audience": "Everyone"}
own.post_json("/api/v1/units", dict(UNIT, name="North", slug="north"),
              {"X-CSRF-Token": own.token})
out.post_json("/api/v1/units", dict(UNIT, name="South", slug="south"),
              {"X-CSRF-Token": out.token})
for slug in ("north", "south"):
    ida.post_json(f"/api/v1/units/{slug}/decision", {"decision": "approve"},
                  {"X-CSRF-Token": ida.token})
q(s, "INSERT INTO unit_members (unit_id, person_id, role, expires_at) "
  "SELECT u.id, p.id, v.role, v.until FROM (VALUES "
  f"('{ED}', 'editor', NULL::timestamptz), ('{AU}', 'author', NULL), "
  f"('{GU}', 'guest', now() - interval '1 hour')) v(email, role, until) "
  "JOIN people p ON p.email = v.email, units u WHERE u.slug = 'north'")
fixture = roles_of("north")
t.ok(fixture.pop(GU, "").startswith("guest/") and
     fixture == {OWN: "owner", ED: "editor", AU: "author"},
     "fixtures: north has an owner, an editor, an author and a guest whose access ended",
     fixture)

# -- a role changed, and its audit row --------------------------------------
n = audits()
r = put(own, "north", ED, {"role": "author"})
t.eq((r.status, r.json() if r.status == 200 else r.text),
     (200, {"email": ED, "name": "Ed", "role": "author", "expires_at": None}),
     "PUT .../members/{email} changes a role: 200 with the member")
t.ok(r.json() in members(own, "north"), "as GET .../members shows it")
t.eq(roles_of("north")[ED], "author", "the database holds the new role")
row = q(s, "SELECT a.action || '|' || a.object_type || '|' || a.object_id || '|' || "
        "p.email || '|' || u.slug || '|' || a.before::text || '|' || a.after::text "
        "FROM audit_log a JOIN people p ON p.id = a.actor_id "
        "JOIN units u ON u.id = a.unit_id ORDER BY a.id DESC LIMIT 1").split("|")
ed_id = q(s, f"SELECT id FROM people WHERE email = '{ED}'")
t.eq(row[:5], ["member.role", "member", ed_id, OWN, "north"],
     "the change is audited: action, object (the member), who, which unit")
t.eq((json.loads(row[5]), json.loads(row[6])),
     ({"email": ED, "role": "editor", "expires_at": None},
      {"email": ED, "role": "author", "expires_at": None}), "with before and after")
t.eq(audits(), n + 1, "one audit row for one change")
r = put(own, "north", ED, {"role": "author"})
t.ok(r.status == 200 and audits() == n + 1, "the same role again changes and audits nothing")
r = put(own, "north", ED, {"role": "editor", "expires_at": day(10)})
t.ok(r.status == 200 and r.json()["expires_at"] is None and roles_of("north")[ED] == "editor",
     "a last day is ignored for roles other than guest", r.text)

# -- addresses in the path: '+', '@', percent-encoded, any case ------------
r = put(own, "north", "au+news@example.org", {"role": "editor"})
t.eq((r.status, r.json().get("role")), (200, "editor"), "an address with '+' and '@' as they are")
r = put(own, "north", urllib.parse.quote(AU, safe=""), {"role": "author"})
t.eq((r.status, r.json().get("role")), (200, "author"), "or percent-encoded (%2B, %40)")
r = put(own, "north", "AU%2BNEWS@Example.org", {"role": "author"})
t.eq(r.status, 200, "addresses match whatever their case")

# -- a guest and their last day --------------------------------------------
# 31 April of the coming April: a day some validators let by, within the year.
_now = time.gmtime()
APRIL31 = f"{_now.tm_year + (_now.tm_mon >= 4)}-04-31"
n = audits()
for body, why in [({"role": "guest"}, "without a last day"),
                  ({"role": "guest", "expires_at": ""}, "with an empty last day"),
                  ({"role": "guest", "expires_at": day(-1)}, "with a last day in the past"),
                  ({"role": "guest", "expires_at": day(0)}, "with today as the last day"),
                  ({"role": "guest", "expires_at": day(400)}, "more than a year ahead"),
                  ({"role": "guest", "expires_at": "2031-02-30"}, "with no such date"),
                  ({"role": "guest", "expires_at": APRIL31}, "on 31 April, within the year"),
                  ({"role": "guest", "expires_at": "31.12.2031"}, "in another format"),
                  ({"role": "guest", "expires_at": day(5) + "x" * 5000}, "with 5 kB after the date"),
                  ({"role": "guest", "expires_at": 20310101}, "as a number")]:
    r = put(own, "north", AU, body)
    t.ok(r.status == 422 and err(r).get("field") == "expires_at" and err(r).get("code") == "invalid",
         f"a guest {why} is 422 naming expires_at", r.text)
for body, why, status in [({"role": "king"}, "an unknown role", 422), ({}, "no role", 422),
                          ({"role": ""}, "an empty role", 422),
                          ({"role": "Owner"}, "a role in capitals", 422),
                          ({"role": ["owner"]}, "a list", 422),
                          ({"role": 1}, "a number", 422),
                          ({"role": "owner\u0000"}, "a NUL", 400)]:
    r = put(own, "north", AU, body)
    t.ok(r.status == status and err(r).get("field") == "role",
         f"{why} is {status} naming role", f"{r.status} {r.text}")
t.ok(audits() == n and roles_of("north")[AU] == "author", "and none of them changed or audited anything")
r = put(own, "north", AU, {"role": "guest", "expires_at": day(30)})
t.eq((r.status, r.json().get("role"), r.json().get("expires_at")), (200, "guest", day(30)),
     "a guest with a last day a month ahead: 200 with that day")
t.eq(roles_of("north")[AU], f"guest/{day(31)} 00:00",
     "access ends as that day ends (UTC)")
t.eq([m["expires_at"] for m in members(own, "north") if m["email"] == AU], [day(30)],
     "and the member list shows the same last day")
t.eq(json.loads(q(s, "SELECT after::text FROM audit_log ORDER BY id DESC LIMIT 1")),
     {"email": AU, "role": "guest", "expires_at": day(30)}, "the last day is audited")
r = put(own, "north", AU, {"role": "guest", "expires_at": day(60)})
t.ok(r.status == 200 and r.json()["expires_at"] == day(60), "an owner changes a guest's last day")
r = put(own, "north", AU, {"role": "author"})
t.ok(r.status == 200 and r.json()["expires_at"] is None and roles_of("north")[AU] == "author",
     "a guest made author has no last day any more", r.text)

# -- who may: 404 for people who cannot see the members, 403 for members ----
nobody = put(out, "nowhere", ED, {"role": "owner"})
t.eq(nobody.status, 404, "a unit that does not exist is 404")
for name, r in [("PUT", put(out, "north", ED, {"role": "owner"})),
                ("DELETE", delete(out, "north", ED))]:
    t.ok(r.status == 404 and r.body == nobody.body,
         f"{name} by a member of south on north (approved, public) is the same 404: "
         "nothing says north or ed exist", r.text)
t.eq(out.get("/api/v1/units/north/members").status, 404, "nor may they list its members")
t.eq(put(own, "south", OUT, {"role": "editor"}).status, 404,
     "and the owner of north gets 404 in south")
r = put(own, "north", "nobody@example.org", {"role": "editor"})
t.ok(r.status == 404 and err(r).get("field") == "email", "an unknown member is 404 naming email", r.text)
r = put(own, "north", "not-an-address", {"role": "editor"})
t.ok(r.status == 404 and err(r).get("field") == "email", "so is a malformed address", r.text)
r = put(own, "north", "x" * 300 + "@example.org", {"role": "editor"})
t.ok(r.status == 404 and err(r).get("field") == "email", "and an address of 312 bytes", r.text)
r = put(own, "north", GU, {"role": "guest", "expires_at": day(3)})
t.ok(r.status == 404 and err(r).get("field") == "email",
     "a guest whose last day has passed is no longer a member (404)", r.text)
n = audits()
r = put(ed, "north", AU, {"role": "owner"})
t.ok(r.status == 403 and err(r).get("code") == "forbidden", "an editor changing a role is 403", r.text)
t.eq(put(ed, "north", ED, {"role": "owner"}).status, 403, "nor may they promote themselves")
t.eq(delete(ed, "north", AU).status, 403, "nor remove another member")
t.eq(put(hr, "north", AU, {"role": "editor"}).status, 403,
     "hub HR sees the members but changes no role (403)")
t.ok(audits() == n and roles_of("north")[AU] == "author" and roles_of("north")[ED] == "editor",
     "none of them changed anything")
r = put(ida, "north", AU, {"role": "editor"})
t.eq((r.status, r.json().get("role")), (200, "editor"), "a hub admin changes roles in any unit")
put(ida, "north", AU, {"role": "author"})
t.eq(put(own, "north", AU, {"role": "author"}, token=False).status, 403,
     "a cookie-authenticated PUT without X-CSRF-Token is 403")
t.eq(delete(own, "north", AU, token=False).status, 403, "and so is a DELETE")

# -- the last owner ----------------------------------------------------------
n = audits()
r = put(own, "north", OWN, {"role": "editor"})
t.ok(r.status == 409 and err(r).get("code") == "last_owner" and "last owner" in err(r).get("message", ""),
     "the last owner demoting themself is 409 last_owner, saying why", r.text)
r = delete(own, "north", OWN)
t.ok(r.status == 409 and err(r).get("code") == "last_owner", "leaving is 409 too", r.text)
r = delete(ida, "north", OWN)
t.ok(r.status == 409 and err(r).get("code") == "last_owner", "and a hub admin removing them", r.text)
r = put(ida, "north", OWN, {"role": "guest", "expires_at": day(3)})
t.eq(r.status, 409, "or making them a guest")
t.ok(audits() == n and roles_of("north")[OWN] == "owner", "nothing is half-written: no audit row")
p = s.psql(f"UPDATE unit_members SET role = 'author' WHERE person_id = (SELECT id FROM people "
           f"WHERE email = '{OWN}')", check=False)
t.ok(p.returncode != 0 and "at least one owner" in p.stdout,
     "PostgreSQL itself refuses it, even to the schema owner", p.stdout)

# -- two owners demoting each other at once ----------------------------------
q(s, f"UPDATE unit_members SET role = 'owner' WHERE person_id = (SELECT id FROM people "
  f"WHERE email = '{ED}')")


def session(actor):
    """A psql session acting as actor through the web role, in a transaction."""
    p = subprocess.Popen(["psql", "-X", "-q", "-At", "-h", s.run, "-U", s.superuser,
                          "-d", "chapterhouse"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         **s._demote())
    p.stdin.write("\\set VERBOSITY verbose\nBEGIN;\nSET LOCAL ROLE chapterhouse_web;\n"
                  "SELECT set_config('chapterhouse.person', id::text, true) FROM people "
                  f"WHERE email = '{actor}';\n")
    return p


def demote(p, who):
    p.stdin.write(f"UPDATE unit_members SET role = 'editor' WHERE person_id = (SELECT id "
                  f"FROM people WHERE email = '{who}');\n")
    p.stdin.flush()


def advisory(granted):
    return q(s, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
             f"AND granted = {granted}") == "1"


a, b = session(OWN), session(ED)
demote(a, ED)
t.ok(wait_until(lambda: advisory("true"), timeout=10),
     "demoting an owner takes the unit's lock")
demote(b, OWN)
t.ok(wait_until(lambda: advisory("false"), timeout=10),
     "the other owner's demotion at the same time waits for it")
a.stdin.write("COMMIT;\n")
out_a = a.communicate(timeout=30)[0]
out_b = b.communicate("COMMIT;\n", timeout=30)[0]
t.ok("ERROR" not in out_a, "the first commits", out_a)
t.ok("CH409" in out_b and "at least one owner" in out_b,
     "the second, counting again once the first committed, is refused with CH409", out_b)
t.eq([k for k, v in roles_of("north").items() if v == "owner"], [OWN],
     "and north keeps exactly one owner")

# -- removing and leaving ------------------------------------------------------
n = audits()
r = delete(own, "north", ED)
t.ok(r.status == 204 and r.body == b"", "an owner removes a member: 204, no body", r.text)
t.ok("content-length" not in r.headers or r.headers["content-length"] == "0",
     "and no length but zero", r.headers)
t.ok(ED not in roles_of("north"), "the membership is gone")
t.eq(ed.get("/api/v1/units/north/members").status, 404, "the removed member sees its members no more")
t.eq(q(s, "SELECT action || ' ' || object_id || ' ' || (before->>'role') || ' ' || "
       "coalesce(after::text, 'null') FROM audit_log ORDER BY id DESC LIMIT 1"),
     f"member.remove {ed_id} editor null", "the removal is audited with what was")
t.eq(delete(own, "north", ED).status, 404, "removing them again is 404")
r = delete(au, "north", AU.replace("+", "%2B"))
t.eq(r.status, 204, "a member leaves (DELETE of their own address): 204")
t.eq(q(s, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"), "member.leave",
     "audited as leaving")
t.eq(audits(), n + 2, "one audit row each")
t.eq(members(au, "north"), 404, "and they see the members no more")

# -- the pages ---------------------------------------------------------------
q(s, "INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, v.role "
  f"FROM (VALUES ('{ED}', 'editor'), ('{AU}', 'author'), ('{CO}', 'owner')) v(email, role) "
  "JOIN people p ON p.email = v.email, units u WHERE u.slug = 'north'")
bo, be = browser(OWN), browser(ED)
page = bo.get("/units/north")
au_path = urllib.parse.quote(AU, safe="@")
t.ok(page.status == 200 and f'action="/units/north/members/{au_path}"' in page.text
     and page.text.count('name="role"') == 5,
     "an owner's unit page has a role form per member (address encoded in the action)")
t.ok(f'href="/units/north/members/{au_path}/remove"' in page.text
     and f'href="/units/north/members/{OWN}/remove"' not in page.text,
     "and a Remove link for every member but themself")
t.ok('href="/units/north/leave"' in page.text, "and Leave this unit")
epage = be.get("/units/north")
t.ok('name="role"' not in epage.text.split('id="members-title"')[1].split("</section>")[0]
     and "/remove" not in epage.text and 'href="/units/north/leave"' in epage.text,
     "an editor's page lists the members without forms, and offers to leave")
token = bo.csrf(page.text)
r = bo.post(f"/units/north/members/{au_path}", {"csrf_token": token, "role": "editor",
                                               "expires_at": ""})
t.eq((r.status, r.headers.get("location")), (303, "/units/north?role_changed=1"),
     "the role form saves and goes back to the unit")
t.ok("role is saved." in bo.get("/units/north?role_changed=1").text, "which says so")
t.eq(roles_of("north")[AU], "editor", "the role is changed")
r = bo.post(f"/units/north/members/{au_path}", {"csrf_token": token, "role": "guest",
                                               "expires_at": "2001-01-01"})
form = r.text.split(f'action="/units/north/members/{au_path}"')[1].split("</form>")[0]
t.ok(r.status == 422 and 'aria-invalid="true"' in form and 'value="2001-01-01"' in form
     and "a guest needs a last day" in form and 'value="guest" selected' in form,
     "a past last day gives the page again, the member's date marked and what was chosen kept")
t.ok('role="alert"' in r.text and r.text.count('aria-invalid="true"') == 1,
     "with an alert, and only that field marked")
t.eq(roles_of("north")[AU], "editor", "and changes nothing")
r = bo.post(f"/units/north/members/{au_path}", {"role": "author"})
t.ok(r.status == 403 and roles_of("north")[AU] == "editor", "the form without its CSRF token is 403")
r = be.post(f"/units/north/members/{au_path}", {"csrf_token": be.csrf(epage.text),
                                               "role": "owner"})
t.eq(r.status, 403, "an editor posting the form anyway is 403")

r = bo.get(f"/units/north/members/{au_path}/remove")
t.ok(r.status == 200 and "Remove Au from North?" in r.text and 'class="danger"' in r.text,
     "Remove leads to a page that asks first")
t.ok(AU in roles_of("north"), "asking removes nobody")
t.eq(be.get(f"/units/north/members/{au_path}/remove").status, 403,
     "an editor cannot open it for another member")
t.eq(bo.get("/units/north/members/nobody@example.org/remove").status, 404,
     "nor anyone for someone who is no member")
r = bo.post(f"/units/north/members/{au_path}/remove", {})
t.ok(r.status == 403 and AU in roles_of("north"), "removing without the CSRF token is 403")
r = bo.post(f"/units/north/members/{au_path}/remove", {"csrf_token": token})
t.eq((r.status, r.headers.get("location")), (303, "/units/north?removed=1"),
     "confirming removes and goes back to the unit")
t.ok(AU not in roles_of("north") and "was removed" in bo.get("/units/north?removed=1").text,
     "the member is gone, and the page says so")

r = be.get("/units/north/leave")
t.ok(r.status == 200 and "Leave North?" in r.text, "Leave this unit asks first")
r = be.post("/units/north/leave", {})
t.ok(r.status == 403 and ED in roles_of("north"), "leaving without the CSRF token is 403")
r = be.post("/units/north/leave", {"csrf_token": be.csrf(be.get("/units/north/leave").text)})
t.eq((r.status, r.headers.get("location")), (303, "/units?left=1"),
     "a member leaves and goes to their units")
t.ok(ED not in roles_of("north") and "You left the unit." in be.get("/units?left=1").text,
     "no longer a member, and told so")
t.eq(be.get("/units/north/leave").status, 404, "the leave page is 404 to a non-member")

# the last owner, on the pages
q(s, f"UPDATE unit_members SET role = 'editor' WHERE person_id = (SELECT id FROM people "
  f"WHERE email = '{CO}')")
n = audits()
r = bo.post("/units/north/leave", {"csrf_token": token})
t.ok(r.status == 409 and "you are the unit" in r.text and "last owner" in r.text
     and 'action="/units/north/leave"' in r.text,
     "the last owner leaving gets the leave page again with 409 and the reason")
r = bo.post(f"/units/north/members/{OWN}", {"csrf_token": token, "role": "author"})
form = r.text.split(f'action="/units/north/members/{OWN}"')[1].split("</form>")[0]
t.ok(r.status == 409 and "last owner" in form and 'aria-invalid="true"' in form,
     "demoting themself gives the unit page again, 409, the reason beside their role")
ib = browser(IDA)
r = ib.post(f"/units/north/members/{OWN}/remove", {"csrf_token": ib.csrf(ib.get("/units").text)})
t.ok(r.status == 409 and "last owner" in r.text, "a hub admin removing the last owner: 409 on the page")
t.ok(audits() == n and roles_of("north")[OWN] == "owner", "and nothing was written")
