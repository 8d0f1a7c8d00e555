"""test_training.py: courses, lessons, quizzes and progress through real
nginx, the FastCGI server and PostgreSQL.  HR writes the hub's courses, a
unit's owners and editors its own; a published course gets a new version
and completions keep theirs.  Readers never receive the right answers;
the quiz is scored by the server, every attempt kept, and passing (or
reading every lesson of a course without a quiz) completes it with the
day and the version; two submissions at once are both kept and complete
the course once.  Bad input is a 4xx naming the field, nothing written.
Every attacker for each action: an author writing, another unit's owner,
a removed member, a stranger, a hub admin who is not HR, an anonymous
caller, a request without its CSRF token, a person reading another's
progress.
"""

import datetime
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, err, send, approved_unit)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


ann = person(s, "ann@example.org")        # owner of north
eda = person(s, "eda@example.org")        # an editor in north
pat = person(s, "pat@example.org")        # a plain author in north
rem = person(s, "rem@example.org")        # a member of north, removed
bob = person(s, "bob@example.org")        # owner of south, another unit
stranger = person(s, "str@example.org")   # belongs to nothing
hr = person(s, "hr@example.org", "hr")
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    approved_unit(t, who, ida, slug)
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('pat@example.org', 'author'), ('rem@example.org', 'author'), "
  "('eda@example.org', 'editor')) m (email, role) "
  "JOIN people p ON p.email = m.email JOIN units u ON u.slug = 'north'")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")

API = "/api/v1/courses"


def course(title, with_quiz=True, **kw):
    c = {"title": title, "summary": "What to say, and who says it.", "minutes": 15,
         "lessons": [{"title": "Who speaks", "body": "The **press office** speaks."},
                     {"title": "What to say", "body": "- Nothing off the record\n"}],
         "state": "published"}
    if with_quiz:
        c["quiz"] = {"pass_mark": 100, "questions": [
            {"text": "Who speaks to the press?",
             "choices": ["Anyone", "The press office", "The unit's owner"],
             "correct": [1]},
            {"text": "Which are off the record?",
             "choices": ["Nothing", "Rumours", "Numbers"], "correct": [0]}]}
    c.update(kw)
    return c


def count(table):
    return q(f"SELECT count(*) FROM {table}")


# -- writing ------------------------------------------------------------------
r = send(hr, API, course("Speaking to the press"))
t.eq(r.status, 201, "HR writes a published hub course: 201")
press = r.json().get("id")
t.ok(isinstance(press, int) and r.json().get("version") == 1,
     "the answer is its id and version 1", r.text)
t.eq(r.headers.get("location"), f"{API}/{press}", "with its Location")
r = send(hr, API, course("Tagging conventions", with_quiz=False))
t.eq(r.status, 201, "HR writes a hub course without a quiz")
tags = r.json()["id"]
r = send(hr, API, course("Handling a crisis online", state="draft"))
t.eq(r.status, 201, "HR writes a hub draft")
draft = r.json()["id"]
r = send(ann, API, course("North's house style", unit="north"))
t.eq(r.status, 201, "north's owner writes a course of north")
north = r.json()["id"]
r = send(eda, API, course("North's events", unit="north", state="draft"))
t.eq(r.status, 201, "north's editor writes a course of north")
t.eq(q(f"SELECT u.slug FROM courses c JOIN units u ON u.id = c.unit_id WHERE c.id = {north}"),
     "north", "a unit course belongs to its unit")

# -- attackers writing ----------------------------------------------------------
before = count("courses")
for who, name in [(pat, "an author"), (ann, "a unit's owner"), (bob, "another unit's owner"),
                  (stranger, "a stranger"), (ida, "a hub admin who is not HR")]:
    t.eq(err(send(who, API, course("Mine"))), (403, "forbidden", None),
         f"{name} writing a hub course is 403")
    t.eq(err(send(who, f"{API}/{press}", course("Mine"), method="PUT")),
         (403, "forbidden", None), f"{name} changing a hub course is 403")
