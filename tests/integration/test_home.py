"""test_home.py: the front page over real nginx and PostgreSQL, on the
demo data.  Anonymous, it is the visitors' page.  Signed in, it says what
needs the person: invitations addressed to their e-mail (whatever its
case; not accepted, not expired; never the token), requests waiting for
their decision (hub admins, delegated approvers; never their own), and
their units with their state (a request waiting for their changes says
so), in HTML and JSON.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, login, mail_to, PERSON_PW  # noqa: E402

t = TAP()
s = new_stack()
s.demo()


def home(c):
    return c.get("/", {"Accept": "application/json"}).json()


# -- visitors ----------------------------------------------------------------
r = Client(s.port).get("/")
t.ok(r.status == 200 and "Equip your units" in r.text and "Create an account" in r.text
     and "Your workspaces" not in r.text, "anonymous: the visitors' page")
t.eq(sorted(Client(s.port).get("/", {"Accept": "application/json"}).json()),
     ["site_name", "version"], "anonymous JSON: as before")

# -- an owner: their units, nothing to decide ---------------------------------
owner = login(s, "owner@demo.test")
r = owner.get("/")
t.ok(r.status == 200 and "Hello, Olu Owner" in r.text and "Equip your units" not in r.text,
     "signed in: the person's home, not the visitors' page", r.text[:500])
t.ok(re.search(r'href="/units/north-chapter">North Chapter</a> <span class="badge">approved</span>', r.text)
     and re.search(r'href="/units/old-chapter">Old Chapter</a> <span class="badge">archived</span>', r.text),
     "their units with their state")
t.ok("waiting for your decision" not in r.text and "Invitations waiting" not in r.text and
     "Nothing waits for you right now." in r.text, "nothing to decide, no invitation: said so")
j = home(owner)
t.eq([(u["slug"], u["state"], u["my_role"]) for u in j["units"]],
     [("north-chapter", "approved", "owner"), ("old-chapter", "archived", "owner"),
      ("south-franchise", "approved", "owner")], "JSON: their units, state and role")
t.ok(j["to_decide"] == [] and j["invitations"] == [], "JSON: nothing to decide, no invitation")

# -- a hub admin: every waiting request --------------------------------------
admin = login(s, "admin@demo.test")
r = admin.get("/")
t.ok("Requests waiting for your decision" in r.text and 'href="/units/east-dealership"' in r.text
     and 'href="/units/harbor-chapter"' in r.text and 'href="/hub/queue"' in r.text,
     "a hub admin: the waiting requests, with the queue", r.text[:3000])
t.eq([u["slug"] for u in home(admin)["to_decide"]], ["east-dealership", "harbor-chapter"],
     "JSON: oldest first")
t.ok("You have no workspace yet." in r.text, "and no workspace of their own")

# -- a delegate: the requests under their unit, and their own waiting changes -
region = login(s, "region@demo.test")
j = home(region)
t.eq([u["slug"] for u in j["to_decide"]], ["harbor-chapter"],
     "a delegated approver: only the request under their unit")
wm = [u for u in j["units"] if u["slug"] == "west-market"]
t.ok(wm and wm[0]["needs_changes"] is True and wm[0]["state"] == "changes_requested",
     "their request waiting for changes says so", wm)
r = region.get("/")
t.ok("The hub asks for changes" in r.text and 'href="/units/west-market/edit"' in r.text and
     "clearer purpose" in r.text, "with the link to edit it and the hub's reason")
author = login(s, "author@demo.test")
t.eq(home(author)["to_decide"], [], "a requester never finds their own request to decide")

# -- invitations addressed to them --------------------------------------------
PW = PERSON_PW
s.sh([s.binary, "--config", s.conf, "user", "add", "--email", "nia.new@example.org",
      "--name", "Nia New", "--password-stdin"], input=PW + "\n")
nia = login(s, "nia.new@example.org", PW)
last = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
r = owner.post_json("/api/v1/units/north-chapter/members",
                    {"email": "Nia.NEW@Example.org", "role": "guest", "expires_at": last},
                    {"X-CSRF-Token": owner.token})
t.eq(r.status, 201, "an owner invites Nia, her address written in another case")
owner.post_json("/api/v1/units/south-franchise/members",
                {"email": "someone.else@example.org", "role": "author"},
                {"X-CSRF-Token": owner.token})
r = owner.post_json("/api/v1/units/south-franchise/members",
                    {"email": "nia.new@example.org", "role": "editor"},
                    {"X-CSRF-Token": owner.token})
s.psql("UPDATE invitations SET expires_at = now() - interval '1 minute' "
       "WHERE lower(email) = 'nia.new@example.org' AND unit_id = "
       "(SELECT id FROM units WHERE slug = 'south-franchise')")
r = owner.post_json("/api/v1/units/south-franchise/members",
                    {"email": "nia.new@example.org", "role": "author"},
                    {"X-CSRF-Token": owner.token})
t.eq(r.status, 201, "the owner invites Nia to South Franchise again")
pend = owner.get("/api/v1/units/south-franchise/invitations").json()["invitations"]
rid = [i["id"] for i in pend if i["email"] == "nia.new@example.org"]
r = owner.send("DELETE", "/api/v1/units/south-franchise/invitations/%s" % (rid[0] if rid else 0),
               headers={"X-CSRF-Token": owner.token})
t.eq(r.status, 204, "and revokes it")
j = home(nia)
inv = j["invitations"]
t.ok(len(inv) == 1 and inv[0]["slug"] == "north-chapter" and inv[0]["unit"] == "North Chapter"
     and inv[0]["role"] == "guest" and inv[0]["inviter"] == "Olu Owner" and
     inv[0]["last_day"] == last and
     re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", inv[0]["expires_at"]),
     "Nia's home: her pending invitation (not someone else's, not an expired or revoked one)", inv)
t.eq(sorted(inv[0].keys()) if inv else [],
     ["expires_at", "inviter", "last_day", "role", "slug", "unit"], "and nothing more")
m = mail_to(s, "Nia.NEW@Example.org", "invites you to North Chapter")
body = m.get_body(("plain",)).get_content() if m else ""
tok = body.split("token=")[1][:43] if "token=" in body else ""
t.ok(len(tok) == 43, "the invitation was mailed with its link")
r = nia.get("/")
t.ok("Invitations waiting for you" in r.text and "North Chapter" in r.text and
     "Olu Owner invites you as guest" in r.text and "invitation e-mail" in r.text and
     re.search(r'The link expires <time datetime="[^"]+Z">[^<]+</time> \(in (6|7) days\)', r.text),
     "the page: who invites her to what, until when, and that the link is in her mail",
     r.text[:3000])
t.ok(tok and tok not in r.text and tok not in str(j) and "accept?token" not in r.text,
     "never the token or an accept link")
t.ok(home(author)["invitations"] == [] and home(owner)["invitations"] == [],
     "nobody else sees Nia's invitation on their home")
t.eq(s.psql("SELECT count(*) FROM ch_my_invitations()").stdout.strip(), "0",
     "the function answers nothing to a connection that acts for nobody")
r = nia.post_json("/api/v1/invitations/accept", {"token": tok}, {"X-CSRF-Token": nia.token})
t.eq(r.status, 200, "Nia accepts through the mailed link")
j = home(nia)
t.ok(j["invitations"] == [] and [u["slug"] for u in j["units"]] == ["north-chapter"],
     "an accepted invitation leaves her home; the unit takes its place", j)
