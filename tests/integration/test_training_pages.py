"""test_training_pages.py: the pages of training through real nginx, the
FastCGI server and PostgreSQL, and the reminders of assigned courses
mailed by the real job worker to the SMTP catcher.

HR writes a hub course with the writers' form (a lesson slot and a
question slot added by a round trip, no JavaScript), a unit's editor one
of the unit's; bad input re-renders the form with what was typed and 422
naming the field.  "My training" lists what is assigned (overdue
marked), in progress, completed and the catalog with the unit's course
marked as the unit's.  A course page lists its lessons with read marks
and the guideline rules whose link is the course's address; HR and the
unit's owners assign from it.  Lessons are marked read; the quiz page
never holds the right answers; a quiz left unanswered is 422 with what
was ticked; every attempt is kept; passing shows the badge on the
account and to reviewers beside the author on the post page.  Every
attacker is refused and writes nothing: an author editing a hub course,
another unit's member opening a unit course, a removed member, a
stranger, an anonymous visitor, a form without its CSRF token, an
author assigning.  Reminders run on the database's clock, which the test
sets (chapterhouse.clock): on assignment, due soon, overdue, one digest
a day a person; nothing sleeps.
"""

import datetime
import email
import email.policy
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, loc, value_of, invalid)
import stack as stackmod  # noqa: E402

t = TAP()
s = new_stack()
PUBLIC = f"http://127.0.0.1:{s.port}"


def q(sql):
    return q_on(s, sql)


def form(c, path, fields, token=True):
    f = list(fields.items()) if isinstance(fields, dict) else list(fields)
    if token:
        f.append(("csrf_token", c.token))
    return c.post(path, f)


def count(table, where="true"):
    return q(f"SELECT count(*) FROM {table} WHERE {where}")


ann = person(s, "ann@example.org")        # owner of north
ed = person(s, "ed@example.org")          # editor of north
pat = person(s, "pat@example.org")        # a plain author of north
rem = person(s, "rem@example.org")        # a member of north, removed
bob = person(s, "bob@example.org")        # owner of south, another unit
stranger = person(s, "str@example.org")   # belongs to nothing
hr = person(s, "hr@example.org", "hr")
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    r = who.post_json("/api/v1/units", {
        "name": slug.title(), "slug": slug, "kind": "chapter",
        "purpose": "Tell the town.", "audience": "Everyone", "channels": ["blog"]},
        {"X-CSRF-Token": who.token})
    t.eq(r.status, 201, f"{slug} is requested")
    r = ida.post_json(f"/api/v1/units/{slug}/decision", {"decision": "approve"},
                      {"X-CSRF-Token": ida.token})
    t.eq(r.status, 200, f"{slug} is approved")
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('ed@example.org', 'editor'), ('pat@example.org', 'author'), "
  "('rem@example.org', 'author')) m (email, role) "
  "JOIN people p ON p.email = m.email JOIN units u ON u.slug = 'north'")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")

today = datetime.date.today()
day = datetime.timedelta(days=1)

# -- who reaches the pages -----------------------------------------------------
r = anon.get("/training")
t.ok(r.status == 303 and loc(r).startswith("/login?next="),
     "an anonymous visitor of /training is sent to sign in", loc(r))
t.ok('href="/training"' in pat.get("/").text, "the header links the signed-in to Training")
t.ok('href="/training"' not in anon.get("/").text, "and not an anonymous visitor")
for who, name in [(pat, "a plain author"), (stranger, "a stranger")]:
    t.eq(who.get("/courses/new").status, 403, f"{name} is refused the writers' form: 403")
    r = form(who, "/courses/new", {"title": "Mine", "minutes": "5",
                                   "l1_title": "One", "l1_body": "Text."})
    t.eq(r.status, 403, f"{name} posting the writers' form is refused: 403")
t.eq(count("courses"), "0", "and nothing is written")

# -- HR writes a hub course with the form ----------------------------------------
r = hr.get("/courses/new")
t.ok(r.status == 200 and 'id="l3_title"' in r.text and 'id="l4_title"' not in r.text
     and 'id="q1_text"' in r.text and '<option value="">The hub' in r.text,
     "HR's form: three lesson slots, one question slot, the hub's course offered",
     r.text[:300])
