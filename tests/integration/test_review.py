"""test_review.py: reviewing posts by suggestion through real nginx, the
FastCGI server and PostgreSQL: suggestions with spans in code points,
carried to the latest revision or outdated, accepted (a new revision
crediting the reviewer) and declined; comment threads, resolved by the
author; review requests mailed and put in the inbox; the inbox read one
by one and all at once; a unit's review mode.  And every attacker: a
post of another unit (404), a withdrawn post (409), a span outside the
text (422), accepting twice (409), a plain author suggesting (403),
someone other than the author accepting, declining or resolving (403 or
404), nothing written by any of them.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, mail_to, q as q_on, err, send as post,
    approved_unit)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


ann = person(s, "ann@example.org")        # owner of north
aut = person(s, "aut@example.org")        # an author in north: writes the post
eve = person(s, "eve@example.org")        # an editor in north: reviews
pat = person(s, "pat@example.org")        # a plain author in north
hub = person(s, "hub@example.org", "communicator")
bob = person(s, "bob@example.org")        # owner of south, another unit
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    approved_unit(t, who, ida, slug)

q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('aut@example.org', 'author'), ('eve@example.org', 'editor'), "
  "('pat@example.org', 'author')) m (email, role) JOIN people p ON p.email = m.email "
  "JOIN units u ON u.slug = 'north'")

BODY = "Café 🎉 opens at nine. The quick brown fox jumps over the lazy dog."


def new_post(slug, author, title, body):
    """A post with its first revision, written as the schema owner."""
    pid = q(f"INSERT INTO posts (unit_id, author_id) SELECT u.id, p.id FROM units u, "
            f"people p WHERE u.slug = '{slug}' AND p.email = '{author}' RETURNING id")
    pid = pid.splitlines()[0]
    q(f"INSERT INTO post_revisions (unit_id, post_id, author_id, title, body) "
      f"SELECT unit_id, id, author_id, '{title}', '{body}' FROM posts WHERE id = {pid}")
    return pid


def save(pid, body):
    """A new revision by the post's author, as a save would write it."""
    q(f"INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body) "
      f"SELECT unit_id, id, revision, author_id, title, '{body}' FROM posts "
      f"WHERE id = {pid}")


P = new_post("north", "aut@example.org", "Opening", BODY)
PB = new_post("south", "bob@example.org", "South news", "Bob writes here.")
PW = new_post("north", "aut@example.org", "Old news", "This was withdrawn.")
q(f"UPDATE posts SET state = 'published' WHERE id = {PW}")
q(f"UPDATE posts SET state = 'withdrawn' WHERE id = {PW}")


def span(text, word, rev=1, repl="", comment=None):
    i = text.index(word)
    d = {"revision": rev, "start": i, "end": i + len(word), "replacement": repl}
    if comment is not None:
        d["comment"] = comment
    return d


def suggestions(c, pid):
    r = c.get(f"/api/v1/posts/{pid}/suggestions")
    return {x["id"]: x for x in r.json()["suggestions"]} if r.status == 200 else r.status


def rows(table):
    return q(f"SELECT count(*) FROM {table}")


# -- suggesting --------------------------------------------------------------
r = post(eve, f"/api/v1/posts/{P}/suggestions", span(BODY, "nine", repl="ten",
                                                    comment="It opens at ten now."))
t.eq(r.status, 201, "an editor suggests: 201")
s1 = r.json()
t.ok(s1.get("original") == "nine" and s1.get("replacement") == "ten"
     and s1.get("state") == "open" and s1.get("author") == {"name": "Eve"},
     "the suggestion shows the text of its span in code points (after an emoji)", r.text)
t.eq(q(f"SELECT span_start || '-' || span_end FROM post_suggestions WHERE id = {s1['id']}"),
     "%d-%d" % (BODY.index("nine"), BODY.index("nine") + 4), "and is stored with those offsets")

r = post(hub, f"/api/v1/posts/{P}/suggestions", span(BODY, "lazy "))
t.eq(r.status, 201, "a hub communicator suggests a deletion: 201")
s2 = r.json()
r = post(eve, f"/api/v1/posts/{P}/suggestions", span(BODY, "brown", repl="red"))
s3 = r.json()
i = BODY.index("fox")
r = post(eve, f"/api/v1/posts/{P}/suggestions",
         {"revision": 1, "start": i, "end": i, "replacement": "sly "})
