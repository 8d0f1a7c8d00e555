"""test_input.py: declared input and unit-scoped routes over real nginx,
the FastCGI server and PostgreSQL.  A route's fields are read alike from
a form and a JSON body and refused before the handler runs, naming the
field (the form again with what was typed, never a password); a route
under /units/{slug} refuses whoever it does not serve before its input
is read: 404 to those who may not know the unit's members, 403 to those
who may, 409 for a unit in the wrong state.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, q as q_on, person as person_on  # noqa: E402

PW = "harbour lantern quiet 88"
t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def person(mail, *roles):
    return person_on(s, mail, *roles, pw=PW)


def send(c, method, path, obj=None):
    return c.post_json(path, obj, {"X-CSRF-Token": c.token}, method=method)


def err(r):
    """(status, code, field) of an error answer."""
    try:
        e = r.json()["error"]
        return r.status, e.get("code"), e.get("field")
    except (ValueError, KeyError, TypeError):
        return r.status, None, None


def unit(slug, **kw):
    u = {"name": slug.title(), "slug": slug, "kind": "chapter",
         "purpose": "To write.", "audience": "Members."}
    u.update(kw)
    return u


def member(slug, mail, role):
    q(f"INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, "
      f"'{role}' FROM units u, people p WHERE u.slug = '{slug}' AND p.email = '{mail}'")


ida = person("ida@example.org", "admin")
hr = person("hr@example.org", "hr")
own = person("own@example.org")
ed = person("ed@example.org")
out = person("out@example.org")

# -- declared fields, alike from JSON and a form ----------------------------
t.eq(err(send(own, "POST", "/api/v1/units", unit("north", kind="castle"))),
     (422, "invalid", "kind"), "a kind not listed is 422 naming kind (JSON)")
t.eq(err(send(own, "POST", "/api/v1/units", unit("north", kind=7))),
     (422, "invalid", "kind"), "so is a number")
t.eq(err(send(own, "POST", "/api/v1/units", unit("north", channels="blog"))),
     (422, "invalid", "channels"), "channels are a list, not text")
t.eq(err(send(own, "POST", "/api/v1/units", unit("north", channels=["blog", "fax"]))),
     (422, "invalid", "channels"), "of the channels listed")
t.eq(err(send(own, "POST", "/api/v1/units", unit("north", name="  "))),
     (422, "missing", "name"), "a blank name is missing")
t.eq(err(send(own, "POST", "/api/v1/units", unit("North"))),
     (422, "invalid", "slug"), "an address in capitals is refused")
t.eq(q("SELECT count(*) FROM units"), "0", "and nothing was written")
page = own.get("/units/new")
tok = own.csrf(page.text)
r = own.post("/units", {"csrf_token": tok, "name": "Typed name", "slug": "north",
                        "kind": "castle", "purpose": "Kept purpose", "audience": "a",
                        "channels": "x"})
t.ok(r.status == 422 and 'value="Typed name"' in r.text and "Kept purpose" in r.text
     and 'aria-invalid="true"' in r.text,
     "the form's bad kind shows the form again with what was typed", r.status)
t.ok('value="x" checked' in r.text, "its channels still checked")
r = own.post("/units", [("csrf_token", tok), ("name", "North"), ("slug", "north"),
                        ("kind", "chapter"), ("purpose", "p"), ("audience", "a"),
                        ("channels", "blog"), ("channels", "x"), ("channels", "blog")])
t.eq(r.status, 303, "a good form is accepted")
t.eq(q("SELECT array_to_string(channels, ',') FROM units WHERE slug = 'north'"),
     "blog,x", "its repeated channels read once each")
t.eq(send(ida, "POST", "/api/v1/units/north/decision", {"decision": "approve"}).status,
     200, "north is approved")
member("north", "ed@example.org", "editor")

# -- unit-scoped routes: who is refused, how --------------------------------
t.eq(own.get("/api/v1/units/north/invitations").status, 200,
     "the owner reads the invitations")
t.eq(ida.get("/api/v1/units/north/invitations").status, 200, "so does a hub admin")
r = ed.get("/api/v1/units/north/invitations")
t.eq(err(r), (403, "forbidden", None), "a member who may not is 403")
r = hr.get("/api/v1/units/north/invitations")
t.eq(err(r)[0], 403, "so is a hub role, who sees the members")
nobody = out.get("/api/v1/units/nowhere/invitations")
r = out.get("/api/v1/units/north/invitations")
t.ok(nobody.status == 404 and r.status == 404 and r.body == nobody.body,
     "an outsider gets the very 404 of a unit that does not exist", r.text)
t.eq(hr.get("/api/v1/units/north/members").status, 200, "hub roles list the members")
t.eq(out.get("/api/v1/units/north/members").status, 404, "an outsider does not")
r = out.get("/units/north/leave")
t.ok(r.status == 404 and "not a member" in r.text, "leaving is 404 to a non-member")
t.eq(ed.get("/units/north/leave").status, 200, "a member is asked to confirm")
r = own.get("/units/north/members/ed@example.org/remove")
t.ok(r.status == 200 and 'action="/units/north/members/ed@example.org/remove"' in r.text,
     "the removal's confirmation posts to the member's address", r.text[-400:])

# The unit is checked before the input: a refusal does not depend on it.
r = send(ed, "PUT", "/api/v1/units/north/members/own@example.org", {"role": "king"})
t.eq(err(r), (403, "forbidden", None), "an editor changing a role is 403 whatever the role")
r = send(out, "PUT", "/api/v1/units/north/members/own@example.org", {"role": "king"})
t.eq(err(r), (404, "not_found", None), "and an outsider 404")
r = send(own, "PUT", "/api/v1/units/north/members/ed@example.org", {"role": "king"})
t.eq(err(r), (422, "invalid", "role"), "the owner's bad role is 422 naming role")
r = send(own, "PUT", "/api/v1/units/north/members/ed@example.org",
         {"role": "guest", "expires_at": "2001-01-01"})
t.eq(err(r), (422, "invalid", "expires_at"), "a guest's day in the past is 422")
r = send(own, "PUT", "/api/v1/units/north/members/ed@example.org",
         {"role": "author", "expires_at": "not a day"})
t.eq(r.status, 200, "a last day is only read for a guest")

# Editing a request: the owners, while it waits.
r = send(own, "PUT", "/api/v1/units/north", unit("north"))
t.eq(err(r)[:2], (409, "illegal_transition"), "an approved unit is not edited (409)")
t.eq(err(send(ed, "PUT", "/api/v1/units/north", unit("north")))[:2], (403, "forbidden"),
     "a member who is not an owner is 403")
t.eq(err(send(out, "PUT", "/api/v1/units/nowhere", unit("nowhere")))[:2],
     (404, "not_found"), "a unit that does not exist is 404")
send(own, "POST", "/api/v1/units", unit("south"))
r = send(own, "PUT", "/api/v1/units/south", unit("south", name="South Coast"))
t.ok(r.status == 200 and q("SELECT name FROM units WHERE slug = 'south'") == "South Coast",
     "a waiting request is edited", r.text)
r = send(own, "PUT", "/api/v1/units/south", unit("south", purpose="x" * 4001))
t.eq(err(r), (422, "too_long", "purpose"), "with its fields checked")

# -- lists and counts -------------------------------------------------------
r = send(ida, "POST", "/api/v1/units/decisions",
         {"decision": "approve", "slugs": [f"u{i}" for i in range(101)]})
t.eq(err(r), (422, "too_many", "slugs"), "more than 100 in bulk is 422 too_many")
r = ida.post("/hub/queue/approve", {"csrf_token": ida.token, "slug": "Bad Slug"})
t.eq(r.status, 422, "the queue's form checks each address")

# -- what a page shows again ------------------------------------------------
anon = Client(s.port)
page = anon.get("/signup")
r = anon.post("/signup", {"csrf_token": anon.csrf(page.text), "name": "Neu",
                          "email": "neu@example.org", "password": "sesame-secret-1",
                          "password_confirm": "other"})
t.ok(r.status == 422 and 'value="neu@example.org"' in r.text and
     "sesame-secret-1" not in r.text, "a refused sign-up keeps the address, never the "
     "password", r.status)
page = anon.get("/login")
r = anon.post("/login", {"csrf_token": anon.csrf(page.text), "email": " own@example.org ",
                         "password": "wrong password here"})
t.ok(r.status == 401 and "wrong password here" not in r.text,
     "a failed login shows no password", r.status)
r = send(ida, "POST", "/api/v1/reason-codes", {"code": "Bad Code", "label": "L",
                                               "template": "T"})
t.eq(err(r), (422, "invalid", "code"), "a reason code with capitals is 422")
r = send(ida, "PUT", "/api/v1/approval-policy", {"domains": ["ok.example", 5]})
t.eq(err(r), (422, "invalid", "domains"), "a domain that is no text is 422")
r = send(ida, "PUT", "/api/v1/approval-policy", {"domains": ["OK.Example", "@ok.example"]})
t.ok(r.status == 200 and r.json()["domains"] == ["ok.example"],
     "domains are lower-cased, their @ dropped, each once", r.text)
