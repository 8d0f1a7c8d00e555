"""test_post_pages.py: the author's pages of posts over real nginx, the
FastCGI server and PostgreSQL: a unit's posts, the editor (Preview saves
nothing and keeps what was typed; Save; co-authors named by the author
only; a body over 100,000 characters is 413 with the form again), the
conflict page after a save from a stale base (both texts, the word
diff, the merge form on the current revision), the history with the
diff between two revisions and restoring one (the page and the API),
publishing, scheduling and withdrawing from the editor, the live
preview's endpoint; and for every action who else could try: an editor
who reviews (reads the history, may not edit: 403), another unit's
member (404), a removed member, an anonymous visitor (to the login
form), a form without its CSRF token (403).
"""

import html
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, send as api)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def form(c, path, fields, csrf=True):
    f = dict(fields)
    if csrf:
        f["csrf_token"] = c.token
    return c.post(path, f)


def counts():
    return q("SELECT (SELECT count(*) FROM posts) || '/' || "
             "(SELECT count(*) FROM post_revisions) || '/' || "
             "(SELECT count(*) FROM post_authors) || '/' || "
             "(SELECT count(*) FROM post_publications)")


def login_redirect(r):
    return r.status == 303 and r.headers.get("location", "").startswith("/login")


def textarea(page, name):
    m = re.search(r'<textarea id="%s"[^>]*>(.*?)</textarea>' % name, page, re.S)
    return html.unescape(m.group(1)) if m else None


def value(page, name):
    m = re.search(r'name="%s"[^>]*value="([^"]*)"' % name, page)
    return html.unescape(m.group(1)) if m else None


ANN, ED, AU, REM = "ann@example.org", "ed@example.org", "au@example.org", "rem@example.org"
ann, ed, au, rem = (person(s, m) for m in (ANN, ED, AU, REM))
bob = person(s, "bob@example.org")
hub = person(s, "hub@example.org", "communicator")
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

UNIT = {"kind": "chapter", "purpose": "News of the town.", "audience": "Everyone"}
api(ann, "/api/v1/units", dict(UNIT, name="North", slug="north"))
api(bob, "/api/v1/units", dict(UNIT, name="South", slug="south"))
for slug in ("north", "south"):
    api(ida, f"/api/v1/units/{slug}/decision", {"decision": "approve"})
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, v.role "
  f"FROM (VALUES ('{ED}', 'editor'), ('{AU}', 'author'), ('{REM}', 'author')) v(email, role) "
  "JOIN people p ON p.email = v.email, units u WHERE u.slug = 'north'")

# -- the unit's posts -----------------------------------------------------------
r = ann.get("/units/north")
t.ok(r.status == 200 and 'href="/units/north/posts"' in r.text,
     "the unit page links to its posts")
r = ann.get("/units/north/posts")
t.ok(r.status == 200 and 'href="/units/north/posts/new"' in r.text and "No posts" in r.text,
     "GET /units/{slug}/posts: the owner sees none yet and \"New post\"", r.text[-2000:])
t.ok('<a href="/units/north">North</a>' in r.text, "and a link back to the unit, by its name")
r = hub.get("/units/north/posts")
t.ok(r.status == 200 and "/posts/new" not in r.text,
     "a hub communicator reads the list, without \"New post\"")
t.eq(bob.get("/units/north/posts").status, 404, "another unit's owner: the list is 404")
t.ok(login_redirect(anon.get("/units/north/posts")), "an anonymous visitor goes to the login form")
t.eq(ann.get("/units/north/posts?state=nope").status, 400, "an unknown state filter is 400")

# -- the editor: a new post ---------------------------------------------------
r = ann.get("/units/north/posts/new")
t.ok(r.status == 200 and 'action="/units/north/posts/new"' in r.text and
     'name="co_authors"' in r.text and '<script src="/static/editor.js" defer>' in r.text,
     "GET /units/{slug}/posts/new: the empty editor with co-authors and its script")
t.eq(bob.get("/units/north/posts/new").status, 404, "another unit's owner: no editor there (404)")
t.eq(hub.get("/units/north/posts/new").status, 403, "a hub communicator writes no posts (403)")
t.ok(login_redirect(anon.get("/units/north/posts/new")), "anonymous: to the login form")

before = counts()
BODY = "The fair opens on **Saturday**.\r\n\r\n<script>alert(1)</script>"
r = form(ann, "/units/north/posts/new", {"title": "Spring fair", "body": BODY,
                                          "tags": "events, spring fair", "channels": "blog",
                                          "action": "preview"})