t.ok('<option value="north"' not in r.text, "and no unit HR does not write for")
r = ed.get("/courses/new")
t.ok(r.status == 200 and '<option value="north"' in r.text
     and '<option value="">The hub' not in r.text,
     "north's editor is offered north only")

COURSE = {"title": "Speaking to the press", "summary": "Who speaks, and what to say.",
          "minutes": "15", "state": "published", "unit": "",
          "lessons_shown": "3", "questions_shown": "1",
          "l1_title": "Who speaks", "l1_body": "The **press office** speaks.",
          "l2_title": "What to say", "l2_body": "- Nothing off the record\n- Facts only",
          "pass_mark": "100",
          "q1_text": "Who speaks to the press?",
          "q1_choices": "Anyone\r\nThe press office\r\nThe unit's owner", "q1_correct": "2"}

r = form(hr, "/courses/new", dict(COURSE, add="lesson"))
t.ok(r.status == 200 and 'id="l4_title"' in r.text
     and value_of(r.text, "l2_body") == COURSE["l2_body"]
     and value_of(r.text, "title") == COURSE["title"],
     "'Add a lesson' sends the form back with a fourth slot and what was typed",
     r.text[:300])
r = form(hr, "/courses/new", dict(COURSE, add="question", lessons_shown="4"))
t.ok(r.status == 200 and 'id="q2_text"' in r.text and 'id="l4_title"' in r.text,
     "'Add a question' adds a second question slot, keeping four lesson slots")
t.eq(count("courses"), "0", "adding slots saves nothing")

BAD = [
    ({"title": ""}, "title", "no title"),
    ({"minutes": "0"}, "minutes", "0 minutes"),
    ({"minutes": "many"}, "minutes", "minutes not a number"),
    ({"l1_body": ""}, "l1_body", "a lesson without its text"),
    ({"l2_title": ""}, "l2_title", "a lesson text without its title"),
    ({"l1_title": "", "l1_body": "", "l2_title": "", "l2_body": ""}, "l1_title",
     "no lesson at all"),
    ({"q1_choices": "Only one"}, "q1_choices", "a question with one choice"),
    ({"q1_correct": "4"}, "q1_correct", "a right choice out of range"),
    ({"q1_correct": "2, 2"}, "q1_correct", "a right choice twice"),
    ({"pass_mark": ""}, "pass_mark", "a quiz without pass mark"),
    ({"pass_mark": "101"}, "pass_mark", "a pass mark over 100"),
    ({"state": "gone"}, "state", "an unknown state"),
    ({"unit": "nowhere"}, "unit", "an unknown unit"),
    ({"title": "x" * 201}, "title", "a title too long"),
]
for change, field, name in BAD:
    r = form(hr, "/courses/new", dict(COURSE, **change))
    typed = value_of(r.text, "l1_title")
    t.ok(r.status == 422 and (invalid(r.text, field) or field == "state")
         and typed == dict(COURSE, **change)["l1_title"],
         f"{name}: 422, the form again with {field} marked and what was typed",
         f"{r.status} {r.text[:200]}")
t.eq(count("courses"), "0", "no bad form wrote a course")

r = form(hr, "/courses/new", COURSE, token=False)
t.eq(r.status, 403, "the writers' form without its CSRF token: 403")
t.eq(count("courses"), "0", "and nothing is written")

r = form(hr, "/courses/new", COURSE)
t.ok(r.status == 303 and re.fullmatch(r"/courses/\d+\?done=saved", loc(r)),
     "HR saves the hub course: 303 to its page with a notice", f"{r.status} {loc(r)}")
press = q("SELECT max(id) FROM courses")
t.eq(q(f"SELECT unit_id IS NULL AND state = 'published' FROM courses WHERE id = {press}"), "t",
     "a published course of the hub")
t.eq(q(f"SELECT string_agg(title, '|' ORDER BY n) FROM course_lessons WHERE course_id = {press}"),
     "Who speaks|What to say", "its two lessons, empty slots left out")
t.eq(q(f"SELECT correct::text FROM course_questions WHERE course_id = {press}"), "{1}",
     "the right choice 2 is index 1")
r = hr.get(loc(r))
t.ok("The course is saved." in r.text, "the course page says it is saved")

# -- a unit's course, by north's editor --------------------------------------------
r = form(ed, "/courses/new", {"title": "North's tagging conventions", "minutes": "5",
                              "state": "published", "unit": "north",
                              "l1_title": "Our tags", "l1_body": "Use *events* and *news*."})
