"""test_review_pages.py: the post page and the inbox page through real
nginx, the FastCGI server and PostgreSQL.  The post as its readers see
it, suggestions beside the paragraph they touch; suggesting without
JavaScript by quoting a passage (found in the text, asked which place
when it occurs more than once, 422 naming it when it is not there), with
the offsets a selection gives, and inserting after a passage; accepting
and declining one, accepting all (one revision, overlapping and
outdated ones skipped) and declining all, as forms and as JSON;
comments answered and resolved; comments on a quoted passage (found,
asked which place, 422 naming it; the offsets of a selection), shown
beside their paragraph with the quote, carried from an older revision;
review requests; the inbox, read one by one and all at once, its unread
count in the header of every page.
And everyone who may not: a plain author, a reviewer accepting, a
member of another unit (404), a removed member (404), a stranger sent
to log in, a form without its CSRF token, a withdrawn post, accepting
twice (409), a member of a suspended unit commenting on a passage (403),
a hub person who reads no posts (404), a forwarded link (404), with
nothing written by any of them.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, err, approved_unit)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def api(c, path, obj, method="POST", token=True):
    h = {"X-CSRF-Token": c.token} if token else {}
    return c.post_json(path, obj, h, method=method)


def form(c, path, fields, token=True):
    f = dict(fields)
    if token:
        f["csrf_token"] = c.token
    return c.post(path, f)


def loc(r):
    return r.headers.get("location", "") if hasattr(r, "headers") else ""


ann = person(s, "ann@example.org")        # owner of north (requested it)
aut = person(s, "aut@example.org")        # author in north: writes the post
coa = person(s, "coa@example.org")        # author in north, co-author of it
eve = person(s, "eve@example.org")        # editor in north: reviews
pat = person(s, "pat@example.org")        # plain author in north
rem = person(s, "rem@example.org")        # editor in north, removed later
hub = person(s, "hub@example.org", "communicator")
bob = person(s, "bob@example.org")        # owner of south, another unit
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    approved_unit(t, who, ida, slug)

q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('aut@example.org', 'author'), ('coa@example.org', 'author'), "
  "('eve@example.org', 'editor'), ('pat@example.org', 'author'), "
  "('rem@example.org', 'editor')) m (email, role) "
  "JOIN people p ON p.email = m.email JOIN units u ON u.slug = 'north'")

BODY = ("Café 🎉 opens at nine.\n\nThe **quick** brown fox jumps over the lazy dog; "
        "the dog sleeps.\n\nCome early.")


def new_post(slug, author, title, body):
    pid = q(f"INSERT INTO posts (unit_id, author_id) SELECT u.id, p.id FROM units u, "
            f"people p WHERE u.slug = '{slug}' AND p.email = '{author}' RETURNING id")
    pid = pid.splitlines()[0]
    q(f"INSERT INTO post_revisions (unit_id, post_id, author_id, title, body) "
      f"SELECT unit_id, id, author_id, '{title}', '{body}' FROM posts WHERE id = {pid}")
    return pid


P = new_post("north", "aut@example.org", "Opening", BODY)
q(f"INSERT INTO post_authors (unit_id, post_id, person_id, added_by) SELECT p.unit_id, "
  f"p.id, c.id, p.author_id FROM posts p, people c WHERE p.id = {P} "
  f"AND c.email = 'coa@example.org'")
PB = new_post("south", "bob@example.org", "South news", "Bob writes here.")
PW = new_post("north", "aut@example.org", "Old news", "This was withdrawn.")
q(f"UPDATE posts SET state = 'published' WHERE id = {PW}")
q(f"UPDATE posts SET state = 'withdrawn' WHERE id = {PW}")


def count(table, where="true"):
    return int(q(f"SELECT count(*) FROM {table} WHERE {where}"))


def cp(text, word, nth=1):
    i = -1
    for _ in range(nth):
        i = text.index(word, i + 1)
    return i


# -- reading the page -----------------------------------------------------------
r = aut.get(f"/posts/{P}")
t.eq(r.status, 200, "the author reads the post's page")
t.ok("<h1" in r.text and "Opening" in r.text and "<strong>quick</strong>" in r.text,
     "with its title and its text rendered from CommonMark", r.text[:300])
t.ok(f'href="/posts/{P}/edit"' in r.text and f'href="/posts/{P}/history"' in r.text,
     "and links to edit it and to its history")
t.ok("Accept all" not in r.text, "no Accept all while nothing is open")
r = pat.get(f"/posts/{P}")
t.ok(r.status == 200 and f'href="/posts/{P}/edit"' not in r.text
     and 'action="/posts/%s/suggestions"' % P not in r.text,
     "a plain author of the unit reads it, without Edit nor the suggestion form")
r = eve.get(f"/posts/{P}")
t.ok(r.status == 200 and 'id="suggest-form"' in r.text and 'id="source"' in r.text,
     "an editor gets the suggestion forms and the source text")
r = anon.get(f"/posts/{P}")
t.ok(r.status == 303 and "/login" in loc(r), "a stranger is sent to log in", loc(r))
t.eq(bob.get(f"/posts/{P}").status, 404, "a member of another unit gets 404")
t.eq(eve.get(f"/posts/{PB}").status, 404, "and so does north's editor for south's post")
t.eq(aut.get("/posts/12x").status, 404, "a malformed id is 404")

# -- suggesting by quoting a passage --------------------------------------------
before = count("post_suggestions")
r = form(eve, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "nine", "replacement": "ten", "comment": "It opens at ten now."})
t.ok(r.status == 303 and loc(r).startswith(f"/posts/{P}?done=suggested#s-"),
     "an editor suggests by quoting a passage: 303 back to the post", loc(r))
s1 = q("SELECT max(id) FROM post_suggestions")
t.eq(q(f"SELECT span_start || '-' || span_end || ' ' || replacement FROM post_suggestions "
       f"WHERE id = {s1}"), "%d-%d ten" % (cp(BODY, "nine"), cp(BODY, "nine") + 4),
     "the server found it, in code points (after an emoji)")

r = form(eve, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "nine", "replacement": "ten"}, token=False)
t.eq(r.status, 403, "the form without its CSRF token is refused")
r = form(eve, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "at noon", "replacement": "at one"})
t.ok(r.status == 422 and 'id="sg-passage"' in r.text and 'aria-invalid="true"' in r.text
     and "not in the text of revision 1" in r.text and ">at noon</textarea>" in r.text
     and ">at one</textarea>" in r.text,
     "a passage not in the text: 422 naming it, the form again with what was typed")
r = form(eve, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "dog", "replacement": "cat"})
t.ok(r.status == 422 and "occurs 2 times" in r.text and 'name="occurrence"' in r.text
     and "<mark>dog</mark>" in r.text,
     "a passage found twice: 422 asking which place, each shown in its context")
r = form(eve, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "dog", "replacement": "cat", "occurrence": 2})
t.eq(r.status, 303, "the second place chosen: 303")
s2 = q("SELECT max(id) FROM post_suggestions")
t.eq(q(f"SELECT span_start FROM post_suggestions WHERE id = {s2}"), str(cp(BODY, "dog", 2)),
     "the suggestion sits on the second place")
r = form(eve, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "dog", "replacement": "hound", "occurrence": 3})
t.eq(r.status, 422, "a place that does not exist is 422")
i = cp(BODY, "the", 1)
r = form(eve, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "the", "replacement": "a", "start": i, "end": i + 3})
t.eq(r.status, 303, "a passage chosen in the source text (its offsets sent along): 303")
s3 = q("SELECT max(id) FROM post_suggestions")
t.eq(q(f"SELECT span_start FROM post_suggestions WHERE id = {s3}"), str(i),
     "the offsets chose the place, no question asked")
r = form(hub, f"/posts/{P}/suggestions", {"revision": 1, "mode": "insert",
         "passage": "Come early", "replacement": " and stay late"})
t.eq(r.status, 303, "a hub communicator suggests an insertion after a passage")
s4 = q("SELECT max(id) FROM post_suggestions")
e = cp(BODY, "Come early") + len("Come early")
t.eq(q(f"SELECT span_start || '-' || span_end FROM post_suggestions WHERE id = {s4}"),
     f"{e}-{e}", "an empty span right after the passage")
r = form(hub, f"/posts/{P}/suggestions", {"revision": 1, "mode": "insert",
         "passage": "Come early", "replacement": ""})
t.ok(r.status == 422 and 'id="in-text"' in r.text and "text to insert" in r.text,
     "an insertion of nothing is 422 naming the text")
n = count("post_suggestions")
r = form(pat, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "nine", "replacement": "eight"})
t.eq(r.status, 403, "a plain author may not suggest: 403")
r = form(bob, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "nine", "replacement": "eight"})
t.eq(r.status, 404, "a member of another unit: 404")
r = form(eve, f"/posts/{PW}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "withdrawn", "replacement": "gone"})
t.ok(r.status == 409 and "withdrawn" in r.text, "a suggestion on a withdrawn post: 409")
t.eq(count("post_suggestions"), n, "none of them wrote anything")

# -- the page shows them beside their paragraphs --------------------------------
r = aut.get(f"/posts/{P}")
paras = r.text.split('<div class="para">')[1:]
t.ok(len(paras) == 3 and f'id="s-{s1}"' in paras[0] and f'id="s-{s2}"' in paras[1]
     and f'id="s-{s4}"' in paras[2],
     "each suggestion is beside the paragraph it touches")
t.ok("<del>nine</del>" in paras[0] and "<ins>ten</ins>" in paras[0]
     and "It opens at ten now." in paras[0] and "Eve" in paras[0],
     "showing the original struck, the replacement, the comment and who")
t.ok("Accept all" in r.text and "Decline all" in r.text, "the author gets Accept all")
r = eve.get(f"/posts/{P}")
t.ok(f"/suggestions/{s1}/accept" not in r.text, "a reviewer gets no Accept")

# -- accepting and declining one -------------------------------------------------
r = form(eve, f"/posts/{P}/suggestions/{s1}/accept", {})
t.eq(r.status, 403, "a reviewer who may suggest may not accept: 403")
r = form(coa, f"/posts/{P}/suggestions/{s1}/accept", {}, token=False)
t.eq(r.status, 403, "accepting without the CSRF token: 403")
t.eq(q("SELECT revision FROM posts WHERE id = %s" % P), "1", "nothing accepted so far")
r = form(coa, f"/posts/{P}/suggestions/{s1}/accept", {})
t.ok(r.status == 303 and loc(r).startswith(f"/posts/{P}?done=accepted"),
     "the co-author accepts: 303 back", loc(r))
t.ok(q(f"SELECT body FROM post_revisions WHERE post_id = {P} AND number = 2")
     .startswith("Café 🎉 opens at ten."), "revision 2 has the change")
r = form(coa, f"/posts/{P}/suggestions/{s1}/accept", {})
t.ok(r.status == 409 and "accepted already" in r.text, "accepting twice: a clear 409")
r = form(aut, f"/posts/{P}/suggestions/{s3}/decline", {"reply": "Keep 'the'."})
t.eq(r.status, 303, "the author declines one with a reply")
t.eq(q(f"SELECT state || ': ' || reply FROM post_suggestions WHERE id = {s3}"),
     "declined: Keep 'the'.", "declined, the reply kept")
r = aut.get(f"/posts/{P}")
t.ok('id="decided"' in r.text and re.search(r"Reply: Keep (&#39;|&#x27;|')the", r.text),
     "decided suggestions are listed with the reply")

# -- accepting and declining all (JSON) -------------------------------------------
# an overlapping pair and an outdated one
BODY2 = BODY.replace("at nine", "at ten")
r = api(eve, f"/api/v1/posts/{P}/suggestions", {"revision": 2, "start": cp(BODY2, "brown"),
        "end": cp(BODY2, "brown") + 5, "replacement": "red"})
sa = r.json()["id"]
r = api(eve, f"/api/v1/posts/{P}/suggestions", {"revision": 2, "start": cp(BODY2, "brown fox"),
        "end": cp(BODY2, "brown fox") + 9, "replacement": "grey wolf"})
sb = r.json()["id"]
r = aut.post_json(f"/api/v1/posts/{P}/suggestions/accept-all", {})
t.eq(r.status, 403, "accept-all without the CSRF token: 403")
r = api(eve, f"/api/v1/posts/{P}/suggestions/accept-all", {})
t.eq(r.status, 403, "a reviewer accepting all: 403")
r = api(bob, f"/api/v1/posts/{P}/suggestions/accept-all", {})
t.eq(r.status, 404, "another unit's member: 404")
r = api(rem, f"/api/v1/posts/{P}/suggestions/accept-all", {})
t.eq(r.status, 403, "an editor of the unit (not its writer): 403")
t.eq(q(f"SELECT revision FROM posts WHERE id = {P}"), "2", "nothing accepted by them")
r = api(aut, f"/api/v1/posts/{P}/suggestions/accept-all", {})
j = r.json() if r.status == 200 else {}
t.eq(r.status, 200, "the author accepts all: 200")
skipped = {x["id"]: x["reason"] for x in j.get("skipped", [])}
t.ok(j.get("revision") == 3 and sorted(j.get("accepted", [])) == sorted([int(s2), int(s4), sa])
     and skipped == {sb: "overlaps"} and j.get("counts") == {"accepted": 3, "skipped": 1},
     "one new revision with the three that fit; the overlapping one skipped, said why", r.text)
t.eq(j.get("body"), BODY2.replace("brown", "red").replace("the dog sleeps", "the cat sleeps")
     .replace("Come early", "Come early and stay late"),
     "the revision has every change, each at its place")
t.eq(q(f"SELECT state FROM post_suggestions WHERE id = {sb}"), "open", "the skipped one stays open")
r = api(aut, f"/api/v1/posts/{P}/suggestions/accept-all", {})
t.eq(err(r)[0], 409, "accepting all again, when none fits: 409")
r = api(eve, f"/api/v1/posts/{P}/suggestions/decline-all", {"reply": "no"})
t.eq(r.status, 403, "a reviewer declining all: 403")
r = api(aut, f"/api/v1/posts/{P}/suggestions/decline-all", {"reply": "Thanks, no."})
t.ok(r.status == 200 and r.json().get("declined") == [sb]
     and r.json().get("counts") == {"declined": 1}, "the author declines all: 200", r.text)
r = api(aut, f"/api/v1/posts/{P}/suggestions/decline-all", {})
t.eq(err(r)[:2], (409, "none_open"), "declining all again: 409")

# accept-all as a form, with an outdated one skipped
r = api(eve, f"/api/v1/posts/{P}/suggestions", {"revision": 3, "start": 0, "end": 4,
        "replacement": "Cafe"})
so = r.json()["id"]
BODY3 = q(f"SELECT body FROM post_revisions WHERE post_id = {P} AND number = 3")
r = api(eve, f"/api/v1/posts/{P}/suggestions", {"revision": 3, "start": cp(BODY3, "Come"),
        "end": cp(BODY3, "Come") + 4, "replacement": "Arrive"})
q(f"INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body) "
  f"SELECT p.unit_id, p.id, p.revision, p.author_id, r.title, replace(r.body, 'Café', "
  f"'Bistro') FROM posts p JOIN post_revisions r ON r.unit_id = p.unit_id "
  f"AND r.post_id = p.id AND r.number = p.revision WHERE p.id = {P}")
r = form(aut, f"/posts/{P}/suggestions/accept-all", {})
t.ok(r.status == 303 and "done=accepted_all&n=1&k=1" in loc(r),
     "Accept all as a form: 303, one accepted, the outdated one skipped", loc(r))
t.eq(q(f"SELECT state FROM post_suggestions WHERE id = {so}"), "open", "the outdated one stays open")
r = aut.get(loc(r))
t.ok("accepted into one new revision: 1" in r.text, "the page says so")
r = form(aut, f"/posts/{P}/suggestions/decline-all", {"reply": ""})
t.eq(r.status, 303, "Decline all as a form: 303")

# -- comments ------------------------------------------------------------------------
r = form(eve, f"/posts/{P}/comments", {"body": "Is the time right?"})
t.ok(r.status == 303 and "#c-" in loc(r), "a reviewer comments: 303 to the comment", loc(r))
c1 = q("SELECT max(id) FROM post_comments")
r = form(eve, f"/posts/{P}/comments", {"body": ""})
t.ok(r.status == 422 and 'id="comment-body"' in r.text and 'aria-invalid="true"' in r.text,
     "an empty comment: 422, the form again")
r = form(aut, f"/posts/{P}/comments", {"body": "Yes, ten.", "reply_to": c1})
t.eq(r.status, 303, "the author answers it")
r = aut.get(f"/posts/{P}")
thread = r.text.split(f'id="c-{c1}"')[1].split("</article>")[0] if f'id="c-{c1}"' in r.text else ""
t.ok("Is the time right?" in thread and "Yes, ten." in thread and 'class="replies"' in thread,
     "the answer is in the comment's thread")
r = form(eve, f"/posts/{P}/comments/{c1}/resolve", {})
t.eq(r.status, 403, "a reviewer may not resolve")
r = form(aut, f"/posts/{P}/comments/{c1}/resolve", {})
t.eq(r.status, 303, "the author resolves it")
t.ok("resolved" in aut.get(f"/posts/{P}").text, "shown resolved")
n = count("post_comments")
t.eq(form(bob, f"/posts/{P}/comments", {"body": "hi"}).status, 404,
     "another unit's member comments: 404")
t.eq(count("post_comments"), n, "nothing written")
q(f"INSERT INTO post_comments (unit_id, post_id, revision, span_start, span_end, "
  f"author_id, body) SELECT unit_id, id, 1, 0, 4, (SELECT id FROM people WHERE email = "
  f"'eve@example.org'), 'On the name' FROM posts WHERE id = {P}")
t.ok('<blockquote class="quote">Café</blockquote>' in aut.get(f"/posts/{P}").text,
     "a comment on a span shows the span")

# -- review requests -----------------------------------------------------------------
r = aut.get(f"/posts/{P}")
t.ok('value="eve@example.org"' in r.text and 'value="hub@example.org"' in r.text
     and 'value="pat@example.org"' not in r.text,
     "the author may ask the unit's editors and the hub, not a plain author")
r = form(aut, f"/posts/{P}/review-requests", {"reviewers": "pat@example.org"})
t.ok(r.status == 422 and "reviewers-error" in r.text, "asking a plain author: 422 naming reviewers")
r = form(eve, f"/posts/{P}/review-requests", {"reviewers": "hub@example.org"})
t.eq(r.status, 403, "a reviewer asking for a review: 403")
r = aut.send("POST", f"/posts/{P}/review-requests",
         "csrf_token=%s&reviewers=eve%%40example.org&reviewers=hub%%40example.org" % aut.token,
         {"Content-Type": "application/x-www-form-urlencoded"})
t.eq(r.status, 303, "the author asks two reviewers at once")
t.eq(count("post_review_requests", f"post_id = {P}"), 2, "both asked")
t.ok("asked already" in aut.get(f"/posts/{P}").text, "the page says who was asked")

# -- the inbox -------------------------------------------------------------------------
def unread(c):
    m = re.search(r'class="count">(\d+)<', c.get("/units").text)
    return int(m.group(1)) if m else 0


n = int(q("SELECT count(*) FROM inbox_items i JOIN people p ON p.id = i.person_id "
          "WHERE p.email = 'eve@example.org' AND read_at IS NULL"))
t.ok(n > 0 and unread(eve) == n, "the header shows the unread count on every page", str(n))
r = eve.get("/inbox")
t.ok(r.status == 200 and "asked you to review" in r.text and f'href="/posts/{P}' in r.text,
     "the inbox lists the review request, linking to the post")
first = r.text.index('class="inbox-item unread"')
t.ok(first < r.text.find('class="inbox-item"') or r.text.find('class="inbox-item"') < 0,
     "unread first")
item = q("SELECT min(i.id) FROM inbox_items i JOIN people p ON p.id = i.person_id "
         "WHERE p.email = 'eve@example.org' AND read_at IS NULL")
r = form(bob, "/inbox/read", {"ids": item})
t.eq(unread(eve), n, "another person marking eve's item read changes nothing")
r = form(eve, "/inbox/read", {"ids": item}, token=False)
t.eq(r.status, 403, "marking read without the CSRF token: 403")
r = form(eve, "/inbox/read", {"ids": item})
t.ok(r.status == 303 and loc(r) == "/inbox?read=1", "Mark read: 303 to the inbox")
t.eq(unread(eve), n - 1, "the count goes down by one")
r = form(eve, "/inbox/read", {"all": "true"})
t.eq(r.status, 303, "Mark all read")
t.eq(unread(eve), 0, "the count is gone")
t.ok("Nothing unread." in eve.get("/inbox").text, "the inbox says nothing is unread")
r = ann.get("/inbox")
t.ok("decided on your unit" in r.text and 'href="/units/north"' in r.text,
     "the unit's requester finds the decision on it, linking to the unit")
r = anon.get("/inbox")
t.ok(r.status == 303 and "/login" in loc(r), "a stranger is sent to log in")

# -- comments on a span, from the page ------------------------------------------------
REV = q(f"SELECT revision FROM posts WHERE id = {P}")
TXT = q(f"SELECT body FROM post_revisions WHERE post_id = {P} AND number = {REV}")
SPAN = f"/posts/{P}/comments/span"
r = aut.get(f"/posts/{P}")
t.ok('action="%s"' % SPAN in r.text and 'id="sc-passage"' in r.text and 'id="source"' in r.text,
     "the page has the form to comment on a passage, and the source text")
t.ok('action="%s"' % SPAN in pat.get(f"/posts/{P}").text,
     "so does a plain author of the unit, who comments but does not suggest")
n = count("post_comments")
r = form(eve, SPAN, {"revision": REV, "passage": "lazy", "body": "Is he, though?"})
t.ok(r.status == 303 and loc(r).startswith(f"/posts/{P}?done=commented#c-"),
     "an editor comments on a quoted passage: 303 to the comment", loc(r))
k1 = q("SELECT max(id) FROM post_comments")
t.eq(q(f"SELECT revision || ' ' || span_start || '-' || span_end || ' ' || body "
       f"FROM post_comments WHERE id = {k1}"),
     "%s %d-%d Is he, though?" % (REV, cp(TXT, "lazy"), cp(TXT, "lazy") + 4),
     "the server found the passage: the span in code points of the revision shown")
r = aut.get(f"/posts/{P}")
paras = r.text.split('<div class="para">')[1:]
t.ok(len(paras) == 3 and 'aria-label="Comments on this paragraph"' in paras[1]
     and '<blockquote class="quote">lazy</blockquote>' in paras[1]
     and "Is he, though?" in paras[1] and f'href="#c-{k1}"' in paras[1],
     "the comment is beside its paragraph with the quoted text, linking to its thread")
t.ok(f'id="c-{k1}"' in r.text.split('id="comments"')[1],
     "and in the comments, where it is answered and resolved")
text = r.text.split('<div class="review">')[1].split("</section>")[0]
t.ok("On the name" not in text and "On the name" in r.text,
     "a comment whose text was changed since stays in the comments alone")
q(f"INSERT INTO post_comments (unit_id, post_id, revision, span_start, span_end, "
  f"author_id, body) SELECT unit_id, id, 1, {cp(BODY, 'jumps')}, {cp(BODY, 'jumps') + 5}, "
  f"(SELECT id FROM people WHERE email = 'eve@example.org'), 'Jumps well' FROM posts "
  f"WHERE id = {P}")
paras = aut.get(f"/posts/{P}").text.split('<div class="para">')[1:]
t.ok("Jumps well" in paras[1] and '<blockquote class="quote">jumps</blockquote>' in paras[1],
     "a comment on an older revision is carried to its paragraph when its text is unchanged")

r = form(eve, SPAN, {"revision": REV, "passage": "at noon", "body": "When?"})
t.ok(r.status == 422 and 'id="sc-passage"' in r.text and 'aria-invalid="true"' in r.text
     and "not in the text of revision %s" % REV in r.text and ">at noon</textarea>" in r.text
     and ">When?</textarea>" in r.text,
     "a passage not in the text: 422 naming it, the form again with what was typed")
t.ok(TXT.count("the ") >= 2, "the text has a passage twice", TXT)
r = form(eve, SPAN, {"revision": REV, "passage": "the ", "body": "Which one?"})
t.ok(r.status == 422 and "occurs %d times" % TXT.count("the ") in r.text
     and 'id="sc-occ-2"' in r.text and "<mark>the </mark>" in r.text
     and ">Which one?</textarea>" in r.text,
     "a passage found twice: 422 asking which place, each shown in its context")
r = form(eve, SPAN, {"revision": REV, "passage": "the ", "body": "Which one?",
                     "occurrence": 9})
t.ok(r.status == 422 and 'id="sc-occ-1"' in r.text, "a place that does not exist: 422 again")
r = form(eve, SPAN, {"revision": REV, "passage": "the ", "body": "This one.",
                     "occurrence": 2})
t.eq(r.status, 303, "the second place chosen: 303")
t.eq(q("SELECT span_start FROM post_comments ORDER BY id DESC LIMIT 1"),
     str(cp(TXT, "the ", 2)), "the comment sits on the second place")
i = cp(TXT, "the ", 1)
r = form(eve, SPAN, {"revision": REV, "passage": "the ", "body": "Chosen in the source.",
                     "start": i, "end": i + 4})
t.eq(r.status, 303, "a passage chosen in the source text (its offsets sent along): 303")
t.eq(q("SELECT span_start FROM post_comments ORDER BY id DESC LIMIT 1"), str(i),
     "the offsets chose the place, no question asked")
r = form(eve, SPAN, {"revision": REV, "passage": "lazy", "body": ""})
t.ok(r.status == 422 and 'id="sc-body"' in r.text and "sc-body-error" in r.text,
     "an empty comment: 422 naming it")
r = form(eve, SPAN, {"revision": REV, "passage": "", "body": "On nothing"})
t.ok(r.status == 422 and "sc-passage-error" in r.text, "no passage: 422 naming it")
r = form(eve, SPAN, {"revision": 99, "passage": "lazy", "body": "Old"})
t.eq(r.status, 404, "a revision the post does not have: 404")
n = count("post_comments")
r = form(eve, SPAN, {"revision": REV, "passage": "lazy", "body": "No token"}, token=False)
t.eq(r.status, 403, "the form without its CSRF token: 403")
r = form(bob, SPAN, {"revision": REV, "passage": "lazy", "body": "From the south"})
t.eq(r.status, 404, "a member of another unit: 404")
t.eq(bob.get(f"/posts/{P}?done=commented#c-{k1}").status, 404,
     "and the link to the comment, forwarded to them, is 404 too")
hr = person(s, "hr@example.org", "hr")
r = form(hr, SPAN, {"revision": REV, "passage": "lazy", "body": "HR here"})
t.eq(r.status, 404, "a hub person who does not read the unit's posts: 404")
r = anon.post(SPAN, {"revision": REV, "passage": "lazy", "body": "Anonymous"})
t.eq(r.status, 401, "a stranger is refused: 401")
q("UPDATE units SET state = 'suspended' WHERE slug = 'south'")
r = form(bob, f"/posts/{PB}/comments/span", {"revision": 1, "passage": "Bob",
         "body": "While suspended"})
t.ok(r.status == 403 and "approved" in r.text,
     "a member who only reads (the unit suspended): 403, said why", str(r.status))
q("UPDATE units SET state = 'approved' WHERE slug = 'south'")
t.eq(count("post_comments"), n, "none of them wrote anything")

# -- a removed member ----------------------------------------------------------------
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people WHERE email = "
  "'rem@example.org')")
t.eq(rem.get(f"/posts/{P}").status, 404, "a removed member: 404")
r = form(rem, f"/posts/{P}/suggestions", {"revision": 1, "mode": "replace",
         "passage": "Come", "replacement": "Go"})
t.eq(r.status, 404, "and cannot suggest any more")
r = form(rem, f"/posts/{P}/comments/span", {"revision": 1, "passage": "Come",
         "body": "Still here?"})
t.eq(r.status, 404, "nor comment on a passage")
