"""test_preview.py: preview links and the reviewers a review mode asks,
through real nginx, the FastCGI server and PostgreSQL.

A post's author makes an expiring link (JSON and page), shown once and
kept as a digest; an outside reviewer without an account reads the
current draft through it (not indexed, no Referer, not cached) and
comments under a typed name; the author lists and revokes links.  And
every attacker: a reviewer, a plain member, another unit's owner, a hub
communicator, a stranger making, listing or revoking links; a forwarded
link after it was revoked or expired (410), a withdrawn post, a
suspended unit, a malformed or unknown token (404), a comment flood
(429 with what was typed kept), a form without its CSRF token.
Reviewers asked by the unit's review mode when a post is made: peer
(editors), hub advisory (communicators), none; told in their inbox and
by e-mail; the hub's default mode and the owners' page for their own.
A decision on a unit reaches its requester's inbox.
"""

import datetime
import hashlib
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, mail_to, q as q_on, error_field,
    approved_unit)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def api(c, path, obj=None, method="POST"):
    return c.post_json(path, obj if obj is not None else {},
                       {"X-CSRF-Token": c.token}, method=method)


ann = person(s, "ann@example.org")        # owner of north
aut = person(s, "aut@example.org")        # an author in north: writes
eve = person(s, "eve@example.org")        # an editor in north: reviews
pat = person(s, "pat@example.org")        # a plain author in north
com = person(s, "com@example.org", "communicator")
bob = person(s, "bob@example.org")        # owner of south
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    approved_unit(t, who, ida, slug)
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('aut@example.org', 'author'), ('eve@example.org', 'editor'), "
  "('pat@example.org', 'author')) m (email, role) JOIN people p ON p.email = m.email "
  "JOIN units u ON u.slug = 'north'")

# -- Reviewers asked by the review mode -----------------------------------------

r = api(aut, "/api/v1/units/north/posts", {"title": "Quiet", "body": "Nothing yet."})
t.eq(r.status, 201, "a post in a unit of the default mode (none) is made")
t.eq(r.json().get("reviewers_asked"), [], "and nobody is asked")

r = api(ann, "/api/v1/units/north/review-mode", {"mode": "peer"}, "PUT")
t.eq(r.status, 200, "north's owner chooses peer review")
r = api(aut, "/api/v1/units/north/posts", {"title": "Fair <b>day</b>",
                                           "body": "The **fair** opens at nine."})
t.eq(r.status, 201, "in peer mode a post is made")
pid = r.json()["id"]
asked = [a["email"] for a in r.json()["reviewers_asked"]]
t.eq(asked, ["eve@example.org"], "the unit's editor is asked, not its owner nor the author")
r = eve.get("/api/v1/inbox")
t.ok(any(i.get("kind") == "review_request" and i.get("post") == pid
         for i in r.json().get("items", [])), "the editor finds the request in her inbox",
     r.body[:300])
m = mail_to(s, "eve@example.org", "asks for your review")
t.ok(m is not None and "review mode" in m.get_content()
     and f"/posts/{pid}" in m.get_content(),
     "and is told by e-mail why, with the post's address")

r = api(eve, "/api/v1/units/north/posts", {"title": "Mine", "body": "By the editor."})
t.eq([a["email"] for a in r.json()["reviewers_asked"]], ["ann@example.org"],
     "an editor's own post goes to the owner when no other editor is there")

r = api(ann, "/api/v1/units/north/review-mode", {"mode": "hub_advisory"}, "PUT")
r = api(pat, "/api/v1/units/north/posts", {"title": "Advice", "body": "Please advise."})
t.eq([a["email"] for a in r.json()["reviewers_asked"]], ["com@example.org"],
     "hub advisory: the hub's communicator is asked, not its admin")
t.ok(mail_to(s, "com@example.org", "asks for your review") is not None,
     "and told by e-mail")
r = api(ann, "/api/v1/units/north/review-mode", {"mode": "none"}, "PUT")

r = api(bob, "/api/v1/units/south/posts", {"title": "South", "body": "Elsewhere."})
t.eq(r.json().get("reviewers_asked"), [], "another unit's mode is its own (none)")
spid = r.json()["id"]

# -- Making links ---------------------------------------------------------------

