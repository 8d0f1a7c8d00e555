"""test_posts.py: the posts API over real nginx, the FastCGI server and
PostgreSQL: drafting, saving with If-Match (412 with the current revision
and the text sent; of two saves from one base exactly one wins), the
revisions and the word diff between them, publishing now or at a time
(never blocked by open suggestions), withdrawing, the audit log; and
every attacker: another unit's member, a removed member, a reviewer's
PUT, a stale or missing If-Match, a 1 MB body, a schedule in the past, an
edit of a withdrawn post, a guest past their last day, a suspended and an
archived unit.
"""

import json
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, err, send as post)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def put(c, pid, obj, rev=None, headers=None):
    h = {"X-CSRF-Token": c.token}
    if rev is not None:
        h["If-Match"] = '"%s"' % rev
    h.update(headers or {})
    return c.post_json(f"/api/v1/posts/{pid}", obj, h, method="PUT")


def counts():
    return q("SELECT (SELECT count(*) FROM posts) || '/' || "
             "(SELECT count(*) FROM post_revisions) || '/' || "
             "(SELECT count(*) FROM post_publications)")


def audit(action):
    return q(f"SELECT string_agg(object_id, ',' ORDER BY id) FROM audit_log "
             f"WHERE action = '{action}'")


ANN, ED, AU, GU, OLD, REM = ("ann@example.org", "ed@example.org", "au@example.org",
                             "gu@example.org", "old@example.org", "rem@example.org")
ann, ed, au, gu, old, rem = (person(s, m) for m in (ANN, ED, AU, GU, OLD, REM))
bob = person(s, "bob@example.org")
hub = person(s, "hub@example.org", "communicator")
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

UNIT = {"kind": "chapter", "purpose": "News of the town.", "audience": "Everyone"}
post(ann, "/api/v1/units", dict(UNIT, name="North", slug="north"))
post(bob, "/api/v1/units", dict(UNIT, name="South", slug="south"))
for slug in ("north", "south"):
    post(ida, f"/api/v1/units/{slug}/decision", {"decision": "approve"})
q("INSERT INTO unit_members (unit_id, person_id, role, expires_at) "
  "SELECT u.id, p.id, v.role, v.until FROM (VALUES "
  f"('{ED}', 'editor', NULL::timestamptz), ('{AU}', 'author', NULL), "
  f"('{REM}', 'author', NULL), ('{GU}', 'guest', now() + interval '5 days'), "
  f"('{OLD}', 'guest', now() - interval '1 hour')) v(email, role, until) "
  "JOIN people p ON p.email = v.email, units u WHERE u.slug = 'north'")
t.eq(q("SELECT string_agg(state, ',' ORDER BY slug) FROM units"), "approved,approved",
     "fixtures: north and south are approved")

# -- drafting ----------------------------------------------------------------
DRAFT = {"title": "Spring fair", "body": "The fair opens on Saturday at ten.",
         "tags": ["events", "Spring fair"], "channels": ["blog", "x"]}
r = post(ann, "/api/v1/units/north/posts", DRAFT)
t.eq(r.status, 201, "POST /api/v1/units/{slug}/posts is 201")
P = r.json().get("id")
t.ok(isinstance(P, int) and r.json() == {"id": P, "revision": 1, "state": "draft",
                                          "suggestions": [], "guideline_notes": [],
                                          "reviewers_asked": []},
     "with id, revision 1, state draft, no suggestions and nobody asked "
     "(the review mode is none)", r.text)
t.ok(r.headers.get("etag") == '"1"' and r.headers.get("location") == f"/api/v1/posts/{P}",
     "ETag \"1\" and its Location", r.headers)
t.eq(audit("post.create"), str(P), "the creation is in the audit log")
r = ann.get(f"/api/v1/posts/{P}")
p = r.json()
t.ok(r.status == 200 and r.headers.get("etag") == '"1"' and p["title"] == DRAFT["title"]
     and p["body"] == DRAFT["body"] and p["tags"] == DRAFT["tags"]
     and p["channels"] == DRAFT["channels"] and p["unit"] == "north"
     and p["author"] == {"name": "Ann", "email": ANN} and p["can_edit"] is True
     and p["state"] == "draft" and p["open_suggestions"] == 0,
     "GET /api/v1/posts/{id} shows it with ETag \"1\"", r.text)