t.eq(r.status, 303, "north's editor writes a north course without a quiz")
north = q("SELECT max(id) FROM courses")
r = form(ed, "/courses/new", {"title": "Hub course", "minutes": "5", "unit": "",
                              "l1_title": "T", "l1_body": "B"})
t.eq(r.status, 403, "the editor cannot write a hub course: 403")
r = form(bob, "/courses/new", {"title": "Into north", "minutes": "5", "unit": "north",
                               "l1_title": "T", "l1_body": "B"})
t.eq(r.status, 403, "another unit's owner cannot write a north course: 403")
t.eq(count("courses"), "2", "neither wrote anything")

# -- editing -----------------------------------------------------------------------
r = hr.get(f"/courses/{press}/edit")
t.ok(r.status == 200 and value_of(r.text, "q1_correct") == "2"
     and value_of(r.text, "q1_choices") == "Anyone\nThe press office\nThe unit's owner"
     and 'id="l3_title"' in r.text,
     "HR's edit form shows the course, the right choices from 1 and a spare slot",
     r.text[:300])
for who, name in [(pat, "an author"), (ann, "a unit's owner"), (ed, "a unit's editor")]:
    t.eq(who.get(f"/courses/{press}/edit").status, 403,
         f"{name} opening the hub course's edit form: 403")
    r = form(who, f"/courses/{press}/edit", dict(COURSE, title="Hijacked"))
    t.eq(r.status, 403, f"{name} posting it: 403")
t.eq(q(f"SELECT string_agg(DISTINCT title, '') FROM course_versions WHERE course_id = {press}"),
     COURSE["title"], "the course is unchanged")
t.eq(bob.get(f"/courses/{north}/edit").status, 404,
     "another unit's owner does not even see north's course: 404")
r = form(hr, f"/courses/{press}/edit", dict(COURSE, summary="Who speaks to reporters."))
t.ok(r.status == 303 and q(f"SELECT version FROM courses WHERE id = {press}") == "2",
     "HR changes the published course: its next version", f"{r.status} {r.text[:200]}")

# -- reading: course page, lessons, marks ----------------------------------------
link = f"{PUBLIC}/courses/{press}"
q("INSERT INTO guide_hub_rules (kind, fields, message, link, created_by, updated_by) "
  "SELECT 'term', '{\"pattern\": \"no comment\", \"regex\": false, "
  "\"case_sensitive\": false, \"replacement\": null}', 'Speak to the press "
  f"through the press office.', '{link}', id, id FROM people WHERE email = 'hr@example.org'")
q("INSERT INTO guide_hub_rules (kind, fields, message, link, created_by, updated_by) "
  "SELECT 'links', '{}', 'Another rule.', 'https://elsewhere.example.org/courses/1', "
  "id, id FROM people WHERE email = 'hr@example.org'")
r = pat.get(f"/courses/{press}")
t.ok(r.status == 200 and "Who speaks" in r.text and "What to say" in r.text
     and "0 of 2 read." in r.text, "an author reads the course page: its lessons, none read")
t.ok("Speak to the press through the press office." in r.text
     and "Another rule." not in r.text,
     "the page names the rule whose link is the course's address, not another")
t.ok(f'action="/courses/{press}/assign"' not in r.text, "an author is offered no assign form")
r = pat.get(f"/courses/{press}/lessons/1")
t.ok(r.status == 200 and "<strong>press office</strong>" in r.text
     and f'action="/courses/{press}/lessons/1/read"' in r.text
     and f'href="/courses/{press}/lessons/2"' in r.text,
     "the lesson page: rendered CommonMark, its mark-as-read form, the next lesson")
r = pat.get(f"/courses/{press}/lessons/3")
t.eq(r.status, 404, "a lesson out of range: 404")
r = form(pat, f"/courses/{press}/lessons/1/read", {}, token=False)
t.eq(r.status, 403, "marking read without the CSRF token: 403")
t.eq(count("lesson_reads"), "0", "nothing marked")
r = form(pat, f"/courses/{press}/lessons/1/read", {})
t.ok(r.status == 303 and loc(r) == f"/courses/{press}/lessons/2",
     "marking lesson 1 read goes on to lesson 2", loc(r))