before = q("SELECT count(*) FROM post_preview_links")
today = datetime.datetime.now(datetime.timezone.utc).date()
for label, val in (("today", today.isoformat()),
                   ("yesterday", (today - datetime.timedelta(days=1)).isoformat()),
                   ("91 days ahead", (today + datetime.timedelta(days=91)).isoformat()),
                   ("not a date", "soon"), ("a day that does not exist", "2031-02-30")):
    r = api(aut, f"/api/v1/posts/{pid}/preview-links", {"expires": val})
    t.eq(error_field(r), (422, "expires"), f"a last day {label} is 422 naming expires")
for who, name, want in ((eve, "an editor (a reviewer)", 403), (pat, "a plain author", 403),
                        (com, "a hub communicator", 403), (bob, "another unit's owner", 404)):
    r = api(who, f"/api/v1/posts/{pid}/preview-links", {})
    t.eq(r.status, want, f"{name} makes no link to someone else's post ({want})")
r = anon.post_json(f"/api/v1/posts/{pid}/preview-links", {})
t.eq(r.status, 401, "a stranger makes none (401)")
r = aut.post_json(f"/api/v1/posts/{pid}/preview-links", {})
t.eq(r.status, 403, "nor the author without the CSRF token")
t.eq(q("SELECT count(*) FROM post_preview_links"), before, "none of them wrote a link")

r = api(aut, f"/api/v1/posts/{pid}/preview-links", {})
t.eq(r.status, 201, "the author makes a link")
link = r.json()
t.ok(re.fullmatch(rf"http://127\.0\.0\.1:{s.port}/preview/[A-Za-z0-9_-]{{43}}", link["url"]),
     "its address holds a 43-character token", link["url"])
t.eq(link["expires_at"], (today + datetime.timedelta(days=15)).isoformat() + "T00:00:00Z",
     "without a last day it works for 14 days, to the end of the day (UTC)")
t.eq(r.headers.get("cache-control"), "no-store", "the answer holding the token is not cached")
token = link["url"].rsplit("/", 1)[1]
path = "/preview/" + token
t.eq(q(f"SELECT count(*) FROM post_preview_links WHERE id = {link['id']} AND "
       f"token_hash = '\\x{hashlib.sha256(token.encode()).hexdigest()}'"), "1",
     "only the token's SHA-256 is stored")
tomorrow = (today + datetime.timedelta(days=1)).isoformat()
r = api(aut, f"/api/v1/posts/{pid}/preview-links", {"expires": tomorrow})
t.eq((r.status, r.json().get("expires_at")),
     (201, (today + datetime.timedelta(days=2)).isoformat() + "T00:00:00Z"),
     "a link for tomorrow works through tomorrow")
link2 = r.json()
token2 = link2["url"].rsplit("/", 1)[1]
t.eq(q(f"SELECT count(*) FROM audit_log WHERE action = 'post.preview_link' "
       f"AND object_id = '{pid}'"), "2", "each link is in the audit log")

r = aut.get(f"/api/v1/posts/{pid}/preview-links")
t.eq((r.status, [x["state"] for x in r.json()["links"]]), (200, ["active", "active"]),
     "the author lists the post's links")
t.ok("url" not in r.json()["links"][0] and token not in r.text,
     "the list never shows a token again")
for who, name, want in ((eve, "an editor", 403), (com, "a hub communicator", 403),
                        (bob, "another unit's owner", 404)):
    t.eq(who.get(f"/api/v1/posts/{pid}/preview-links").status, want,
         f"{name} does not list them ({want})")

# -- The outside reviewer -------------------------------------------------------

guest = Client(s.port)
r = guest.get(path)
t.eq(r.status, 200, "someone without an account opens the link")
t.ok("<strong>fair</strong>" in r.text, "and reads the draft, rendered")
t.ok("Fair &lt;b&gt;day&lt;/b&gt;" in r.text and "<b>day</b>" not in r.text,
     "its title escaped")
t.eq(r.headers.get("x-robots-tag"), "noindex, nofollow, noarchive", "never indexed (header)")
t.ok('<meta name="robots" content="noindex' in r.text, "nor by the page's meta")
t.eq(r.headers.get("referrer-policy"), "no-referrer", "no Referer leaves the page")
t.eq(r.headers.get("cache-control"), "no-store", "nothing of it is cached")
csrf = guest.csrf(r.text)

r = guest.post(path, {"name": "Sam Rivers, Harbour Press", "body": "Say where the fair is.\nAnd when."})
t.eq(r.status, 403, "a comment without the form's CSRF token is refused")
r = guest.post(path, {"csrf_token": csrf, "name": "", "body": "Kept text"})
t.eq(r.status, 422, "a comment without a name is 422")
t.ok("Kept text" in r.text and "write your name" in r.text,
     "the form comes again with the comment kept and the name asked for")