r = post(au, "/api/v1/units/north/posts", {"title": "Minutes", "body": ""})
t.eq(r.status, 201, "an author creates a post (an empty body is a draft too)")
PA = r.json()["id"]
r = post(gu, "/api/v1/units/north/posts", {"title": "Guest note", "body": "Hello."})
t.eq(r.status, 201, "a guest before their last day creates a post")
PG = r.json()["id"]
r = post(rem, "/api/v1/units/north/posts", {"title": "Mine", "body": "Soon gone."})
PR = r.json()["id"]
r = post(bob, "/api/v1/units/south/posts", {"title": "South news", "body": "Ours."})
PB = r.json()["id"]

# -- bad input: a clear error naming the field, nothing written ---------------
before = counts()
for change, want, why in [
        ({"title": ""}, (422, "missing", "title"), "without a title"),
        ({"title": "x" * 301}, (422, "too_long", "title"), "with a title of 301 characters"),
        ({"channels": ["myspace"]}, (422, "invalid", "channels"), "with an unknown channel"),
        ({"tags": ["t%d" % i for i in range(21)]}, (422, "too_many", "tags"), "with 21 tags"),
        ({"tags": ["x" * 51]}, (422, "invalid", "tags"), "with a tag of 51 characters"),
        ({"body": "b" * 100001}, (413, "too_long", "body"), "with a body of 100,001 characters"),
        ({"body": "b" * 1000000}, (413, None, "body"), "with a 1 MB body")]:
    r = post(ann, "/api/v1/units/north/posts", dict(DRAFT, **change))
    got = err(r)
    t.ok(got[0] == want[0] and got[2] == want[2] and (want[1] is None or got[1] == want[1]),
         f"a post {why} is {want[0]} naming {want[2]}", r.text[:300])
r = ann.send("POST", "/api/v1/units/north/posts",
             json.dumps(dict(DRAFT, body="🙂" * 100000), ensure_ascii=False).encode(),
             {"Content-Type": "application/json", "X-CSRF-Token": ann.token})
t.eq(r.status, 201, "a body of exactly 100,000 characters (400,000 bytes) is taken")
before = counts()
r = post(bob, "/api/v1/units/north/posts", DRAFT)
t.eq(err(r)[0], 404, "another unit's member creates nothing there (404: the unit is not theirs)")
r = post(hub, "/api/v1/units/north/posts", DRAFT)
t.eq(err(r)[:2], (403, "forbidden"), "a hub communicator reviews but does not write posts (403)")
r = post(old, "/api/v1/units/north/posts", DRAFT)
t.eq(err(r)[:2], (404, "not_found"), "a guest past their last day creates nothing (404)")
t.eq(anon.post_json("/api/v1/units/north/posts", DRAFT).status, 401,
     "an anonymous request is 401")
t.eq(ann.post_json("/api/v1/units/north/posts", DRAFT).status, 403,
     "a request without X-CSRF-Token is 403")
t.eq(counts(), before, "none of them wrote a post, a revision or a publication")

# -- reading: members and the hub; nobody else ---------------------------------
for who, c, want in [("another unit's owner", bob, 404), ("a guest past their last day", old, 404),
                     ("an anonymous client", anon, 401), ("the unit's editor", ed, 200),
                     ("a hub communicator", hub, 200)]:
    t.eq(c.get(f"/api/v1/posts/{P}").status, want, f"{who} reading the post: {want}")
t.eq(ann.get(f"/api/v1/posts/{PB}").status, 404, "south's post is 404 to north's owner")
t.eq(ann.get("/api/v1/posts/0").status, 404, "post 0 is 404")
t.eq(ann.get("/api/v1/posts/abc").status, 404, "a post that is no number is 404")
r = ann.get("/api/v1/units/north/posts")
t.ok(r.status == 200 and {x["id"] for x in r.json()["posts"]} >= {P, PA, PG, PR}
     and PB not in {x["id"] for x in r.json()["posts"]},
     "the unit's list has its posts, not another unit's", r.text[:300])