t.ok(r.status == 200 and "<strong>Saturday</strong>" in r.text and "<script>alert" not in r.text,
     "Preview renders the body through the safe renderer (raw HTML dropped)", r.text[-3000:])
t.ok(value(r.text, "title") == "Spring fair" and textarea(r.text, "body").startswith("The fair opens")
     and value(r.text, "tags") == "events, spring fair" and 'value="blog" checked' in r.text,
     "Preview keeps everything typed")
t.eq(counts(), before, "Preview saves nothing")

fields = {"title": "Spring fair", "body": "The fair opens on Saturday.", "tags": "events, spring fair",
          "channels": "blog", "co_authors": "bob@example.org", "action": "save"}
r = form(ann, "/units/north/posts/new", fields)
t.ok(r.status == 422 and 'aria-describedby="co_authors-hint co_authors-error" aria-invalid="true"' in r.text
     and "bob@example.org" in r.text and textarea(r.text, "body") == fields["body"],
     "a co-author who is no member is 422 naming co_authors, the form again with the text", r.text[-3000:])
r = form(ann, "/units/north/posts/new", dict(fields, title="", co_authors=""))
t.ok(r.status == 422 and "a post needs a title" in r.text, "Save without a title is 422 naming it")
r = form(ann, "/units/north/posts/new", dict(fields, tags="x" * 51, co_authors=""))
t.ok(r.status == 422 and 'id="tags-error"' in r.text, "a tag of 51 characters is 422 naming tags")
r = form(ann, "/units/north/posts/new", dict(fields, body="b" * 100001, co_authors=""))
t.ok(r.status == 413 and 'id="body-error"' in r.text and "100,000" in r.text
     and textarea(r.text, "body") == "b" * 100001,
     "a body of 100,001 characters is 413 naming the body, the text kept", r.text[:300])
r = form(ann, "/units/north/posts/new", dict(fields, co_authors=""), csrf=False)
t.eq(r.status, 403, "a form without its CSRF token is 403")
r = form(bob, "/units/north/posts/new", dict(fields, co_authors=""))
t.eq(r.status, 404, "another unit's owner saves nothing there (404)")
r = form(anon, "/units/north/posts/new", dict(fields, co_authors=""), csrf=False)
t.ok(r.status in (303, 401, 403), "anonymous: refused", r.status)
t.eq(counts(), before, "none of them wrote anything")

r = form(ann, "/units/north/posts/new", dict(fields, co_authors="AU@example.org"))
loc = r.headers.get("location", "")
m = re.match(r"^/posts/(\d+)/edit\?saved=1$", loc)
t.ok(r.status == 303 and m, "Save: 303 to the new post's editor", (r.status, loc))
P = int(m.group(1)) if m else 0
t.eq(q(f"SELECT r.title || '|' || r.body || '|' || array_to_string(r.tags, ';') || '|' || "
       f"array_to_string(r.channels, ';') FROM post_revisions r WHERE r.post_id = {P}"),
     "Spring fair|The fair opens on Saturday.|events;spring fair|blog",
     "the first revision holds what was typed; tags cut at commas")
t.eq(q(f"SELECT string_agg(p.email, ',') FROM post_authors a JOIN people p ON p.id = a.person_id "
       f"WHERE a.post_id = {P}"), AU, "the co-author named (in any case) is recorded")
r = ann.get(loc)
t.ok(r.status == 200 and "Saved as revision 1." in r.text and value(r.text, "base") == "1"
     and value(r.text, "co_authors") == AU, "the editor tells it was saved, on revision 1", r.text[-3000:])
r = ann.get("/units/north/posts")
t.ok(f'href="/posts/{P}"' in r.text and f'href="/posts/{P}/edit"' in r.text,
     "the list links the title to the post's page and the editor for its author")
r = ed.get("/units/north/posts")
t.ok(f'href="/posts/{P}"' in r.text and f'href="/posts/{P}/edit"' not in r.text,
     "an editor who reviews sees the post, not an edit link")

# -- who edits ------------------------------------------------------------------
r = au.get(f"/posts/{P}/edit")
t.ok(r.status == 200 and 'name="co_authors"' not in r.text, "the co-author edits, without the co-authors field")
t.eq(ed.get(f"/posts/{P}/edit").status, 403, "the unit's editor reviews: the editor page is 403")
t.eq(hub.get(f"/posts/{P}/edit").status, 403, "a hub communicator: 403")
t.eq(bob.get(f"/posts/{P}/edit").status, 404, "another unit's owner: 404")
t.ok(login_redirect(anon.get(f"/posts/{P}/edit")), "anonymous: to the login form")
t.eq(ann.get("/posts/0/edit").status, 404, "post 0: 404")