r = guest.post(path, {"csrf_token": csrf, "name": "x" * 101, "body": "Kept"})
t.eq(r.status, 422, "a name over 100 characters is 422")
r = guest.post(path, {"csrf_token": csrf, "name": "Sam Rivers, Harbour Press",
                      "body": "Say where the <fair> is.\nAnd when."})
t.eq((r.status, r.headers.get("location")), (303, path + "?sent=1#sent"),
     "the reviewer comments under a typed name")
r = guest.get(path + "?sent=1")
t.ok("Say where the &lt;fair&gt; is." in r.text and "Sam Rivers, Harbour Press" in r.text
     and "your comment was sent" in r.text, "and sees it, escaped, with a thank-you")
t.eq(q(f"SELECT guest_name || '|' || (author_id IS NULL) FROM post_comments "
       f"WHERE post_id = {pid}"), "Sam Rivers, Harbour Press|true", "it is kept as a guest's comment")
r = aut.get("/api/v1/inbox")
t.ok(any(i.get("kind") == "comment" and i.get("post") == pid
         for i in r.json().get("items", [])), "the author finds it in the inbox")
r = api(eve, f"/api/v1/posts/{pid}/comments", {"body": "Internal note"})
t.eq(r.status, 201, "an editor comments inside the unit")
r = guest.get("/preview/" + token2)
t.ok("Internal note" not in r.text and "Sam Rivers, Harbour Press" not in r.text,
     "a link shows neither the unit's comments nor another link's")
t.ok("Internal note" not in guest.get(path).text, "not even on the first link")

t.eq(guest.get("/preview/short").status, 404, "a malformed token is 404")
t.eq(guest.get("/preview/" + "A" * 43).status, 404, "an unknown token is 404")
r = guest.post("/preview/" + "A" * 43, {"csrf_token": csrf, "name": "X", "body": "Y"})
t.eq(r.status, 404, "and takes no comment")

# A flood: 30 comments in the hour are the most one link takes.
q(f"INSERT INTO post_comments (unit_id, post_id, guest_name, preview_link_id, body) "
  f"SELECT unit_id, post_id, 'Bot', id, 'spam' FROM post_preview_links, "
  f"generate_series(1, 29) WHERE id = {link['id']}")
r = guest.post(path, {"csrf_token": csrf, "name": "Sam", "body": "My thirty-first word"})
t.eq(r.status, 429, "the 31st comment in an hour through one link is 429")
t.ok("My thirty-first word" in r.text and "30 comments an hour" in r.text,
     "with the form again and the comment kept")
t.ok(r.headers.get("retry-after") is not None, "and says when to try again")

# -- Revoking ---------------------------------------------------------------------

for who, name in ((eve, "an editor"), (com, "a hub communicator"), (bob, "another unit's owner")):
    r = api(who, f"/api/v1/preview-links/{link['id']}", None, "DELETE")
    t.eq(r.status, 404, f"{name} cannot revoke it (404)")
t.eq(guest.get(path).status, 200, "so it still works")
r = api(aut, f"/api/v1/preview-links/{link['id']}", None, "DELETE")
t.eq((r.status, r.json().get("changed")), (200, True), "the author revokes it")
r = api(aut, f"/api/v1/preview-links/{link['id']}", None, "DELETE")
t.eq((r.status, r.json().get("changed")), (200, False), "revoking again changes nothing")
r = guest.get(path)
t.eq(r.status, 410, "a revoked link is 410 for whoever holds it")
t.ok("revoked" in r.text and "fair" not in r.text, "and says so without the draft")
t.eq(r.headers.get("referrer-policy"), "no-referrer", "still without a Referer")
r = guest.post(path, {"csrf_token": csrf, "name": "Sam", "body": "Late"})
t.eq(r.status, 410, "and takes no comment")
t.eq(q(f"SELECT count(*) FROM audit_log WHERE action = 'post.preview_revoke' "
       f"AND object_id = '{pid}'"), "1", "the revocation is in the audit log, once")

# Expired: the second link's time is up.
q(f"UPDATE post_preview_links SET created_at = now() - interval '2 days', "
  f"expires_at = now() - interval '1 second' WHERE id = {link2['id']}")