t.eq(ann.get("/api/v1/units/north/posts?state=published").json()["posts"], [],
     "filtered by state: nothing published yet")
t.eq(err(ann.get("/api/v1/units/north/posts?state=lost"))[::2], (400, "state"),
     "an unknown state is 400 naming state")
t.eq(bob.get("/api/v1/units/north/posts").status, 404, "another unit's member lists nothing (404)")
t.eq(ed.get(f"/api/v1/posts/{P}").json()["can_edit"], False, "the editor may not edit ann's text")

# -- saving with If-Match ------------------------------------------------------
V2 = dict(DRAFT, body="The fair opens on Saturday at nine, by the river.")
r = put(ann, P, V2)
t.eq(err(r)[::2], (428, "If-Match"), "a PUT without If-Match is 428 naming If-Match")
for bad in ('*', 'W/"1"', '"1", "2"', '1', '""', '"x"'):
    r = put(ann, P, V2, headers={"If-Match": bad})
    t.eq(err(r)[::2], (400, "If-Match"), f"If-Match: {bad} is 400")
r = put(ann, P, V2, 1)
t.ok(r.status == 200 and r.json()["revision"] == 2 and r.json()["base"] == 1
     and r.json()["id"] == P and r.headers.get("etag") == '"2"',
     "a PUT from revision 1 is 200 with revision 2 and ETag \"2\"", r.text)
mine = dict(DRAFT, body="A text typed from revision one, not to be lost.")
r = put(ann, P, mine, 1)
b = r.json() if r.status == 412 else {}
t.ok(r.status == 412 and b["error"]["code"] == "stale" and b["current"]["revision"] == 2
     and b["current"]["body"] == V2["body"] and b["yours"]["body"] == mine["body"]
     and b["yours"]["base"] == 1 and r.headers.get("etag") == '"2"',
     "a stale If-Match is 412 with the current revision and the text that was sent", r.text[:400])
t.eq(q(f"SELECT max(number) FROM post_revisions WHERE post_id = {P}"), "2",
     "and writes nothing")

# Two clients save from the same base at the same moment.
go = threading.Barrier(2)
results = {}


def race(name, c):
    go.wait()
    results[name] = put(c, P, dict(DRAFT, body=f"Saved by tab {name}."), 2)


tabs = [threading.Thread(target=race, args=(n, ann)) for n in ("one", "two")]
for th in tabs:
    th.start()
for th in tabs:
    th.join()
st = sorted(r.status for r in results.values())
loser = [r for r in results.values() if r.status == 412]
t.ok(st == [200, 412] and loser and loser[0].json()["yours"]["body"].startswith("Saved by tab")
     and loser[0].json()["current"]["revision"] == 3,
     "of two saves from one base exactly one wins; the other gets 412 with both texts",
     [(r.status, r.text[:200]) for r in results.values()])
t.eq(q(f"SELECT count(*) FROM post_revisions WHERE post_id = {P}"), "3",
     "three revisions, one chain")

# -- who writes: the author and named co-authors --------------------------------
before = counts()
for who, c, want in [("the unit's editor (a reviewer)", ed, 403),
                     ("a hub communicator (a reviewer)", hub, 403),
                     ("another unit's owner", bob, 404),
                     ("a guest past their last day", old, 404)]:
    r = put(c, P, V2, 3)
    t.eq(r.status, want, f"a PUT by {who} is {want}")
t.ok("author" in put(ed, P, V2, 3).json()["error"]["message"],
     "the 403 says who changes the text")
t.eq(counts(), before, "none of them wrote a revision")
q(f"INSERT INTO post_authors (unit_id, post_id, person_id, added_by) "
  f"SELECT unit_id, id, (SELECT id FROM people WHERE email = '{AU}'), author_id "
  f"FROM posts WHERE id = {P}")
r = put(au, P, dict(V2, body="Co-written: the fair opens at nine."), 3)
t.ok(r.status == 200 and r.json()["revision"] == 4, "a co-author the author named saves", r.text)
t.eq(q(f"SELECT p.email FROM post_revisions r JOIN people p ON p.id = r.author_id "
       f"WHERE r.post_id = {P} AND r.number = 4"), AU, "the revision names who saved it")