r = form(pat, f"/courses/{press}/lessons/9/read", {})
t.eq(r.status, 404, "marking a lesson out of range: 404")
r = pat.get(f"/courses/{press}")
t.ok("1 of 2 read." in r.text and '<span class="badge ok">read</span>' in r.text,
     "the course page marks lesson 1 read")

# Another unit's member, a removed member and a stranger do not open north's course.
for who, name in [(bob, "another unit's owner"), (rem, "a removed member"),
                  (stranger, "a stranger")]:
    t.eq(who.get(f"/courses/{north}").status, 404, f"{name} opening north's course: 404")
    t.eq(who.get(f"/courses/{north}/lessons/1").status, 404,
         f"{name} opening its lesson: 404")
    r = form(who, f"/courses/{north}/lessons/1/read", {})
    t.eq(r.status, 404, f"{name} marking its lesson read: 404")
t.eq(count("lesson_reads", f"course_id = {north}"), "0", "nobody marked it")
t.eq(anon.get(f"/courses/{press}").status, 303, "an anonymous visitor is sent to sign in")

# -- the quiz ---------------------------------------------------------------------------
r = pat.get(f"/courses/{press}/quiz")
t.ok(r.status == 200 and 'name="answers" value="1:1"' in r.text
     and "correct" not in r.text.lower(),
     "the quiz page: a box per choice, nothing about the right answers")
r = hr.get(f"/courses/{press}/quiz")
t.ok(r.status == 200 and "correct" not in r.text.lower(),
     "not even for its writer")
t.eq(pat.get(f"/courses/{north}/quiz").status, 404, "a course without quiz has no quiz page")
r = form(pat, f"/courses/{press}/quiz", {})
t.ok(r.status == 422 and 'id="q1"' in r.text and "question 1 needs an answer" in r.text,
     "a quiz sent with nothing ticked: 422 naming question 1", r.text[:300])
r = form(pat, f"/courses/{press}/quiz", [("answers", "7:0")])
t.eq(r.status, 422, "an answer to a question that does not exist: 422")
r = form(pat, f"/courses/{press}/quiz", [("answers", "1:x")])
t.eq(r.status, 422, "an answer that is no choice: 422")
r = form(pat, f"/courses/{press}/quiz", [("answers", "1:0")], token=False)
t.eq(r.status, 403, "a quiz without the CSRF token: 403")
t.eq(count("quiz_attempts"), "0", "no attempt kept for any of these")
r = form(pat, f"/courses/{press}/quiz", [("answers", "1:0"), ("answers", "1:1")])
t.ok(r.status == 303 and loc(r) == f"/courses/{press}/quiz/result",
     "the author answers (wrongly: two boxes): 303 to the result")
r = pat.get(loc(r))
t.ok(r.status == 200 and "You scored 0%" in r.text and "not passed" in r.text
     and "Try again" in r.text, "the result: 0%, not passed, try again", r.text[:400])
r = form(pat, f"/courses/{press}/quiz", [("answers", "1:1")])
r = pat.get(f"/courses/{press}/quiz/result")
t.ok("You scored 100%: passed" in r.text and "2 attempts" in r.text,
     "answering again passes: 100%, two attempts kept", r.text[:400])
t.eq(count("quiz_attempts"), "2", "both attempts are kept")
t.eq(count("course_completions", f"course_id = {press}"), "1", "the course is completed")
t.eq(stranger.get(f"/courses/{press}/quiz/result").status, 404,
     "someone without an attempt has no result page")

# -- badges ---------------------------------------------------------------------------
r = pat.get("/account")
t.ok(r.status == 200 and 'aria-label="Courses completed"' in r.text
     and COURSE["title"] in r.text, "the badge shows on the author's account")
t.ok(COURSE["title"] not in stranger.get("/account").text, "and not on a stranger's")
r = pat.post_json("/api/v1/units/north/posts", {"title": "Our fair", "body": "Come along."},
                  {"X-CSRF-Token": pat.token})
t.eq(r.status, 201, "the author writes a draft")
post = r.json().get("id")
r = ed.get(f"/posts/{post}")
t.ok(r.status == 200 and 'aria-label="Courses completed"' in r.text
     and COURSE["title"] in r.text,
     "north's editor, a reviewer, sees the badge beside the author on the post page")