for who, name in [(pat, "an author of north"), (bob, "another unit's owner"),
                  (rem, "a removed member"), (stranger, "a stranger"),
                  (hr, "HR (a unit's courses are the unit's)")]:
    t.eq(err(send(who, API, course("Mine", unit="north"))), (403, "forbidden", None),
         f"{name} writing a course of north is 403")
for who, want, name in [(pat, 403, "an author of north"), (bob, 404, "another unit's owner"),
                        (rem, 404, "a removed member"), (stranger, 404, "a stranger")]:
    t.eq(send(who, f"{API}/{north}", course("Mine"), method="PUT").status, want,
         f"{name} changing north's course is {want}")
t.eq(anon.post_json(API, course("Mine")).status, 401, "an anonymous caller is 401")
t.eq(hr.post_json(API, course("Mine")).status, 403, "a course without the CSRF token is 403")
t.eq(count("courses"), before, "none of them wrote a course")
t.eq(q(f"SELECT version FROM courses WHERE id = {north}"), "1", "nor changed one")

# -- bad input: each a clear 422 naming the field, nothing written -------------
before = (count("courses"), count("course_versions"), count("course_lessons"),
          count("course_questions"))


def quiz_with(**q):
    qq = {"text": "Who?", "choices": ["A", "B"], "correct": [0]}
    qq.update(q)
    return {"pass_mark": 50, "questions": [qq]}


for body, want, name in [
        (course("", ), (422, "missing", "title"), "a course without title"),
        (course("x" * 201), (422, "too_long", "title"), "a title over 200 characters"),
        (course("T", minutes=0), (422, "invalid", "minutes"), "0 minutes"),
        (course("T", state="live"), (422, "invalid", "state"), "an unknown state"),
        (course("T", lessons=None), (422, "missing", "lessons"), "a course without lessons"),
        (course("T", lessons=[]), (422, "missing", "lessons"), "an empty list of lessons"),
        (course("T", lessons=[{"title": "a"}]), (422, "invalid", "lessons.0.body"),
         "a lesson without body"),
        (course("T", lessons=[{"title": "a", "body": "b"}, {"title": " ", "body": "b"}]),
         (422, "invalid", "lessons.1.title"), "a blank lesson title"),
        (course("T", lessons=[{"title": "a", "body": "b"}] * 101),
         (422, "too_many", "lessons"), "101 lessons"),
        (course("T", quiz={"pass_mark": 0, "questions": quiz_with()["questions"]}),
         (422, "invalid", "quiz.pass_mark"), "a pass mark of 0"),
        (course("T", quiz={"pass_mark": 101, "questions": quiz_with()["questions"]}),
         (422, "invalid", "quiz.pass_mark"), "a pass mark of 101"),
        (course("T", quiz={"questions": quiz_with()["questions"]}),
         (422, "missing", "quiz.pass_mark"), "a quiz without pass mark"),
        (course("T", quiz={"pass_mark": 50, "questions": []}),
         (422, "missing", "quiz.questions"), "a quiz without questions"),
        (course("T", quiz=quiz_with(correct=[2])),
         (422, "invalid", "quiz.questions.0.correct"), "a correct index outside the choices"),
        (course("T", quiz=quiz_with(correct=[-1])),
         (422, "invalid", "quiz.questions.0.correct"), "a negative correct index"),
        (course("T", quiz=quiz_with(correct=[])),
         (422, "invalid", "quiz.questions.0.correct"), "no correct choice"),
        (course("T", quiz=quiz_with(correct=[0, 0])),
         (422, "invalid", "quiz.questions.0.correct"), "a correct index twice"),
        (course("T", quiz=quiz_with(choices=["only"])),
         (422, "invalid", "quiz.questions.0.choices"), "a question of one choice"),
        (course("T", quiz=quiz_with(text="")),
         (422, "invalid", "quiz.questions.0.text"), "a question without text"),
        (course("T", quiz="yes"), (422, "invalid", "quiz"), "a quiz that is no object")]:
    t.eq(err(send(hr, API, body)), want, f"{name} is {want[0]} naming {want[2]}")