# -- revisions and the diff ----------------------------------------------------
r = ann.get(f"/api/v1/posts/{P}/revisions")
revs = r.json().get("revisions", [])
t.ok(r.status == 200 and [x["revision"] for x in revs] == [4, 3, 2, 1]
     and revs[-1]["base"] is None and revs[0]["base"] == 3
     and revs[0]["author"]["email"] == AU and "body" not in revs[0],
     "GET .../revisions lists them newest first, without their bodies", r.text[:300])
r = ann.get(f"/api/v1/posts/{P}/revisions/2")
t.ok(r.status == 200 and r.json()["body"] == V2["body"] and r.json()["revision"] == 2,
     "GET .../revisions/2 has its text", r.text[:200])
t.eq(ann.get(f"/api/v1/posts/{P}/revisions/9").status, 404, "a revision that is not there is 404")
t.eq(bob.get(f"/api/v1/posts/{P}/revisions").status, 404, "another unit's member: 404")
t.eq(bob.get(f"/api/v1/posts/{P}/revisions/1").status, 404, "for one revision too")
r = ann.get(f"/api/v1/posts/{P}/diff?from=1&to=2")
d = r.json()
segs = d.get("segments", [])
a_text = "".join(g["text"] for g in segs if g["op"] in ("equal", "delete"))
b_text = "".join(g["text"] for g in segs if g["op"] in ("equal", "insert"))
t.ok(r.status == 200 and a_text == DRAFT["body"] and b_text == V2["body"]
     and {g["op"] for g in segs} == {"equal", "delete", "insert"},
     "the diff's segments rebuild both texts", r.text[:400])
ok = all((g["from_end"] - g["from_start"] == (len(g["text"]) if g["op"] != "insert" else 0))
         and (g["to_end"] - g["to_start"] == (len(g["text"]) if g["op"] != "delete" else 0))
         for g in segs)
t.ok(ok and d["from_chars"] == len(DRAFT["body"]) and d["capped"] is False,
     "with offsets in code points", segs)
t.ok(any(g["op"] == "delete" and g["text"] == "ten" for g in segs)
     and any(g["op"] == "insert" and g["text"] == "nine, by the river" for g in segs),
     "marking what was deleted and inserted", segs)
t.eq(err(ann.get(f"/api/v1/posts/{P}/diff?from=1&to=9"))[::2], (404, "to"),
     "a diff to a revision that is not there is 404 naming to")
t.eq(err(ann.get(f"/api/v1/posts/{P}/diff?from=x&to=2"))[::2], (400, "from"),
     "a diff from no number is 400 naming from")
t.eq(err(ann.get(f"/api/v1/posts/{P}/diff?to=2"))[::2], (400, "from"),
     "a diff without from is 400")
t.eq(bob.get(f"/api/v1/posts/{P}/diff?from=1&to=2").status, 404,
     "another unit's member gets no diff (404)")
emo = {"title": "Emoji", "body": "Hi 👋🏽 café"}
PE = post(ann, "/api/v1/units/north/posts", emo).json()["id"]
put(ann, PE, dict(emo, body="Hi 👋🏽 cafés"), 1)
segs = ann.get(f"/api/v1/posts/{PE}/diff?from=1&to=2").json()["segments"]
t.eq([(g["op"], g["text"], g["from_start"], g["from_end"]) for g in segs],
     [("equal", "Hi 👋🏽 ", 0, 6), ("delete", "café", 6, 10), ("insert", "cafés", 10, 10)],
     "offsets count code points, not bytes")

# -- publishing: never blocked by open suggestions ------------------------------
q(f"INSERT INTO post_suggestions (unit_id, post_id, revision, span_start, span_end, "
  f"replacement, author_id) SELECT unit_id, id, 4, 0, 3, 'Our', "
  f"(SELECT id FROM people WHERE email = '{ED}') FROM posts WHERE id = {P}")
before = counts()
for who, c, want in [("the unit's editor", ed, 403), ("a hub communicator", hub, 403),
                     ("another unit's owner", bob, 404), ("a guest past their last day", old, 404)]:
    r = post(c, f"/api/v1/posts/{P}/publish", {})
    t.eq(r.status, want, f"publishing by {who} is {want}")