E = {"title": "Spring fair", "tags": "events", "channels": "blog", "action": "save"}
before = counts()
for who, c, want in [("the unit's editor", ed, 403), ("another unit's owner", bob, 404)]:
    r = form(c, f"/posts/{P}/edit", dict(E, body="Hijacked.", base="1"))
    t.eq(r.status, want, f"{who} saving the post: {want}")
r = form(ann, f"/posts/{P}/edit", dict(E, body="No token.", base="1"), csrf=False)
t.eq(r.status, 403, "a save without the CSRF token: 403")
t.eq(counts(), before, "none of them wrote a revision")

# -- saving and the conflict page ----------------------------------------------
r = form(ann, f"/posts/{P}/edit", dict(E, body="The fair opens on Saturday at ten.", base="1",
                                        co_authors=AU))
t.ok(r.status == 303 and r.headers.get("location") == f"/posts/{P}/edit?saved=2",
     "the author saves revision 2: 303 to the editor", (r.status, r.headers.get("location")))
before = counts()
r = form(au, f"/posts/{P}/edit", dict(E, body="The fair opens on Sunday.", base="1"))
t.ok(r.status == 409 and "Someone else saved this post" in r.text,
     "the co-author's save from revision 1 is 409: the conflict page", r.text[-3000:])
t.ok("The fair opens on Saturday at ten." in r.text and "The fair opens on Sunday." in r.text,
     "it shows both texts: the current one and the one typed")
t.ok(re.search(r"<del>[^<]*Saturday[^<]*</del>", r.text) and re.search(r"<ins>[^<]*Sunday", r.text),
     "and the word diff between them, marked with <del> and <ins>")
t.ok(textarea(r.text, "body") == "The fair opens on Sunday." and value(r.text, "base") == "2",
     "the merge form holds what was typed, on the current revision")
t.eq(counts(), before, "the stale save wrote nothing")
r = form(au, f"/posts/{P}/edit", dict(E, body="The fair opens on Saturday at ten; Sunday too.",
                                       base="2"))
t.eq(r.status, 303, "saving the merge from the current revision succeeds")

# -- co-authors through the API --------------------------------------------------
rev = q(f"SELECT revision FROM posts WHERE id = {P}")
r = api(au, f"/api/v1/posts/{P}", {"title": "T", "body": "B", "co_authors": [ED]}, "PUT",
        {"If-Match": f'"{rev}"'})
t.eq(r.status, 403, "a co-author naming co-authors through the API: 403")
r = api(ann, f"/api/v1/posts/{P}", {"title": "T", "body": "B", "co_authors": ["bob@example.org"]},
        "PUT", {"If-Match": f'"{rev}"'})
t.ok(r.status == 422 and r.json()["error"]["field"] == "co_authors",
     "the author naming a non-member: 422 naming co_authors", r.text)
t.eq(q(f"SELECT revision FROM posts WHERE id = {P}"), rev, "neither saved a revision")
r = api(ann, f"/api/v1/posts/{P}", {"title": "Spring fair", "body": "The fair opens on Saturday.",
                                     "co_authors": [AU, ED]}, "PUT", {"If-Match": f'"{rev}"'})
t.ok(r.status == 200 and q(f"SELECT count(*) FROM post_authors WHERE post_id = {P}") == "2",
     "the author names two co-authors through PUT", r.text)
rev = r.json().get("revision")
r = api(ann, f"/api/v1/posts/{P}", {"title": "Spring fair", "body": "The fair opens on Saturday.",
                                     "co_authors": [AU]}, "PUT", {"If-Match": f'"{rev}"'})
t.ok(r.status == 200 and q(f"SELECT count(*) FROM post_authors WHERE post_id = {P}") == "1",
     "and removes one")
t.eq(ed.get(f"/posts/{P}/edit").status, 403, "the editor removed from the co-authors: 403 again")

# -- history, compare, restore ----------------------------------------------------
r = ann.get(f"/posts/{P}/history?from=1&to=2")
t.ok(r.status == 200 and "Revision 1" in r.text and re.search(r"<ins>[^<]*at ten", r.text),
     "GET /posts/{id}/history compares revisions 1 and 2 with insertions marked", r.text[-3000:])
r = ed.get(f"/posts/{P}/history")
t.ok(r.status == 200 and "Restore this revision" not in r.text,
     "the unit's editor reads the history, without restoring")