t.eq(err(send(ann, API, course("T", unit="nowhere"))), (422, "invalid", "unit"),
     "a unit that does not exist is 422 naming unit")
t.eq(err(send(ann, API, course("T", unit="Not A Slug!"))), (422, "invalid", "unit"),
     "a unit address that is no address is 422 naming unit")
t.eq(err(send(hr, f"{API}/{press}", course("T", quiz=quiz_with(correct=[3])), method="PUT")),
     (422, "invalid", "quiz.questions.0.correct"), "a change is checked alike")
t.eq((count("courses"), count("course_versions"), count("course_lessons"),
      count("course_questions")), before, "and none of them wrote anything")

# -- reading -------------------------------------------------------------------
r = stranger.get(API)
ids = [c["id"] for c in r.json().get("courses", [])] if r.status == 200 else []
t.ok(r.status == 200 and sorted(ids) == sorted([press, tags]),
     "a stranger lists the published hub courses alone", r.text)
for who, cid, name in [(stranger, north, "a stranger reading north's course"),
                       (bob, north, "another unit's owner reading north's course"),
                       (rem, north, "a removed member reading north's course"),
                       (stranger, draft, "a stranger reading a hub draft"),
                       (pat, draft, "a member reading a hub draft")]:
    t.eq(err(who.get(f"{API}/{cid}")), (404, "not_found", None), f"{name} is 404")
t.eq(anon.get(API).status, 401, "an anonymous caller reading courses is 401")
t.eq(anon.get(f"{API}/{press}").status, 401, "and one course")
t.eq(pat.get(f"{API}/x1").status, 404, "a course id that is no number is 404")

r = pat.get(API)
ids = [c["id"] for c in r.json()["courses"]]
t.ok(north in ids and press in ids and draft not in ids,
     "a member lists the hub's published courses and the unit's", r.text)
for who, cid, name in [(pat, north, "a member"), (pat, press, "a member"),
                       (stranger, press, "a stranger"), (bob, press, "another unit's owner"),
                       (ann, press, "a unit's owner")]:
    r = who.get(f"{API}/{cid}")
    qs = (r.json().get("quiz") or {}).get("questions", [])
    t.ok(r.status == 200 and len(qs) == 2 and "correct" not in r.text
         and all("correct" not in x for x in qs),
         f"{name} reading course {cid} never receives the right answers", r.text)
r = hr.get(f"{API}/{press}")
t.eq([x.get("correct") for x in r.json()["quiz"]["questions"]], [[1], [0]],
     "HR, its writer, reads the right answers")
r = ann.get(f"{API}/{north}")
t.eq([x.get("correct") for x in r.json()["quiz"]["questions"]], [[1], [0]],
     "north's owner reads those of north's course")
r = pat.get(f"{API}/{press}")
c = r.json()
t.ok(c.get("title") == "Speaking to the press" and c.get("unit") is None
     and [x["n"] for x in c["lessons"]] == [1, 2] and c["quiz"]["pass_mark"] == 100
     and c.get("writable") is False,
     "a course shows its lessons in order and its pass mark", r.text)

# -- progress ------------------------------------------------------------------
LESSON = f"{API}/{press}/lessons"
r = send(pat, f"{LESSON}/1/complete", None)
t.ok(r.status == 200 and r.json().get("lessons") == 2 and r.json().get("completed") is False,
     "a member marks lesson 1 read", r.text)
for n in ("3", "0", "x"):
    t.eq(err(send(pat, f"{LESSON}/{n}/complete", None)), (404, "not_found", "n"),
         f"lesson {n} of 2 is 404 naming n")
t.eq(err(send(stranger, f"{API}/{north}/lessons/1/complete", None)),
     (404, "not_found", None), "a stranger reading a lesson of north's course is 404")
t.eq(err(send(bob, f"{API}/{north}/quiz", {"answers": [[1], [0]]})),
     (404, "not_found", None), "another unit's owner answering north's quiz is 404")