t.eq(counts(), before, "and publishes nothing")
r = post(ann, f"/api/v1/posts/{P}/publish", {})
b = r.json()
t.ok(r.status == 200 and b["state"] == "published" and b["published_revision"] == 4
     and b["open_suggestions"] == 1, "the author publishes now with a suggestion still open", r.text)
t.eq(q(f"SELECT revision || ' ' || open_suggestions || ' ' || "
       f"(SELECT email FROM people WHERE id = published_by) FROM post_publications "
       f"WHERE post_id = {P}"), f"4 1 {ANN}", "the publication is kept with the open suggestion")
t.eq(q(f"SELECT string_agg(kind, ',') FROM jobs WHERE payload->>'post_id' = '{P}'"),
     "post.published", "post.published is queued for the worker")
t.eq(audit("post.publish"), str(P), "and written to the audit log")
r = post(ann, f"/api/v1/posts/{P}/publish", {})
t.ok(r.status == 200 and r.json()["changed"] is False, "publishing it again changes nothing", r.text)
t.eq(q(f"SELECT count(*) FROM post_publications WHERE post_id = {P}"), "1",
     "(one publication)")
r = put(ann, P, dict(V2, body="An edit after publishing."), 4)
t.ok(r.status == 200 and r.json()["state"] == "published", "an edit after publishing", r.text)
t.eq(ann.get(f"/api/v1/posts/{P}").json()["published_revision"], 4,
     "makes a revision that is not public yet")
r = post(ann, f"/api/v1/posts/{P}/publish", {})
t.ok(r.status == 200 and r.json()["published_revision"] == 5, "until the author publishes it")
t.eq(q(f"SELECT string_agg(revision::text, ',' ORDER BY id) FROM post_publications "
       f"WHERE post_id = {P}"), "4,5", "every published version is kept")

# At a time.
for at, want, why in [("2001-01-01T00:00:00Z", 422, "in the past"),
                      ("tomorrow", 422, "that is no time"),
                      ("2031-02-30T10:00:00Z", 422, "on a day that does not exist"),
                      ("2031-01-01T10:00:00", 422, "without an offset")]:
    r = post(ann, f"/api/v1/posts/{PE}/publish", {"at": at})
    t.eq(err(r)[::2], (want, "at"), f"a schedule {why} is {want} naming at")
t.eq(ann.get(f"/api/v1/posts/{PE}").json()["state"], "draft", "and leaves the post a draft")
r = post(ann, f"/api/v1/posts/{PE}/publish", {"at": "2031-01-31T09:30:00+01:00"})
b = r.json()
t.ok(r.status == 200 and b["state"] == "scheduled" and b["scheduled_at"] == "2031-01-31T08:30:00Z",
     "a time in the future schedules it (shown in UTC)", r.text)
t.eq(audit("post.schedule"), str(PE), "the schedule is audited")
r = post(ann, f"/api/v1/posts/{P}/publish", {"at": "2031-01-31T09:30:00Z"})
t.eq(err(r)[:2], (409, "illegal_transition"), "a published post is not scheduled (409)")
r = post(ann, f"/api/v1/posts/{PE}/withdraw", {})
t.ok(r.status == 200 and r.json()["state"] == "draft",
     "withdrawing a scheduled post makes it a draft again", r.text)
t.eq(audit("post.unschedule"), str(PE), "(audited)")
r = post(au, f"/api/v1/posts/{PA}/withdraw", {})
t.eq(err(r)[:2], (409, "illegal_transition"), "a draft is not withdrawn (409)")

# -- withdrawing, and a withdrawn post is not edited -----------------------------
before = counts()
t.eq(post(ed, f"/api/v1/posts/{P}/withdraw", {}).status, 403, "a reviewer does not withdraw (403)")
t.eq(post(bob, f"/api/v1/posts/{P}/withdraw", {}).status, 404, "another unit's member: 404")
r = post(ann, f"/api/v1/posts/{P}/withdraw", {})
t.ok(r.status == 200 and r.json()["state"] == "withdrawn", "the author withdraws", r.text)
t.eq(q(f"SELECT string_agg(kind, ',' ORDER BY id) FROM jobs WHERE payload->>'post_id' = '{P}'"),
     "post.published,post.published,post.withdrawn", "post.withdrawn is queued")