t.eq(r.status, 201, "an insertion (an empty span) is a suggestion")
s4 = r.json()
i = BODY.index(".")
r = post(eve, f"/api/v1/posts/{P}/suggestions",
         {"revision": 1, "start": i + 1, "end": i + 2, "replacement": "  "})
t.ok(r.status == 201 and r.json()["replacement"] == "  ",
     "a replacement of white space alone is kept as sent", r.text)
s5 = r.json()
t.eq(q(f"SELECT count(*) FROM inbox_items i JOIN people p ON p.id = i.person_id "
       f"WHERE p.email = 'aut@example.org' AND i.kind = 'suggestion'"), "5",
     "the author finds each suggestion in their inbox")

# -- bad input and attackers: each a clear error, nothing written ------------
before = rows("post_suggestions")
n = len(BODY)
for who, path, body, want, name in [
        (eve, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": n, "end": n + 1,
                                                 "replacement": "x"},
         (422, "invalid", "end"), "a span ending after the text"),
        (eve, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": n + 5, "end": n + 5,
                                                 "replacement": "x"},
         (422, "invalid", "end"), "a span starting after the text"),
        (eve, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": 5, "end": 3},
         (422, "invalid", "end"), "a span ending before its start"),
        (eve, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": -1, "end": 3},
         (422, "invalid", "start"), "a negative start"),
        (eve, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": 3, "end": 3},
         (422, "invalid", "replacement"), "an empty span without a replacement"),
        (eve, f"/api/v1/posts/{P}/suggestions", {"revision": 9, "start": 0, "end": 1},
         (422, "invalid", "revision"), "a revision the post does not have"),
        (eve, f"/api/v1/posts/{P}/suggestions", {"start": 0, "end": 1},
         (422, "missing", "revision"), "no revision"),
        (eve, f"/api/v1/posts/{PB}/suggestions", {"revision": 1, "start": 0, "end": 3},
         (404, "not_found", None), "a suggestion on another unit's post"),
        (bob, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": 0, "end": 3},
         (404, "not_found", None), "another unit's owner suggesting"),
        (eve, "/api/v1/posts/99999/suggestions", {"revision": 1, "start": 0, "end": 3},
         (404, "not_found", None), "a post that does not exist"),
        (eve, "/api/v1/posts/x1/suggestions", {"revision": 1, "start": 0, "end": 3},
         (404, "not_found", None), "a post id that is no number"),
        (eve, f"/api/v1/posts/{PW}/suggestions", {"revision": 1, "start": 0, "end": 4},
         (409, "withdrawn", None), "a suggestion on a withdrawn post"),
        (pat, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": 0, "end": 4,
                                                 "replacement": "x"},
         (403, "forbidden", None), "a plain author of the unit suggesting"),
        (aut, f"/api/v1/posts/{P}/suggestions", {"revision": 1, "start": 0, "end": 4,
                                                 "replacement": "x"},
         (403, "forbidden", None), "the post's own author suggesting (an author, not editor)")]:
    r = post(who, path, body)
    t.eq(err(r), want, f"{name} is {want[0]}")
r = eve.post_json(f"/api/v1/posts/{P}/suggestions", span(BODY, "nine", repl="ten"))
t.eq(r.status, 403, "a suggestion without X-CSRF-Token is 403")
r = anon.post_json(f"/api/v1/posts/{P}/suggestions", span(BODY, "nine", repl="ten"))
t.eq(r.status, 401, "an anonymous suggestion is 401")
t.eq(rows("post_suggestions"), before, "and none of them wrote a suggestion")
t.eq(bob.get(f"/api/v1/posts/{P}/suggestions").status, 404,
     "another unit's owner does not see the suggestions (404)")

# -- accepting ---------------------------------------------------------------
for who, status, name in [(pat, 403, "a plain author of the unit"),
                          (eve, 403, "the reviewer who suggested it"),
                          (bob, 404, "another unit's owner")]:
    r = post(who, f"/api/v1/suggestions/{s1['id']}/accept", None)
    t.eq(r.status, status, f"{name} accepting is {status}")