t.eq(err(send(pat, f"{API}/{draft}/quiz", {"answers": [[1], [0]]})),
     (404, "not_found", None), "answering a draft's quiz is 404")
t.eq(anon.post_json(f"{API}/{press}/quiz", {"answers": [[1], [0]]}).status, 401,
     "an anonymous caller answering is 401")
t.eq(pat.post_json(f"{API}/{press}/quiz", {"answers": [[1], [0]]}).status, 403,
     "answers without the CSRF token are 403")

QUIZ = f"{API}/{press}/quiz"
for body, want, name in [
        ({}, (422, "missing", "answers"), "no answers"),
        ({"answers": "1"}, (422, "invalid", "answers"), "answers that are no list"),
        ({"answers": [[1], [0], [1]]}, (422, "invalid", "answers.2"),
         "an answer to a question that does not exist"),
        ({"answers": [[1]]}, (422, "missing", "answers.1"), "a question left unanswered"),
        ({"answers": [[3], [0]]}, (422, "invalid", "answers.0"), "a choice that does not exist"),
        ({"answers": [[1], ["a"]]}, (422, "invalid", "answers.1"), "a choice that is no number"),
        ({"answers": [[1], []]}, (422, "invalid", "answers.1"), "an empty answer")]:
    t.eq(err(send(pat, QUIZ, body)), want, f"{name} is {want[0]} naming {want[2]}")
t.eq(count("quiz_attempts"), "0", "and none of them was kept as an attempt")
t.eq(err(send(pat, f"{API}/{tags}/quiz", {"answers": [[0]]})), (409, "no_quiz", None),
     "answering a course without a quiz is 409")

r = send(pat, QUIZ, {"answers": [[1], [1, 2]]})
t.ok(r.status == 200 and r.json().get("score") == 50 and r.json().get("passed") is False
     and r.json().get("completed") is False, "a wrong answer scores 50: not passed", r.text)
r = send(pat, QUIZ, {"answers": [[1], [0]]})
t.ok(r.status == 200 and r.json().get("score") == 100 and r.json().get("passed") is True
     and r.json().get("completed") is True, "the right answers pass and complete", r.text)
t.eq(q("SELECT count(*) FROM quiz_attempts a JOIN people p ON p.id = a.person_id "
       "WHERE p.email = 'pat@example.org'"), "2", "both attempts are kept")
t.eq(q(f"SELECT version || ' ' || (completed_at::date = current_date) FROM course_completions "
       f"WHERE course_id = {press}"), "1 true", "the completion has today's date and version 1")

# Two submissions at once: both are attempts, the course is completed once.
res = []


def submit():
    res.append(send(pat, f"{API}/{north}/quiz", {"answers": [[1], [0]]}))


threads = [threading.Thread(target=submit) for _ in range(2)]
for th in threads:
    th.start()
for th in threads:
    th.join()
t.ok([x.status for x in res] == [200, 200] and all(x.json()["passed"] for x in res),
     "two submissions at once are both scored", [x.text for x in res])
t.eq(sorted(x.json()["completed"] for x in res), [False, True],
     "and exactly one of them completed the course")
t.eq(q(f"SELECT count(*) || ' ' || (SELECT count(*) FROM course_completions "
       f"WHERE course_id = {north}) FROM quiz_attempts WHERE course_id = {north}"),
     "2 1", "two attempts kept, one completion")

# A course without a quiz: reading every lesson completes it.
r = send(pat, f"{API}/{tags}/lessons/2/complete", None)
t.eq(r.json().get("completed"), False, "one lesson of two does not complete it")
r = send(pat, f"{API}/{tags}/lessons/2/complete", None)
t.eq(r.json().get("completed"), False, "reading it again neither")
r = send(pat, f"{API}/{tags}/lessons/1/complete", None)
t.eq(r.json().get("completed"), True, "reading the last one completes it")