t.eq(bob.get(f"/posts/{P}/history").status, 404, "another unit's owner: the history is 404")
t.ok(login_redirect(anon.get(f"/posts/{P}/history")), "anonymous: to the login form")
t.eq(ann.get(f"/posts/{P}/history?from=x").status, 400, "a malformed revision number is 400")
r = ann.get(f"/posts/{P}/history?from=1&to=99")
t.ok(r.status == 200 and "no revision 99" in r.text, "a revision that is not there is said so")

latest = int(q(f"SELECT revision FROM posts WHERE id = {P}"))
before = counts()
for who, c, want in [("the unit's editor", ed, 403), ("another unit's owner", bob, 404)]:
    r = form(c, f"/posts/{P}/revisions/1/restore", {"base": str(latest)})
    t.eq(r.status, want, f"{who} restoring a revision: {want}")
r = form(ann, f"/posts/{P}/revisions/1/restore", {"base": str(latest)}, csrf=False)
t.eq(r.status, 403, "a restore without the CSRF token: 403")
r = form(ann, f"/posts/{P}/revisions/1/restore", {"base": str(latest - 1)})
t.ok(r.status == 409 and "Someone saved this post since" in r.text,
     "a restore from a stale page is 409, the history again")
r = form(ann, f"/posts/{P}/revisions/99/restore", {"base": str(latest)})
t.eq(r.status, 404, "restoring a revision that is not there: 404")
t.eq(counts(), before, "none of them wrote a revision")
r = form(ann, f"/posts/{P}/revisions/1/restore", {"base": str(latest)})
t.ok(r.status == 303 and r.headers.get("location") == f"/posts/{P}/edit?restored={latest + 1}",
     "the author restores revision 1: 303 to the editor", (r.status, r.headers.get("location")))
t.eq(q(f"SELECT restored_from || '|' || body FROM post_revisions WHERE post_id = {P} "
       f"AND number = {latest + 1}"), "1|The fair opens on Saturday.",
     "a new revision with revision 1's text, restored from 1")
r = ann.get(f"/posts/{P}/history")
t.ok("restored from revision 1" in r.text, "the history says it was restored")

latest += 1
RP = f"/api/v1/posts/{P}/revisions/2/restore"
r = api(ann, RP, None)
t.eq(r.status, 428, "the API's restore without If-Match: 428")
r = api(ann, RP, None, headers={"If-Match": '"1"'})
t.ok(r.status == 412 and r.json()["current"]["revision"] == latest,
     "from a stale revision: 412 with the current post", r.text[:300])
r = api(ed, RP, None, headers={"If-Match": f'"{latest}"'})
t.eq(r.status, 403, "the editor restoring through the API: 403")
r = api(bob, RP, None, headers={"If-Match": f'"{latest}"'})
t.eq(r.status, 404, "another unit's owner: 404")
r = api(ann, f"/api/v1/posts/{P}/revisions/77/restore", None, headers={"If-Match": f'"{latest}"'})
t.eq(r.status, 404, "a revision that is not there: 404")
r = api(ann, RP, None, headers={"If-Match": f'"{latest}"'})
t.ok(r.status == 201 and r.json()["revision"] == latest + 1 and r.json()["restored_from"] == 2
     and r.headers.get("etag") == f'"{latest + 1}"',
     "POST /api/v1/posts/{id}/revisions/{n}/restore: 201 the new revision", r.text)

# -- publishing from the editor -------------------------------------------------------
q(f"INSERT INTO post_suggestions (unit_id, post_id, revision, span_start, span_end, replacement, "
  f"author_id) SELECT unit_id, id, revision, 0, 3, 'A', (SELECT id FROM people WHERE email = '{ED}') "
  f"FROM posts WHERE id = {P}")
r = ann.get(f"/posts/{P}/edit")
t.ok("1 suggestion is still open" in r.text and "Publish at (UTC" in r.text,
     "the editor tells the open suggestions and that times are UTC")
before = counts()
for who, c, want in [("the unit's editor", ed, 403), ("another unit's owner", bob, 404)]:
    t.eq(form(c, f"/posts/{P}/publish", {}).status, want, f"{who} publishing: {want}")
    t.eq(form(c, f"/posts/{P}/withdraw", {}).status, want, f"{who} withdrawing: {want}")
t.eq(form(ann, f"/posts/{P}/publish", {}, csrf=False).status, 403, "publishing without CSRF: 403")
r = form(ann, f"/posts/{P}/publish", {"at": "2001-01-01T09:00"})
t.ok(r.status == 422 and 'id="at-error"' in r.text and 'value="2001-01-01T09:00"' in r.text,
     "a schedule in the past is the form again with the error on at", r.text[-3000:])