r = pat.get(f"/posts/{post}")
t.ok('aria-label="Courses completed"' not in r.text, "the author's own view shows none")
t.eq(q("SELECT ch_training_badges((SELECT id FROM people WHERE email = 'pat@example.org'), "
       "NULL)::text"), "[]", "nobody acting: no badge")

# -- my training -------------------------------------------------------------------
r = pat.get("/training")
t.ok(r.status == 200 and "North's course" in r.text and "The hub's course" in r.text,
     "the catalog marks the hub's course and north's")
t.ok(re.search(r"Completed</h2>\s*<ul[^>]*>\s*<li><a href=\"/courses/%s\">" % press, r.text)
     is not None, "the completed course is listed", r.text[:2000])
t.ok("North&#39;s tagging" not in bob.get("/training").text
     and "tagging conventions" not in bob.get("/training").text,
     "another unit's owner's catalog has no north course")

# -- assigning from the course page ---------------------------------------------
r = hr.get(f"/courses/{press}")
t.ok(f'action="/courses/{press}/assign"' in r.text and 'name="role"' in r.text,
     "HR is offered the assign form, with roles for a hub course")
r = ann.get(f"/courses/{north}")
t.ok(f'action="/courses/{north}/assign"' in r.text and 'name="role"' not in r.text,
     "north's owner is offered the form for north's course, without roles")
t.ok(f'action="/courses/{north}/assign"' not in ed.get(f"/courses/{north}").text,
     "north's editor is not")
t.ok(f'action="/courses/{press}/assign"' not in ann.get(f"/courses/{press}").text,
     "nor is a unit's owner on a hub course")

ABAD = [
    ({}, "person", "no target"),
    ({"person": "pat@example.org", "unit": "north"}, "unit", "two targets"),
    ({"person": "nobody@example.org"}, "person", "an unknown person"),
    ({"unit": "nowhere"}, "unit", "an unknown unit"),
    ({"unit": "north", "due": str(today - day)}, "due", "a due day past"),
    ({"unit": "north", "due": "2026-02-30"}, "due", "a day that does not exist"),
]
for fields, field, name in ABAD:
    r = form(hr, f"/courses/{press}/assign", dict(fields, course=press, note="Please"))
    t.ok(r.status == 422 and invalid(r.text, f"assign-{field}")
         and value_of(r.text, "assign-note") == "Please",
         f"assigning with {name}: 422, the course page again with {field} marked "
         "and what was typed", f"{r.status} {r.text[:300]}")
q("UPDATE units SET state = 'archived' WHERE slug = 'south'")
r = form(hr, f"/courses/{press}/assign", {"course": press, "unit": "south"})
t.ok(r.status == 422 and invalid(r.text, "assign-unit"), "an archived unit: 422")
for who, name in [(pat, "an author"), (ed, "an editor"), (stranger, "a stranger")]:
    r = form(who, f"/courses/{press}/assign", {"course": press, "unit": "north"})
    t.eq(r.status, 403, f"{name} assigning: 403")
r = form(bob, f"/courses/{north}/assign", {"course": north, "unit": "north"})
t.eq(r.status, 404, "another unit's owner assigning north's course: 404, they do not "
     "read it")
r = form(hr, f"/courses/{press}/assign", {"course": press, "unit": "north"}, token=False)
t.eq(r.status, 403, "assigning without the CSRF token: 403")
t.eq(count("course_assignments"), "0", "no refused assignment was written")

due = today + 10 * day
r = form(hr, f"/courses/{press}/assign", {"course": press, "unit": "north",
                                          "due": str(due), "note": "Before the fair"})
t.ok(r.status == 303 and loc(r) == f"/courses/{press}?done=assigned",
     "HR assigns the hub course to north: 303 back with a notice", f"{r.status} {loc(r)}")
r = form(ann, f"/courses/{north}/assign", {"course": north, "person": "pat@example.org",
                                            "due": str(today + 2 * day)})
t.eq(r.status, 303, "north's owner assigns north's course to its author")
r = ed.get("/training")
t.ok("Speaking to the press" in r.text and f"Due {due}" in r.text
     and "Before the fair" in r.text, "the editor's training lists the assignment, due day and note")

# -- reminders, with the database's clock set by the test --------------------------
def clock(at):
    q("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET chapterhouse.clock = %L', "
      f"current_database(), '{at}'); END $$")


def once():
    return s.worker_spawn("--once").wait(timeout=60)