r = pat.get("/api/v1/me/training")
m = r.json()
done = {c["id"]: c for c in m.get("completed", [])}
cat = [c["id"] for c in m.get("catalog", [])]
t.ok(r.status == 200 and m.get("assigned") == [] and set(done) == {press, north, tags}
     and done[press]["version"] == 1 and len(done[press]["completed_on"]) == 10
     and m.get("in_progress") == [] and north in cat and press in cat and draft not in cat,
     "my training: assigned empty, three completed with version and day, the catalog", r.text)
send(stranger, f"{API}/{press}/lessons/1/complete", None)
r = stranger.get("/api/v1/me/training")
m = r.json()
t.ok(m.get("completed") == [] and [c["id"] for c in m["in_progress"]] == [press]
     and north not in [c["id"] for c in m["catalog"]],
     "a stranger's training holds their own progress alone, not north's courses", r.text)
r = stranger.get(f"{API}/{press}")
p = r.json().get("progress", {})
t.ok(p.get("completed") == [] and p.get("attempts") == 0
     and [x["read"] for x in r.json()["lessons"]] == [True, False],
     "nor does a course show them another's progress", r.text)
r = stranger.get("/api/v1/me/training?person=pat@example.org")
t.ok("North" not in r.text and r.json().get("completed") == [],
     "asking for another person's training still answers one's own", r.text)
r = ann.get("/api/v1/me/training")
t.eq(r.json().get("completed"), [], "north's owner's own training is theirs alone")

# -- a new version keeps who completed which -----------------------------------
r = send(hr, f"{API}/{press}", course("Speaking to the press, 2027"), method="PUT")
t.ok(r.status == 200 and r.json().get("version") == 2,
     "changing a published course writes version 2", r.text)
t.eq(q(f"SELECT string_agg(version || ':' || title, ',' ORDER BY version) "
       f"FROM course_versions WHERE course_id = {press}"),
     "1:Speaking to the press,2:Speaking to the press, 2027", "version 1 is kept as it was")
r = pat.get("/api/v1/me/training")
done = {c["id"]: c for c in r.json()["completed"]}
t.ok(done[press]["version"] == 1 and done[press]["current"] is False
     and done[press]["title"] == "Speaking to the press",
     "pat's completion keeps version 1, no longer current", r.text)
r = send(hr, f"{API}/{draft}", course("Handling a crisis online", state="draft"), method="PUT")
t.eq(r.json().get("version"), 1, "a draft is rewritten in place")
t.eq(err(send(hr, f"{API}/999999", course("T"), method="PUT")), (404, "not_found", None),
     "changing a course that does not exist is 404")
r = send(eda, f"{API}/{north}", course("North's house style", unit="south"), method="PUT")
t.ok(r.status == 200 and q(f"SELECT u.slug FROM courses c JOIN units u ON u.id = c.unit_id "
                           f"WHERE c.id = {north}") == "north",
     "north's editor changes north's course, which stays north's", r.text)

# -- audit -------------------------------------------------------------------------
t.eq(q("SELECT string_agg(action || ':' || count, ',' ORDER BY action) FROM (SELECT action, "
       "count(*) FROM audit_log WHERE action LIKE 'course.%' GROUP BY action) x"),
     "course.complete:3,course.create:5,course.update:3",
     "every course written, changed and completed is audited")
t.eq(q(f"SELECT after->>'version' FROM audit_log WHERE action = 'course.update' "
       f"AND object_id = '{press}'"), "2", "with the version written")

# -- assignments -------------------------------------------------------------------

today = datetime.date.today()
day = datetime.timedelta(days=1)
ASSIGN = "/api/v1/assignments"
r = send(bob, "/api/v1/units", {
    "name": "East", "slug": "east", "kind": "chapter", "purpose": "Tell the town.",
    "audience": "Everyone", "channels": ["blog"]})
for d in ("approve", "archive"):
    t.eq(send(ida, "/api/v1/units/east/decision", {"decision": d}).status, 200, f"east: {d}")

r = send(hr, ASSIGN, {"course": press, "unit": "north", "due": str(today + 7 * day),
                      "note": "Before the fair"})