r = form(ann, f"/posts/{P}/publish", {"at": "tomorrow"})
t.ok(r.status == 422 and 'id="at-error"' in r.text, "a time that is no time: 422 on at")
t.eq(counts(), before, "nothing published")
r = form(ann, f"/posts/{P}/publish", {"at": "2099-03-01T09:30"})
t.ok(r.status == 303 and r.headers.get("location") == f"/posts/{P}/edit?scheduled=1"
     and q(f"SELECT state || ' ' || to_char(scheduled_at AT TIME ZONE 'UTC', 'HH24:MI') "
           f"FROM posts WHERE id = {P}") == "scheduled 09:30",
     "a time ahead schedules the post, read in UTC", (r.status, r.headers.get("location")))
r = form(ann, f"/posts/{P}/withdraw", {})
t.ok(r.status == 303 and q(f"SELECT state FROM posts WHERE id = {P}") == "draft",
     "withdrawing a schedule makes it a draft again")
r = form(ann, f"/posts/{P}/publish", {"at": ""})
t.ok(r.status == 303 and r.headers.get("location") == f"/posts/{P}/edit?published=1"
     and q(f"SELECT state FROM posts WHERE id = {P}") == "published"
     and q(f"SELECT open_suggestions FROM post_publications WHERE post_id = {P}") == "1",
     "publishing now, never blocked by the open suggestion")
t.ok("Published." in ann.get(f"/posts/{P}/edit?published=1").text, "with a notice")
r = form(ann, f"/posts/{P}/withdraw", {})
t.ok(r.status == 303 and q(f"SELECT state FROM posts WHERE id = {P}") == "withdrawn",
     "withdrawing the published post")
r = ann.get(f"/posts/{P}/edit")
t.ok(r.status == 200 and "This post is withdrawn" in r.text and 'id="editor"' not in r.text,
     "a withdrawn post's editor says so, without the form")

# -- a removed member ---------------------------------------------------------------------
r = form(rem, "/units/north/posts/new", dict(fields, co_authors=""))
PR = int(re.match(r"^/posts/(\d+)/edit", r.headers.get("location", "/posts/0/edit")).group(1))
t.ok(r.status == 303 and PR > 0, "a member writes a post")
q(f"DELETE FROM unit_members WHERE person_id = (SELECT id FROM people WHERE email = '{REM}')")
t.eq(rem.get(f"/posts/{PR}/edit").status, 404, "removed from the unit: their post's editor is 404")
t.eq(form(rem, f"/posts/{PR}/edit", dict(E, body="Still mine?", base="1")).status, 404,
     "and saving it is 404")
t.eq(rem.get("/units/north/posts").status, 404, "the unit's list too")

# -- the post page, whose statement travels with the session lookup -----------------------------
r = ann.get(f"/posts/{P}")
t.ok(r.status == 200 and "Spring fair" in r.text, "the author reads the post's page", r.status)
t.eq(bob.get(f"/posts/{P}").status, 404, "another unit's owner: the post's page is 404")
t.eq(rem.get(f"/posts/{PR}").status, 404, "a removed member: the page of their own post is 404")
forged = Client(s.port)
forged.cookies["ch_session"] = "A" * 43
t.ok(login_redirect(forged.get(f"/posts/{P}")), "a made-up session token: to the login page")
t.eq(anon.get(f"/posts/{P}").status, 303, "no session: to the login page")
for bad in ("abc", "0", "99999999999999999999", "1e3"):
    t.eq(ann.get(f"/posts/{bad}").status, 404, f"/posts/{bad}: 404")
r = ann.get(f"/posts/{P}")
t.ok(r.status == 200 and "Spring fair" in r.text, "and the page is read again after each of those")

# -- the live preview's endpoint --------------------------------------------------------------
r = api(ann, "/api/v1/preview", {"body": "*hi* <img src=x onerror=alert(1)>"})
t.ok(r.status == 200 and "<em>hi</em>" in r.json()["html"] and "onerror" not in r.json()["html"],
     "POST /api/v1/preview renders through the safe renderer", r.text)
t.eq(ann.post_json("/api/v1/preview", {"body": "x"}).status, 403, "without X-CSRF-Token: 403")
t.eq(anon.post_json("/api/v1/preview", {"body": "x"}).status, 401, "anonymous: 401")
r = api(ann, "/api/v1/preview", {"body": "b" * 100001})
t.ok(r.status == 413 and r.json()["error"]["field"] == "body", "over 100,000 characters: 413 naming body")