t.eq(q(f"SELECT revision FROM posts WHERE id = {P}"), "1", "and no revision was written")

r = post(aut, f"/api/v1/suggestions/{s1['id']}/accept", None)
t.eq(r.status, 200, "the author accepts: 200")
acc = r.json()
BODY2 = BODY.replace("nine", "ten")
t.ok(acc.get("revision") == 2 and acc.get("body") == BODY2 and acc.get("id") == int(P)
     and acc.get("suggestion", {}).get("credited") == {"name": "Eve"},
     "with the new revision, its body changed, crediting the reviewer", r.text)
t.eq(q(f"SELECT r.body = '{BODY2}' AND p.email = 'aut@example.org' AND "
       f"s.state = 'accepted' AND s.accepted_revision = 2 FROM post_revisions r "
       f"JOIN people p ON p.id = r.author_id JOIN post_suggestions s "
       f"ON s.id = {s1['id']} WHERE r.post_id = {P} AND r.number = 2"), "t",
     "the revision is the author's and the suggestion names it")
r = post(aut, f"/api/v1/suggestions/{s1['id']}/accept", None)
t.eq(err(r)[:2], (409, "decided"), "accepting twice is 409")
t.eq(q(f"SELECT revision FROM posts WHERE id = {P}"), "2", "and writes nothing")

# A later save changes "brown": s3 is outdated, the others move.
BODY3 = BODY2.replace("brown", "grey")
save(P, BODY3)
lst = suggestions(eve, P)
t.ok(lst[s2["id"]]["outdated"] is False and lst[s2["id"]]["current"] == {
    "revision": 3, "start": BODY3.index("lazy "), "end": BODY3.index("lazy ") + 5},
     "the listing carries an open suggestion to the latest revision", lst[s2["id"]])
t.ok(lst[s3["id"]]["outdated"] is True and lst[s3["id"]]["current"] is None,
     "and marks outdated one whose text was changed", lst[s3["id"]])
t.ok(lst[s1["id"]]["state"] == "accepted" and "outdated" not in lst[s1["id"]],
     "a decided suggestion is shown as decided", lst[s1["id"]])
t.eq(hub.get(f"/api/v1/posts/{P}/suggestions").status, 200, "a hub communicator lists them")

r = post(aut, f"/api/v1/suggestions/{s3['id']}/accept", None)
t.eq(err(r)[:2], (409, "outdated"), "accepting an outdated suggestion is 409 outdated")
r = post(aut, f"/api/v1/suggestions/{s2['id']}/accept", None)
BODY4 = BODY3.replace("lazy ", "")
t.ok(r.status == 200 and r.json()["revision"] == 4 and r.json()["body"] == BODY4,
     "a suggestion made two revisions ago is carried and applied", r.text)
r = post(aut, f"/api/v1/suggestions/{s5['id']}/accept", None)
BODY5 = BODY4[:BODY4.index(".") + 1] + "  " + BODY4[BODY4.index(".") + 2:]
t.ok(r.status == 200 and r.json()["body"] == BODY5, "white space is replaced as suggested", r.text)

# -- declining ---------------------------------------------------------------
r = post(eve, f"/api/v1/suggestions/{s4['id']}/decline", {"reply": "Not sly."})
t.eq(err(r)[:2], (403, "forbidden"), "the reviewer declining is 403")
r = post(bob, f"/api/v1/suggestions/{s4['id']}/decline", {})
t.eq(r.status, 404, "another unit's owner declining is 404")
r = post(aut, f"/api/v1/suggestions/{s4['id']}/decline", {"reply": "The fox stays plain."})
t.ok(r.status == 200 and r.json()["state"] == "declined"
     and r.json()["reply"] == "The fox stays plain.", "the author declines with a reply", r.text)
r = post(aut, f"/api/v1/suggestions/{s4['id']}/decline", {})
t.eq(err(r)[:2], (409, "decided"), "declining twice is 409")
r = post(aut, f"/api/v1/suggestions/{s4['id']}/accept", None)
t.eq(err(r)[:2], (409, "decided"), "accepting a declined suggestion is 409")
t.eq(q(f"SELECT revision FROM posts WHERE id = {P}"), "5", "and writes no revision")
t.eq(q("SELECT string_agg(i.kind, ',' ORDER BY i.id) FROM inbox_items i JOIN people p "
       "ON p.id = i.person_id WHERE p.email = 'eve@example.org'"),
     "decision,decision,decision", "the reviewer is told of each decision in the inbox")