t.eq(r.status, 201, "HR assigns a hub course to a unit: 201")
to_north = r.json().get("id")
r = send(hr, ASSIGN, {"course": press, "role": "owner"})
t.eq(r.status, 201, "HR assigns it to every unit owner")
to_owners = r.json().get("id")
r = send(hr, ASSIGN, {"course": press, "person": "str@example.org", "due": str(today)})
t.eq(r.status, 201, "HR assigns it to a person, due today")
late = r.json()["id"]
r = send(ann, ASSIGN, {"course": north, "person": "pat@example.org"})
t.eq(r.status, 201, "north's owner assigns north's course to a member")
to_pat = r.json()["id"]

before = count("course_assignments")
for who, body, want, name in [
        (hr, {"course": press, "person": "str@example.org", "due": str(today - day)},
         (422, "invalid", "due"), "a due day in the past"),
        (hr, {"course": press, "person": "str@example.org", "due": "2031-02-30"},
         (422, "invalid", "due"), "a due day that does not exist"),
        (hr, {"course": press, "unit": "east"}, (422, "invalid", "unit"), "an archived unit"),
        (hr, {"course": press, "unit": "nowhere"}, (422, "invalid", "unit"),
         "a unit that does not exist"),
        (hr, {"course": press, "person": "nobody@example.org"}, (422, "invalid", "person"),
         "a person who does not exist"),
        (hr, {"course": press}, (422, "missing", "person"), "no one to assign it to"),
        (hr, {"course": press, "person": "str@example.org", "unit": "north"},
         (422, "invalid", "unit"), "a person and a unit at once"),
        (hr, {"course": press, "role": "king"}, (422, "invalid", "role"), "an unknown role"),
        (hr, {"course": draft, "unit": "north"}, (422, "invalid", "course"), "a draft"),
        (hr, {"course": 999999, "unit": "north"}, (422, "invalid", "course"),
         "a course that does not exist"),
        (hr, {"unit": "north"}, (422, "missing", "course"), "no course"),
        (hr, {"course": press, "unit": "north", "note": "x" * 1001},
         (422, "too_long", "note"), "a note over 1,000 characters"),
        (ann, {"course": north, "person": "bob@example.org"}, (422, "invalid", "person"),
         "an owner assigning to someone outside the unit"),
        (ann, {"course": north, "unit": "south"}, (422, "invalid", "unit"),
         "an owner assigning to another unit"),
        (ann, {"course": north, "role": "owner"}, (422, "invalid", "role"),
         "an owner assigning to a role"),
        (ann, {"course": press, "person": "pat@example.org"}, (403, "forbidden", None),
         "an owner assigning a hub course"),
        (pat, {"course": north, "person": "pat@example.org"}, (403, "forbidden", None),
         "an author assigning their unit's course"),
        (stranger, {"course": press, "person": "str@example.org"}, (403, "forbidden", None),
         "a stranger assigning a hub course"),
        (ida, {"course": press, "unit": "north"}, (403, "forbidden", None),
         "a hub admin who is not HR"),
        (bob, {"course": north, "unit": "north"}, (422, "invalid", "course"),
         "another unit's owner assigning a course they do not read")]:
    t.eq(err(send(who, ASSIGN, body)), want, f"{name} is {want[0]} naming {want[2]}")
t.eq(anon.post_json(ASSIGN, {"course": press, "unit": "north"}).status, 401,
     "an anonymous caller assigning is 401")
t.eq(hr.post_json(ASSIGN, {"course": press, "unit": "north"}).status, 403,
     "an assignment without the CSRF token is 403")
t.eq(count("course_assignments"), before, "none of them assigned anything")


def assigned(c):
    return {a["id"]: a for a in c.get("/api/v1/me/training").json()["assigned"]}


a = assigned(pat)
t.ok(set(a) == {to_north, to_pat} and a[to_north]["due"] == str(today + 7 * day)
     and a[to_north]["note"] == "Before the fair" and a[to_north]["overdue"] is False
     and a[to_pat]["overdue"] is False and a[to_pat]["due"] is None
     and a[to_north]["completed"] is False and a[to_pat]["completed"] is False,
     "my training lists what is assigned to me and to my unit, with due day and "
     "note, not completed: both courses changed to version 2 since pat passed", a)