r = guest.get("/preview/" + token2)
t.ok(r.status == 410 and "expired" in r.text, "an expired link is 410 and says so")
r = aut.get(f"/api/v1/posts/{pid}/preview-links")
t.eq(sorted(x["state"] for x in r.json()["links"]), ["expired", "revoked"],
     "the list shows one expired and one revoked")

# -- The author's page -------------------------------------------------------------

r = aut.get(f"/posts/{pid}/preview-links")
t.eq(r.status, 200, "the author's page of links")
pcsrf = aut.csrf(r.text)
r = aut.post(f"/posts/{pid}/preview-links", {"csrf_token": pcsrf, "expires": "yesterday"})
t.ok(r.status == 422 and 'aria-invalid="true"' in r.text, "a bad day is the form again")
r = aut.post(f"/posts/{pid}/preview-links", {"csrf_token": pcsrf, "expires": ""})
t.eq(r.status, 201, "the form makes a link")
m = re.search(r'value="(http://[^"]*/preview/([A-Za-z0-9_-]{43}))"', r.text)
t.ok(m is not None and "shown only this once" in r.text, "and shows its address once")
ptoken = m.group(2) if m else ""
t.eq(guest.get("/preview/" + ptoken).status, 200, "which opens the draft")
lid = q(f"SELECT id FROM post_preview_links WHERE post_id = {pid} AND revoked_at IS NULL "
        "AND expires_at > now()")
r = eve.get(f"/posts/{pid}/preview-links")
t.eq(r.status, 403, "an editor does not see the page (403)")
r = eve.post(f"/preview-links/{lid}/revoke", {"csrf_token": eve.csrf(eve.get("/units").text)})
t.eq(r.status, 404, "nor revokes by its form (404)")
r = aut.post(f"/preview-links/{lid}/revoke", {"csrf_token": pcsrf})
t.eq((r.status, r.headers.get("location")), (303, f"/posts/{pid}/preview-links?revoked=1"),
     "the author revokes it by its form")
t.eq(guest.get("/preview/" + ptoken).status, 410, "and it is gone")

# -- States of the post and the unit ----------------------------------------------

r = api(aut, f"/api/v1/posts/{pid}/preview-links", {})
live = r.json()["url"].rsplit("/", 1)[1]
q("UPDATE units SET state = 'suspended' WHERE slug = 'north'")
t.eq(guest.get("/preview/" + live).status, 410, "a suspended unit's drafts are not previewed")
r = api(aut, f"/api/v1/posts/{pid}/preview-links", {})
t.eq(r.status, 403, "and take no new link")
q("UPDATE units SET state = 'approved' WHERE slug = 'north'")
t.eq(guest.get("/preview/" + live).status, 200, "reinstated, the link works again")
t.eq(api(aut, f"/api/v1/posts/{pid}/publish", {}).status, 200, "the post is published")
t.eq(api(aut, f"/api/v1/posts/{pid}/withdraw", {}).status, 200, "and withdrawn")
t.eq(guest.get("/preview/" + live).status, 410, "a withdrawn post is no longer previewed")
r = api(aut, f"/api/v1/posts/{pid}/preview-links", {})
t.eq((r.status, r.json()["error"]["code"]), (409, "illegal_transition"),
     "and takes no link (409)")
t.eq(api(bob, f"/api/v1/posts/{spid}/preview-links", {}).status, 201,
     "while another unit's owner links their own post")


# -- The hub's default review mode, and the owners' page ----------------------

r = ann.get("/api/v1/review-policy")
t.ok(r.status == 200 and r.json()["default_mode"] == "none" and r.json()["updated_by"] is None,
     "anyone signed in reads the hub's default mode (none), without who set it", r.text)
t.eq(anon.get("/api/v1/review-policy").status, 401, "a stranger does not")
for who, name in ((ann, "a unit owner"), (com, "a hub communicator")):
    r = api(who, "/api/v1/review-policy", {"default_mode": "peer"}, "PUT")
    t.eq(r.status, 403, f"{name} does not set it (403)")
r = api(ida, "/api/v1/review-policy", {"default_mode": "sometimes"}, "PUT")
t.eq(error_field(r), (422, "default_mode"), "a mode that is none of the three is 422")
t.eq(q("SELECT default_mode FROM review_policy"), "none", "nothing changed")
r = api(ida, "/api/v1/review-policy", {"default_mode": "hub_advisory"}, "PUT")
t.ok(r.status == 200 and r.json()["default_mode"] == "hub_advisory"
     and r.json()["updated_by"] == "Ida", "a hub admin sets it", r.text)