# -- comments ----------------------------------------------------------------
r = post(eve, f"/api/v1/posts/{P}/comments", {"body": "Lovely opening.\nOne thing: the time?"})
t.eq(r.status, 201, "a reviewer comments on the post: 201")
c1 = r.json()
t.ok(c1.get("body") == "Lovely opening.\nOne thing: the time?" and c1.get("start") is None
     and c1.get("resolved") is False, "a comment on the post has no span", r.text)
r = post(aut, f"/api/v1/posts/{P}/comments", {"body": "Ten, fixed.", "reply_to": c1["id"]})
t.eq(r.status, 201, "the author answers in the thread")
c2 = r.json()
i = BODY5.index("fox")
r = post(hub, f"/api/v1/posts/{P}/comments", {"body": "Which fox?", "start": i, "end": i + 3})
t.ok(r.status == 201 and r.json()["revision"] == 5 and r.json()["start"] == i,
     "a comment on a span is on the latest revision unless told", r.text)
c3 = r.json()
r = post(pat, f"/api/v1/posts/{P}/comments", {"body": "A member may comment too.",
                                              "start": 0, "end": 4, "revision": 1})
t.ok(r.status == 201 and r.json()["revision"] == 1, "a span of an older revision", r.text)
t.eq(q("SELECT count(*) FROM inbox_items i JOIN people p ON p.id = i.person_id "
       "WHERE p.email = 'eve@example.org' AND i.kind = 'reply'"), "1",
     "the one answered finds the reply in the inbox")

before = rows("post_comments")
C_PB = q(f"INSERT INTO post_comments (unit_id, post_id, author_id, body) SELECT unit_id, id, "
         f"author_id, 'on b' FROM posts WHERE id = {PB} RETURNING id").splitlines()[0]
before = rows("post_comments")
for who, path, body, want, name in [
        (eve, f"/api/v1/posts/{P}/comments", {"body": "x", "start": 0, "end": n + 5},
         (422, "invalid", "end"), "a span outside the text"),
        (eve, f"/api/v1/posts/{P}/comments", {"body": "x", "start": 3},
         (422, "invalid", "end"), "a start without an end"),
        (eve, f"/api/v1/posts/{P}/comments", {"body": "x", "revision": 1},
         (422, "invalid", "revision"), "a revision without a span"),
        (eve, f"/api/v1/posts/{P}/comments", {"body": "   "},
         (422, "missing", "body"), "an empty comment"),
        (eve, f"/api/v1/posts/{P}/comments", {"body": "x", "reply_to": C_PB},
         (422, "invalid", "reply_to"), "a reply to another unit's comment"),
        (eve, f"/api/v1/posts/{PW}/comments", {"body": "x", "reply_to": c1["id"]},
         (422, "invalid", "reply_to"), "a reply to a comment on another post"),
        (eve, f"/api/v1/posts/{PB}/comments", {"body": "x"},
         (404, "not_found", None), "a comment on another unit's post"),
        (bob, f"/api/v1/posts/{P}/comments", {"body": "x"},
         (404, "not_found", None), "another unit's owner commenting")]:
    r = post(who, path, body)
    t.eq(err(r), want, f"{name} is {want[0]}")
t.eq(rows("post_comments"), before, "and none of them wrote a comment")

r = eve.get(f"/api/v1/posts/{P}/comments")
t.eq([c["id"] for c in r.json()["comments"]][:3], [c1["id"], c2["id"], c3["id"]],
     "the comments are listed oldest first")
t.eq(r.json()["comments"][1]["reply_to"], c1["id"], "with the thread they answer")
t.eq(bob.get(f"/api/v1/posts/{P}/comments").status, 404,
     "another unit's owner does not see them (404)")

for who, status, name in [(eve, 403, "the commenter"), (pat, 403, "a plain author"),
                          (bob, 404, "another unit's owner")]:
    r = post(who, f"/api/v1/comments/{c1['id']}/resolve", None)
    t.eq(r.status, status, f"{name} resolving is {status}")