r = send(hr, ASSIGN, {"course": tags, "person": "pat@example.org"})
t.ok(r.status == 201 and assigned(pat)[r.json()["id"]]["completed"] is True,
     "a course completed at its current version shows completed", r.text)
t.eq(send(hr, f"{ASSIGN}/{r.json()['id']}", None, method="DELETE").status, 204,
     "(and HR takes that assignment back)")
t.eq(list(assigned(bob)), [to_owners],
     "an owner of another unit has the assignment to every owner alone")
q(f"UPDATE course_assignments SET due = current_date - 1 WHERE id = {late}")
a = assigned(stranger)
t.ok(list(a) == [late] and a[late]["overdue"] is True,
     "a due day passed without completion is marked overdue", a)
newcomer = person(s, "new@example.org")
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'author' "
  "FROM units u, people p WHERE u.slug = 'north' AND p.email = 'new@example.org'")
t.eq(list(assigned(newcomer)), [to_north], "someone who joins the unit later has it too")
t.eq(list(assigned(rem)), [], "a removed member does not")

r = hr.get(ASSIGN)
t.eq(len(r.json().get("assignments", [])), 4, "HR lists every assignment")
r = hr.get(f"{ASSIGN}?course={north}")
t.eq([x["id"] for x in r.json()["assignments"]], [to_pat], "filtered by course")
r = hr.get(f"{ASSIGN}?unit=north")
t.eq(sorted(x["id"] for x in r.json()["assignments"]), sorted([to_north, to_pat]),
     "filtered by unit: to the unit, or of its courses")
x = r.json()["assignments"][0]
t.ok(x.get("course_title") and "assigned_by" in x and "due" in x,
     "an assignment shows its course, target, due day and who assigned it", x)
t.eq(err(hr.get(f"{ASSIGN}?course=x")), (400, "invalid", "course"),
     "a course filter that is no id is 400 naming course")
r = pat.get(ASSIGN)
t.eq(sorted(x["id"] for x in r.json()["assignments"]), sorted([to_north, to_pat]),
     "a member lists only what targets them and their unit")
r = stranger.get(ASSIGN)
t.eq([x["id"] for x in r.json()["assignments"]], [late], "a stranger only their own")
t.eq(anon.get(ASSIGN).status, 401, "an anonymous caller is 401")

t.eq(err(send(pat, f"{ASSIGN}/{to_pat}", None, method="DELETE")),
     (403, "forbidden", None), "the person assigned cannot remove it: 403")
t.eq(err(send(bob, f"{ASSIGN}/{to_pat}", None, method="DELETE")),
     (404, "not_found", None), "another unit's owner does not see it: 404")
t.eq(err(send(ann, f"{ASSIGN}/{to_north}", None, method="DELETE")),
     (403, "forbidden", None), "north's owner cannot remove HR's assignment: 403")
t.eq(hr.post_json(f"{ASSIGN}/{to_north}", None, {}, method="DELETE").status, 403,
     "a removal without the CSRF token is 403")
t.eq(send(ann, f"{ASSIGN}/{to_pat}", None, method="DELETE").status, 204,
     "north's owner removes their assignment: 204")
t.eq(send(hr, f"{ASSIGN}/{to_north}", None, method="DELETE").status, 204,
     "HR removes theirs")
t.eq(send(hr, f"{ASSIGN}/{to_north}", None, method="DELETE").status, 404, "again: 404")
t.eq(list(assigned(pat)), [], "and they leave my training")
t.eq(q("SELECT string_agg(action || ':' || count, ',' ORDER BY action) FROM (SELECT action, "
       "count(*) FROM audit_log WHERE action LIKE 'assignment.%' GROUP BY action) x"),
     "assignment.create:5,assignment.delete:3", "assignments made and removed are audited")
