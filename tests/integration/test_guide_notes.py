"""test_guide_notes.py: guideline findings without a span in the body (a
term in the title, a tag outside the taxonomy, a post without a tag),
through real nginx, the FastCGI server and PostgreSQL.  A save answers
them as "guideline_notes", the post's JSON carries them, the editor shows
them in a calm notice with the rule's advice and link and a form to
dismiss each; a finding fixed by the next save disappears, a dismissed
one is not raised again while its text stays the same, and a dismissal
counts as declined in the statistics, whose counters equal the
aggregate of every row they count.  Who else could dismiss (another
author of the unit, another unit's owner, a hub admin, a removed
member, a stranger, an anonymous caller, a request without its CSRF
token, a forwarded dismissal link) is refused.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, person, q as q_on  # noqa: E402

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def send(c, path, obj, method="POST", headers=None):
    h = {"X-CSRF-Token": c.token}
    h.update(headers or {})
    return c.post_json(path, obj, h, method=method)


def put(c, pid, obj, rev):
    return send(c, f"/api/v1/posts/{pid}", obj, "PUT", {"If-Match": f'"{rev}"'})


def err(r):
    try:
        e = r.json()["error"]
        return r.status, e.get("code")
    except (ValueError, KeyError, TypeError):
        return r.status, None


def notes_of(c, pid):
    return c.get(f"/api/v1/posts/{pid}").json()["guideline_notes"]


ida = person(s, "ida@example.org", "admin")
com = person(s, "com@example.org", "communicator")
ann = person(s, "ann@example.org")        # owner of north
pat = person(s, "pat@example.org")        # an author in north: writes the post
red = person(s, "red@example.org")        # another author of north
rem = person(s, "rem@example.org")        # a member of north, removed
bob = person(s, "bob@example.org")        # owner of south, another unit
stranger = person(s, "str@example.org")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    r = send(who, "/api/v1/units", {
        "name": slug.title(), "slug": slug, "kind": "chapter",
        "purpose": "Tell the town.", "audience": "Everyone", "channels": ["blog"]})
    t.eq(r.status, 201, f"{slug} is requested")
    r = send(ida, f"/api/v1/units/{slug}/decision", {"decision": "approve"})
    t.eq(r.status, 200, f"{slug} is approved")
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('pat@example.org', 'author'), ('red@example.org', 'author'), "
  "('rem@example.org', 'author')) m (email, role) JOIN people p ON p.email = m.email "
  "JOIN units u ON u.slug = 'north'")

HUB = "/api/v1/guidelines/rules"
LINK = "https://hub.example.org/promises"
TAXO = "https://hub.example.org/tags"
r = send(com, HUB, {"kind": "term", "pattern": "guaranteed", "replacement": "designed to",
                    "message": "We cannot promise outcomes.", "link": LINK})
TERM = r.json()["id"]
r = send(com, HUB, {"kind": "tags", "allowed": ["events", "news"], "required": True,
                    "message": "Use the hub's taxonomy.", "link": TAXO})
t.eq(r.status, 201, "the hub adds a term rule and a tag taxonomy")
TAGS = r.json()["id"]

# -- a save answers the notes --------------------------------------------------
r = send(pat, "/api/v1/units/north/posts",
         {"title": "Guaranteed fun", "body": "Plain words.", "tags": ["evnts"]})
t.eq(r.status, 201, "a draft with findings in its title and tags: 201, never refused")
P = r.json()["id"]
n = r.json()["guideline_notes"]
t.eq(r.json()["suggestions"], [], "nothing in the body: no suggestion")
t.eq(sorted((x["field"], x["rule"], x["original"], x["replacement"]) for x in n),
     [("tags", TAGS, "evnts", "events"), ("title", TERM, "Guaranteed", "designed to")],
     "the answer names each note: field, rule, what was found, the replacement")
t.ok(all(x["state"] == "open" and x["post"] == P and x["revision"] == 1 for x in n)
     and {x["rule"]: x["link"] for x in n} == {TERM: LINK, TAGS: TAXO}
     and {x["rule"]: x["message"] for x in n}[TAGS] == "Use the hub's taxonomy.",
     "each with the rule's message and link, open on the revision", r.text)
IDS = {x["field"]: x["id"] for x in n}
t.eq(sorted(x["id"] for x in notes_of(pat, P)), sorted(IDS.values()),
     "the post's JSON carries them as guideline_notes")
t.eq(q(f"SELECT count(*) FROM post_suggestions WHERE post_id = {P}"), "0",
     "a note is no suggestion: nothing to accept into the text")

r = put(pat, P, {"title": "Guaranteed fun", "body": "Plain words.", "tags": ["evnts"]}, 1)
t.ok(r.status == 200 and sorted(x["id"] for x in r.json()["guideline_notes"])
     == sorted(IDS.values()) and all(x["revision"] == 2 for x in r.json()["guideline_notes"]),
     "saving the same text keeps the same notes on the new revision", r.text)

r = send(pat, "/api/v1/units/north/posts", {"title": "Bare", "body": "No tags here."})
BARE = r.json()["id"]
t.ok(r.status == 201 and [(x["field"], x["original"], x["replacement"])
     for x in r.json()["guideline_notes"]] == [("tags", "", None)],
     "a post without the required tag gets a note with nothing found", r.text)

# -- the editor ----------------------------------------------------------------
page = pat.get(f"/posts/{P}/edit")
sec = page.text.split('id="guideline-notes"')[1].split("</section>")[0] \
    if 'id="guideline-notes"' in page.text else ""
t.ok(page.status == 200 and "We cannot promise outcomes." in sec and LINK in sec
     and TAXO in sec and "evnts" in sec and "designed to" in sec,
     "the editor shows the notes with the rules' advice and links", page.text[-3000:])
t.ok('class="alert' not in sec and "danger" not in sec and "error" not in sec
     and 'class="notice advice"' in page.text.split('id="guideline-notes"')[0][-80:],
     "as a calm notice, never an alert")
t.ok(f'action="/posts/{P}/guideline-notes/{IDS["tags"]}/dismiss"' in sec
     and 'name="csrf_token"' in sec, "each note has a dismiss form with the CSRF token")

# -- who may not dismiss ---------------------------------------------------------
NID = IDS["tags"]
for who, c, want in (("another author of the unit", red, 403),
                     ("a hub admin", ida, 403),
                     ("another unit's owner", bob, 404),
                     ("a stranger", stranger, 404)):
    r = send(c, f"/api/v1/guideline-notes/{NID}/dismiss", {})
    t.eq(r.status, want, f"{who} cannot dismiss the author's note: {want}")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")
t.eq(send(rem, f"/api/v1/guideline-notes/{NID}/dismiss", {}).status, 404,
     "a removed member cannot: 404")
t.eq(anon.post_json(f"/api/v1/guideline-notes/{NID}/dismiss", {}).status, 401,
     "an anonymous caller cannot: 401")
t.eq(pat.post_json(f"/api/v1/guideline-notes/{NID}/dismiss", {}).status, 403,
     "the author without the CSRF token cannot: 403")
t.eq(pat.post(f"/posts/{P}/guideline-notes/{NID}/dismiss", {}).status, 403,
     "a forwarded dismissal form without the author's token: 403")
tok = red.csrf(red.get(f"/posts/{P}").text)
t.eq(red.post(f"/posts/{P}/guideline-notes/{NID}/dismiss", {"csrf_token": tok}).status,
     403, "another author through the page form: 403")
t.eq(q(f"SELECT state FROM guide_notes WHERE id = {NID}"), "open",
     "after all of them the note is still open")
t.eq(send(pat, "/api/v1/guideline-notes/99999999/dismiss", {}).status, 404,
     "no such note: 404")

# -- the author dismisses --------------------------------------------------------
before = pat.get(f"/api/v1/posts/{P}")
r = send(pat, f"/api/v1/guideline-notes/{NID}/dismiss", {})
t.ok(r.status == 200 and r.json()["state"] == "declined" and r.json()["id"] == NID,
     "the author dismisses the tags note: 200, declined", r.text)
t.eq(err(send(pat, f"/api/v1/guideline-notes/{NID}/dismiss", {})), (409, "conflict"),
     "dismissing it again: 409")
t.eq([x["field"] for x in notes_of(pat, P)], ["title"], "the post lists only the other one")
r = pat.get(f"/api/v1/posts/{P}", {"If-None-Match": before.headers["etag"]})
t.ok(r.status == 200 and [x["field"] for x in r.json()["guideline_notes"]] == ["title"],
     "a browser revalidating the post's JSON from before the dismissal gets the new "
     "notes, not a 304", f"{r.status} {before.headers.get('etag')}")
r = put(pat, P, {"title": "Guaranteed fun", "body": "Plain words.", "tags": ["evnts"]}, 2)
t.eq([x["field"] for x in r.json()["guideline_notes"]], ["title"],
     "a dismissed finding is not raised again while the tag is the same")
r = put(pat, P, {"title": "Guaranteed fun", "body": "Plain words.", "tags": ["nws"]}, 3)
t.eq(sorted((x["field"], x["original"]) for x in r.json()["guideline_notes"]),
     [("tags", "nws"), ("title", "Guaranteed")], "another wrong tag is raised")

# -- fixed findings disappear ----------------------------------------------------
r = put(pat, P, {"title": "Designed to please", "body": "Plain words.",
                 "tags": ["news"]}, 4)
t.ok(r.status == 200 and r.json()["guideline_notes"] == [],
     "a save that fixes the title and the tags leaves no note", r.text)
t.eq(notes_of(pat, P), [], "the post's JSON has none either")
t.eq(q(f"SELECT string_agg(state, ',' ORDER BY id) FROM guide_notes WHERE post_id = {P}"),
     "declined,outdated,outdated", "the fixed ones are outdated, the dismissed one stays")
page = pat.get(f"/posts/{P}/edit")
t.ok('id="guideline-notes"' not in page.text, "the editor shows no notes")

# -- the page form -----------------------------------------------------------------
r = put(pat, P, {"title": "Guaranteed again", "body": "Plain words.",
                 "tags": ["news"]}, 5)
TID = r.json()["guideline_notes"][0]["id"]
page = pat.get(f"/posts/{P}/edit")
tok = pat.csrf(page.text)
r = pat.post(f"/posts/{P}/guideline-notes/{TID}/dismiss", {"csrf_token": tok})
t.ok(r.status == 303 and r.headers.get("location", r.headers.get("Location", ""))
     .endswith(f"/posts/{P}/edit?dismissed=1#guideline-notes"),
     "the editor's dismiss button: 303 back to the editor", str(r.headers))
page = pat.get(f"/posts/{P}/edit?dismissed=1")
t.ok("Note dismissed" in page.text and 'id="guideline-notes"' not in page.text,
     "the editor says so and lists the note no more")

# -- counted ---------------------------------------------------------------------
st = {x["rule"]: x for x in ida.get("/api/v1/guidelines/stats").json()["rules"]}
t.ok(st[TAGS]["declined"] == 1 and st[TAGS]["accepted"] == 0
     and st[TERM]["declined"] == 1, "each dismissal counts as declined", str(st))
t.ok(st[TAGS]["suggested"] == 3 and st[TERM]["suggested"] == 2,
     "each note raised counts as suggested: evnts, none and nws; the title twice", str(st))
RAW = """SELECT string_agg(concat_ws(':', unit_id, rule_id, fired, muted, saves,
    suggested, accepted, declined, left_open), ' ' ORDER BY unit_id, rule_id) FROM ({}) x"""
AGG = """SELECT f.unit_id, f.rule_id, f.fired, f.muted, f.saves,
    coalesce(s.suggested, 0) AS suggested, coalesce(s.accepted, 0) AS accepted,
    coalesce(s.declined, 0) AS declined, coalesce(s.left_open, 0) AS left_open
    FROM (SELECT unit_id, rule_id, sum(found) AS fired,
        coalesce(sum(found) FILTER (WHERE muted), 0) AS muted, count(*) AS saves
        FROM guide_fires GROUP BY 1, 2) f
    LEFT JOIN (SELECT s.unit_id, s.rule_id, count(*) AS suggested,
        count(*) FILTER (WHERE s.state = 'accepted') AS accepted,
        count(*) FILTER (WHERE s.state = 'declined') AS declined,
        sum((SELECT count(*) FROM post_publications p WHERE p.unit_id = s.unit_id
            AND p.post_id = s.post_id AND p.published_at >= s.created_at
            AND (s.decided_at IS NULL OR p.published_at < s.decided_at))) AS left_open
        FROM (SELECT unit_id, post_id, rule_id, state, created_at, decided_at
            FROM post_suggestions WHERE source = 'guidelines' UNION ALL
            SELECT unit_id, post_id, rule_id, state, created_at, decided_at
            FROM guide_notes) s GROUP BY 1, 2) s
    ON s.unit_id = f.unit_id AND s.rule_id = f.rule_id"""
r = send(pat, f"/api/v1/posts/{BARE}/publish", {})
t.eq(r.status, 200, "the author publishes the post without a tag, its note open")
t.eq(q(RAW.format("SELECT * FROM guide_rule_stats")), q(RAW.format(AGG)),
     "the counters equal the aggregate of every row they count")
st = {x["rule"]: x for x in ida.get("/api/v1/guidelines/stats").json()["rules"]}
t.eq(st[TAGS]["left_open"], 1, "the open tags note is left open at publishing")