t.eq(q("SELECT before->>'default_mode' || '>' || (after->>'default_mode') FROM audit_log "
       "WHERE action = 'policy.review_mode'"), "none>hub_advisory", "audited with before and after")
r = api(bob, "/api/v1/units/south/posts", {"title": "South two", "body": "Follows the hub."})
t.eq([a["email"] for a in r.json()["reviewers_asked"]], ["com@example.org"],
     "a unit without a mode of its own follows the hub's default")
r = api(aut, "/api/v1/units/north/posts", {"title": "North two", "body": "Its own mode."})
t.eq(r.json()["reviewers_asked"], [], "a unit that chose its own (none) keeps it")

page = ida.get("/hub/policy")
t.ok(page.status == 200 and "Default review mode" in page.text and
     re.search(r'value="hub_advisory" checked', page.text) is not None,
     "the hub's policy page shows the default, chosen")
r = ida.post("/hub/review-policy", {"csrf_token": ida.csrf(page.text), "default_mode": "none"})
t.eq((r.status, r.headers.get("location")), (303, "/hub/policy?saved=review#review"),
     "and sets it by its form")
t.eq(q("SELECT default_mode FROM review_policy"), "none", "which is saved")
r = ann.post("/hub/review-policy", {"csrf_token": ann.csrf(ann.get("/units").text),
                                    "default_mode": "peer"})
t.ok(r.status in (403, 404) and q("SELECT default_mode FROM review_policy") == "none",
     "a unit owner cannot post that form", r.status)

page = ann.get("/units/north")
t.ok("/units/north/review-mode" in page.text, "the owner finds the review mode on the unit page")
page = ann.get("/units/north/review-mode")
t.ok(page.status == 200 and 'value="none" checked' in page.text,
     "the owner's page shows north's mode", page.text[:200])
for who, name in ((eve, "an editor"), (aut, "an author"), (bob, "another unit's owner"),
                  (ida, "a hub admin")):
    r = who.get("/units/north/review-mode")
    t.ok(r.status in (403, 404), f"{name} does not get the page ({r.status})")
    r = who.post("/units/north/review-mode", {"csrf_token": who.csrf(who.get("/units").text),
                                              "mode": "peer"})
    t.ok(r.status in (403, 404), f"{name} does not change it by the form ({r.status})")
t.eq(q("SELECT mode FROM unit_review_modes m JOIN units u ON u.id = m.unit_id "
       "WHERE u.slug = 'north'"), "none", "north's mode is unchanged")
r = ann.post("/units/north/review-mode", {"csrf_token": ann.csrf(page.text), "mode": "peer"})
t.eq((r.status, r.headers.get("location")), (303, "/units/north/review-mode?saved=1"),
     "the owner chooses peer review by the form")
t.ok('value="peer" checked' in ann.get("/units/north/review-mode?saved=1").text,
     "and sees it chosen")
r = ann.post("/units/north/review-mode", {"mode": "none"})
t.eq(r.status, 403, "the form without its CSRF token is refused")
t.eq(q("SELECT mode FROM unit_review_modes m JOIN units u ON u.id = m.unit_id "
       "WHERE u.slug = 'north'"), "peer", "and changes nothing")

# -- Decisions on one's units reach the inbox ----------------------------------

r = api(pat, "/api/v1/units", {"name": "East", "slug": "east", "kind": "chapter",
                               "purpose": "Tell the east.", "audience": "Everyone",
                               "channels": ["blog"]})
t.eq(r.status, 201, "pat requests a unit")
r = api(ida, "/api/v1/units/east/decision", {"decision": "approve"})
t.eq(r.status, 200, "a hub admin approves it")
items = [i for i in pat.get("/api/v1/inbox").json()["items"] if i["kind"] == "unit_decision"]
t.ok(len(items) == 1 and items[0]["unit"] == "east" and items[0]["actor"] == "Ida"
     and not items[0]["read"], "the decision waits, unread, in the requester's inbox", items)
t.eq([i for i in ida.get("/api/v1/inbox").json()["items"] if i["kind"] == "unit_decision"],
     [], "not in the inbox of the admin who decided")
t.eq([i for i in bob.get("/api/v1/inbox").json()["items"] if i["kind"] == "unit_decision"
      and i["unit"] == "east"], [], "nor of anyone else")