t.eq(q(f"SELECT resolved_at IS NULL FROM post_comments WHERE id = {c1['id']}"), "t",
     "and the comment stays open")
r = post(aut, f"/api/v1/comments/{c1['id']}/resolve", None)
t.ok(r.status == 200 and r.json()["resolved"] is True, "the author resolves it", r.text)
r = post(aut, f"/api/v1/comments/{c1['id']}/resolve", None)
t.eq(err(r)[:2], (409, "resolved"), "resolving twice is 409")
t.eq(post(aut, "/api/v1/comments/99999/resolve", None).status, 404,
     "resolving no comment is 404")

# -- review requests ---------------------------------------------------------
before = rows("post_review_requests")
for who, body, want, name in [
        (aut, {"reviewers": ["pat@example.org"]}, (422, "invalid", "reviewers"),
         "asking a plain author"),
        (aut, {"reviewers": ["eve@example.org", "nobody@example.org"]},
         (422, "invalid", "reviewers"), "asking someone with no account"),
        (aut, {"reviewers": ["not an address"]}, (422, "invalid", "reviewers"),
         "an address that is none"),
        (aut, {"reviewers": []}, (422, "missing", "reviewers"), "nobody"),
        (pat, {"reviewers": ["eve@example.org"]}, (403, "forbidden", None),
         "a plain author asking on another's post"),
        (bob, {"reviewers": ["eve@example.org"]}, (404, "not_found", None),
         "another unit's owner asking")]:
    r = post(who, f"/api/v1/posts/{P}/review-requests", body)
    t.eq(err(r), want, f"{name} is {want[0]}")
t.eq(rows("post_review_requests"), before, "and none of them asked anyone")
r = post(aut, f"/api/v1/posts/{P}/review-requests",
         {"reviewers": ["Eve@Example.org", "hub@example.org"]})
t.eq(r.status, 201, "the author asks an editor and a hub communicator: 201")
t.eq(sorted(x["email"] for x in r.json().get("requested", [])),
     ["eve@example.org", "hub@example.org"], "and the answer names both")
for who in ("eve@example.org", "hub@example.org"):
    m = mail_to(s, who, "asks for your review")
    t.ok(m is not None and '"Opening"' in m.get_body(("plain",)).get_content()
         and f"/posts/{P}" in m.get_body(("plain",)).get_content(),
         f"{who} is mailed the request with the post's title and a link")
r = post(aut, f"/api/v1/posts/{P}/review-requests", {"reviewers": ["eve@example.org"]})
t.eq(err(r)[:2], (409, "asked"), "asking the same reviewer again is 409")

# -- the inbox ---------------------------------------------------------------
r = eve.get("/api/v1/inbox")
box = r.json()
kinds = [i["kind"] for i in box["items"]]
t.ok(r.status == 200 and box["unread"] == 5 and sorted(kinds) == [
    "decision", "decision", "decision", "reply", "review_request"],
     "the inbox lists what asks for attention, all unread", box)
rr = [i for i in box["items"] if i["kind"] == "review_request"][0]
t.ok(rr["post"] == int(P) and rr["title"] == "Opening" and rr["unit"] == "north"
     and rr["actor"] == "Aut" and rr["read"] is False, "a review request names post, unit and asker", rr)
r = post(bob, "/api/v1/inbox/read", {"ids": [rr["id"]]})
t.ok(r.status == 200 and r.json()["read"] == [], "someone else marks nothing of it read", r.text)
r = post(eve, "/api/v1/inbox/read", {"ids": [rr["id"]]})
t.ok(r.status == 200 and r.json() == {"read": [rr["id"]], "unread": 4},
     "its owner marks one item read", r.text)
box = eve.get("/api/v1/inbox").json()
t.ok(box["unread"] == 4 and box["items"][-1]["id"] == rr["id"] and box["items"][-1]["read"],
     "which then comes after the unread ones", box)
t.eq(err(post(eve, "/api/v1/inbox/read", {})), (422, "missing", "ids"),
     "marking nothing is 422")
t.eq(err(post(eve, "/api/v1/inbox/read", {"ids": ["x"]}))[::2], (422, "ids"),
     "an id that is no number is 422")