def read(path):
    with open(path, "rb") as f:
        return email.message_from_bytes(f.read(), policy=email.policy.default)


def new_mails(seen):
    return sorted([(str(read(p)["To"]), read(p)) for p in s.mails() if p not in seen],
                  key=lambda x: x[0])


def body(m):
    return m.get_content().replace("\r\n", "\n")


# The stack's own worker runs the reminders every ten minutes on the real
# clock (its connection predates the test's): stopped, so that only the
# test's "worker --once" runs them, on the test's clock.
s.worker_stop()
seen = s.mails()
clock(f"{today}T12:00:00Z")
t.eq(once(), 0, "worker --once on the day of the assignment")
got = new_mails(seen)
tos = [to for to, _ in got]
t.ok("pat@example.org" in tos and "ed@example.org" in tos and "ann@example.org" in tos
     and "bob@example.org" not in tos and "hr@example.org" not in tos,
     "north's members are mailed, nobody else", tos)
pm = dict(got).get("pat@example.org")
text = body(pm) if pm else ""
t.ok(pm is not None and str(pm["Subject"]) == "A course to take on Chapterhouse"
     and "North's tagging conventions (due soon, due " in text
     and "Speaking to the press" not in text and f"{PUBLIC}/courses/{north}" in text,
     "the author, who completed the press course, is reminded of north's only, "
     "due soon, with its link", text)
em = dict(got).get("ed@example.org")
text = body(em) if em else ""
t.ok(em is not None and "Speaking to the press (newly assigned, due " in text
     and "Before the fair" in text and f"{PUBLIC}/courses/{press}" in text,
     "the editor's mail names the course, its due day, the note and the link", text)
t.eq(q("SELECT count(*) FROM training_reminders"), "3", "each reminder recorded once")

# A second course the same day goes in the next day's digest.
r = hr.post_json("/api/v1/courses", {
    "title": "Handling a crisis online", "minutes": 10, "state": "published",
    "lessons": [{"title": "Pause", "body": "Say less, sooner."}]}, {"X-CSRF-Token": hr.token})
crisis = r.json().get("id")
r = hr.post_json("/api/v1/assignments", {"course": crisis, "person": "ed@example.org"},
                 {"X-CSRF-Token": hr.token})
t.eq(r.status, 201, "HR assigns the editor a second course")
seen = s.mails()
clock(f"{today}T20:00:00Z")
t.eq(once(), 0, "worker --once the same day")
t.eq(new_mails(seen), [], "no second mail within the day")
clock(f"{today + day}T12:30:00Z")
t.eq(once(), 0, "worker --once the next day")
got = new_mails(seen)
t.ok([to for to, _ in got] == ["ed@example.org"]
     and "Handling a crisis online (newly assigned)" in body(got[0][1]),
     "the editor is mailed the second course the next day, nobody else",
     [(to, body(m)) for to, m in got])

seen = s.mails()
clock(f"{due - 2 * day}T12:00:00Z")
t.eq(once(), 0, "worker --once two days before the due day")
got = new_mails(seen)
t.eq(sorted(to for to, _ in got), ["ann@example.org", "ed@example.org", "pat@example.org"],
     "north's members are reminded that it is due soon")
t.ok(all("Speaking to the press (due soon" in body(m) for to, m in got
         if to != "pat@example.org"), "the owner and the editor: due soon")
pm = dict(got).get("pat@example.org")
t.ok(pm is not None and "Speaking to the press" not in body(pm)
     and "North's tagging conventions (overdue" in body(pm),
     "the author completed the press course: only the overdue north course",
     body(pm) if pm else "")

seen = s.mails()
clock(f"{due + day}T12:00:00Z")
t.eq(once(), 0, "worker --once after the due day")
got = new_mails(seen)
t.eq(sorted(to for to, _ in got), ["ann@example.org", "ed@example.org"],
     "the members who did not complete it are told it is overdue; the author is not "
     "(the north course's overdue reminder went out already)")
t.ok(all("(overdue, due " in body(m) for _, m in got), "each says overdue")
seen = s.mails()
clock(f"{due + 5 * day}T12:00:00Z")
t.eq(once(), 0, "worker --once days later")
t.eq(new_mails(seen), [], "an overdue reminder is sent once")
r = ed.get("/training")
t.ok("overdue" not in r.text, "the page's overdue mark follows the real day, not the test's clock")
clock("")
s.worker_start()