w = s.sh([s.binary, "--config", s.conf, "worker", "--once"], check=False, capture=True)
got = q(f"SELECT string_agg(state || ':' || coalesce(last_error, ''), ',' ORDER BY id) "
        f"FROM jobs WHERE payload->>'post_id' = '{P}'")
t.ok(got == "done:,done:,done:",
     "the worker settles the publish and withdraw events as done, none failed",
     (got, getattr(w, "stdout", "")))
t.eq(audit("post.withdraw"), str(P), "and audited")
r = put(ann, P, dict(V2, body="Sneaked in after withdrawal."), 5)
t.eq(err(r)[:2], (409, "illegal_transition"), "an edit of a withdrawn post is 409")
r = put(au, P, dict(V2, body="Sneaked in after withdrawal."), 5)
t.eq(r.status, 409, "by a co-author too")
t.eq(ann.get(f"/api/v1/posts/{P}").json()["can_edit"], False, "the post says it is closed")
t.eq(q(f"SELECT count(*) FROM post_revisions WHERE post_id = {P}"), "5", "nothing was written")
t.eq(q(f"SELECT string_agg(revision::text, ',' ORDER BY id) FROM post_publications "
       f"WHERE post_id = {P}"), "4,5", "the publications are as they were")

# -- a removed member, a guest past their last day --------------------------------
r = ann.send("DELETE", f"/api/v1/units/north/members/{REM}", None, {"X-CSRF-Token": ann.token})
t.eq(r.status, 204, "fixture: ann removes rem from north")
t.eq(rem.get(f"/api/v1/posts/{PR}").status, 404, "a removed member no longer reads their own post")
t.eq(put(rem, PR, {"title": "Mine", "body": "Still here?"}, 1).status, 404, "nor saves it")
t.eq(post(rem, f"/api/v1/posts/{PR}/publish", {}).status, 404, "nor publishes it")
t.eq(put(gu, PG, {"title": "Guest note", "body": "Edited."}, 1).status, 200,
     "a guest edits their post before their last day")
q(f"UPDATE unit_members SET expires_at = now() - interval '1 second' "
  f"WHERE person_id = (SELECT id FROM people WHERE email = '{GU}')")
t.eq(gu.get(f"/api/v1/posts/{PG}").status, 404, "after it, the guest reads nothing")
t.eq(put(gu, PG, {"title": "Guest note", "body": "Late."}, 2).status, 404, "and writes nothing")
t.eq(q(f"SELECT count(*) FROM post_revisions WHERE post_id IN ({PR}, {PG})"), "3",
     "neither wrote a revision")

# -- suspended and archived units ------------------------------------------------
r = post(ida, "/api/v1/units/north/decision", {"decision": "suspend", "reason": "Review."})
t.eq(r.json().get("state"), "suspended", "fixture: the hub suspends north")
before = counts()
t.eq(ann.get(f"/api/v1/posts/{PE}").status, 200, "members read a suspended unit's posts")
r = put(ann, PE, dict(emo, body="More."), 2)
t.ok(err(r)[:2] == (409, "illegal_transition") and "suspended" in r.json()["error"]["message"],
     "but save nothing (409: suspended)", r.text)
r = post(ann, f"/api/v1/posts/{PE}/publish", {})
t.ok(r.status == 409 and "suspended" in r.json()["error"]["message"], "nor publish (409)", r.text)
r = post(ann, "/api/v1/units/north/posts", DRAFT)
t.eq(r.status, 409, "nor create a post (409)")
t.eq(counts(), before, "nothing was written")
post(ida, "/api/v1/units/north/decision", {"decision": "archive"})
t.eq(q("SELECT state FROM units WHERE slug = 'north'"), "archived", "fixture: then archives it")
t.eq(ann.get(f"/api/v1/posts/{PE}").status, 200, "an archived unit's posts are read")
r = put(ann, PE, dict(emo, body="More."), 2)
t.ok(r.status == 409 and "archived" in r.json()["error"]["message"],
     "and read-only (409)", r.text)
t.eq(counts(), before, "nothing was written")