r = post(eve, "/api/v1/inbox/read", {"all": True})
t.ok(r.status == 200 and len(r.json()["read"]) == 4 and r.json()["unread"] == 0,
     "all read", r.text)
t.eq(eve.get("/api/v1/inbox").json()["unread"], 0, "and nothing is left unread")
t.eq(q("SELECT count(*) FROM inbox_items i JOIN people p ON p.id = i.person_id "
       "WHERE p.email = 'hub@example.org' AND i.read_at IS NULL"), "2",
     "another person's inbox is untouched")
t.eq(anon.get("/api/v1/inbox").status, 401, "an anonymous inbox is 401")

# -- review mode -------------------------------------------------------------
for who, body, want, name in [
        (aut, {"mode": "peer"}, 403, "an author"),
        (eve, {"mode": "peer"}, 403, "an editor"),
        (bob, {"mode": "peer"}, 404, "another unit's owner"),
        (ann, {"mode": "strict"}, 422, "an unknown mode")]:
    r = post(who, "/api/v1/units/north/review-mode", body, method="PUT")
    t.eq(r.status, want, f"{name} setting the review mode is {want}")
t.eq(q("SELECT count(*) FROM unit_review_modes"), "0", "and none of them set it")
r = post(ann, "/api/v1/units/north/review-mode", {"mode": "peer"}, method="PUT")
t.ok(r.status == 200 and r.json() == {"slug": "north", "mode": "peer"},
     "the owner chooses peer review", r.text)
r = post(ann, "/api/v1/units/north/review-mode", {"mode": "hub_advisory"}, method="PUT")
t.eq(q("SELECT ch_review_mode(id) FROM units WHERE slug = 'north'"), "hub_advisory",
     "and changes it again")
t.eq(q("SELECT string_agg((before->>'mode') || '>' || (after->>'mode'), ',' ORDER BY id) "
       "FROM audit_log WHERE action = 'unit.review_mode'"), "none>peer,peer>hub_advisory",
     "each choice is audited with before and after")
r = post(ida, "/api/v1/units/north/review-mode", {"mode": "none"}, method="PUT")
t.eq(r.status, 403, "a hub admin does not choose a unit's review mode (403)")

# -- more bad input ----------------------------------------------------------
before = rows("post_comments") + rows("post_review_requests")
r = post(eve, f"/api/v1/posts/{P}/comments", {"body": "x", "start": 0, "end": 1, "revision": 99})
t.eq(err(r), (422, "invalid", "revision"), "a comment on a revision the post lacks is 422")
r = post(aut, f"/api/v1/posts/{P}/review-requests",
         {"reviewers": [f"r{i}@example.org" for i in range(21)]})
t.eq(err(r), (422, "too_many", "reviewers"), "more than 20 reviewers at once is 422")
t.eq(rows("post_comments") + rows("post_review_requests"), before, "and nothing is written")

# -- a suspended unit: read, but nobody suggests, comments or chooses ---------
r = post(ida, "/api/v1/units/north/decision", {"decision": "suspend", "reason": "A pause."})
t.eq(r.status, 200, "the hub suspends north")
before = rows("post_suggestions") + rows("post_comments")
r = post(eve, f"/api/v1/posts/{P}/suggestions", span(BODY5, "fox", rev=5, repl="cat"))
t.eq(err(r)[:2], (403, "forbidden"), "an editor's suggestion in a suspended unit is 403")
r = post(eve, f"/api/v1/posts/{P}/comments", {"body": "Still there?"})
t.eq(err(r)[:2], (403, "forbidden"), "so is a comment")
r = post(aut, f"/api/v1/suggestions/{s3['id']}/decline", {})
t.eq(err(r)[:2], (403, "forbidden"), "and the author declines nothing")
t.eq(rows("post_suggestions") + rows("post_comments"), before, "nothing was written")
t.eq(q(f"SELECT state FROM post_suggestions WHERE id = {s3['id']}"), "open",
     "and the suggestion stays open")
t.eq(eve.get(f"/api/v1/posts/{P}/suggestions").status, 200, "while members still read them")
r = post(ann, "/api/v1/units/north/review-mode", {"mode": "peer"}, method="PUT")
t.eq(r.status, 409, "the owner of a suspended unit chooses no review mode (409)")
