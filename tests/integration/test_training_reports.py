"""test_training_reports.py: the reports of training through real nginx,
the FastCGI server and PostgreSQL.

HR assigns a hub course to two units and a course with a hostile title to
one person; GET /api/v1/reports/training answers HR every unit and a
unit's owner theirs alone: completion by course and unit, by person, the
overdue list and completions per week.  A member passing the quiz turns
"0 of 3" into "1 of 3" and the week's count into 1.  The database's clock
(chapterhouse.clock), set by the test, makes assignments overdue.  CSV
(?format=csv or Accept: text/csv, one section per ?report=) is read back
with Python's csv module, the hostile title defused.  The page
/reports/training shows the tables and the SVG chart, linked from
/training for those who read it.  Every other caller is refused: an
author, an editor, another unit's owner asking for this unit, a removed
owner, a stranger, a hub admin who is not HR, an anonymous caller and a
forwarded CSV link.  Bad filters are 400 or 404 naming the field.
"""

import csv
import datetime
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, person, q as q_on  # noqa: E402

t = TAP()
s = new_stack()
API = "/api/v1/reports/training"
HOSTILE = "=cmd|' /C calc'!A0 \"quoted\", with a comma"


def q(sql):
    return q_on(s, sql)


def send(c, path, obj, method="POST"):
    return c.post_json(path, obj, {"X-CSRF-Token": c.token}, method=method)


def err(r):
    try:
        e = r.json()["error"]
        return r.status, e.get("code"), e.get("field")
    except (ValueError, KeyError, TypeError):
        return r.status, None, None


def cells(body):
    return {(x["title"], x["unit"]): (x["completed"], x["assigned"], x["overdue"])
            for x in body["matrix"]}


def rows(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def clock(at):
    q("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET chapterhouse.clock = %L', "
      f"current_database(), '{at}'); END $$")
    s.app_stop()        # a setting of the database reaches new connections
    s.app_start()


ida = person(s, "ida@example.org", "admin")   # a hub admin, not HR
hr = person(s, "hr@example.org", "hr")
ann = person(s, "ann@example.org")        # owner of north
pat = person(s, "pat@example.org")        # an author in north
eda = person(s, "eda@example.org")        # an editor in north
rem = person(s, "rem@example.org")        # an owner of north, removed
bob = person(s, "bob@example.org")        # owner of south
sue = person(s, "sue@example.org")        # an author in south
stranger = person(s, "str@example.org")   # belongs to nothing
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    r = send(who, "/api/v1/units", {
        "name": slug.title(), "slug": slug, "kind": "chapter",
        "purpose": "Tell the town.", "audience": "Everyone", "channels": ["blog"]})
    t.eq(r.status, 201, f"{slug} is requested")
    r = send(ida, f"/api/v1/units/{slug}/decision", {"decision": "approve"})
    t.eq(r.status, 200, f"{slug} is approved")
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('pat@example.org', 'author', 'north'), "
  "('eda@example.org', 'editor', 'north'), ('rem@example.org', 'owner', 'north'), "
  "('sue@example.org', 'author', 'south')) m (email, role, unit) "
  "JOIN people p ON p.email = m.email JOIN units u ON u.slug = m.unit")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")

r = send(hr, "/api/v1/courses", {
    "title": "Speaking to the press", "summary": "Who speaks.", "minutes": 10,
    "lessons": [{"title": "Who speaks", "body": "The press office."}],
    "quiz": {"pass_mark": 100, "questions": [
        {"text": "Who speaks?", "choices": ["Anyone", "The press office"],
         "correct": [1]}]},
    "state": "published"})
t.eq(r.status, 201, "HR writes a hub course")
press = r.json()["id"]
r = send(hr, "/api/v1/courses", {
    "title": HOSTILE, "summary": "", "minutes": 5,
    "lessons": [{"title": "One", "body": "Read me."}], "state": "published"})
t.eq(r.status, 201, "HR writes a course with a hostile title")
hostile = r.json()["id"]

today = datetime.date.fromisoformat(q("SELECT (now() AT TIME ZONE 'UTC')::date"))
due = today + datetime.timedelta(days=10)
for body in ({"course": press, "unit": "north", "due": due.isoformat()},
             {"course": press, "unit": "south", "due": due.isoformat()},
             {"course": hostile, "person": "sue@example.org",
              "due": (today + datetime.timedelta(days=3)).isoformat()}):
    r = send(hr, "/api/v1/assignments", body)
    t.eq(r.status, 201, f"HR assigns {body}")

# -- who reads ---------------------------------------------------------------
FORBID = (403, "forbidden", None)
for who, c in (("an author", pat), ("an editor", eda), ("a removed owner", rem),
               ("a stranger", stranger), ("a hub admin who is not HR", ida)):
    t.eq(err(c.get(API)), FORBID, f"{who} is refused (403)")
    t.eq(err(c.get(f"{API}?unit=north&format=csv&report=people")), FORBID,
         f"{who} following a forwarded CSV link is refused (403)")
    t.eq(c.get("/reports/training").status, 403, f"{who}: the page is 403")
t.eq(anon.get(f"{API}?format=csv").status, 401, "an anonymous caller: 401")
t.eq(anon.get("/reports/training").status, 303, "an anonymous visitor is sent to log in")

r = hr.get(API)
t.eq(r.status, 200, "HR reads the reports")
b = r.json()
t.eq(cells(b), {("Speaking to the press", "north"): (0, 3, 0),
                ("Speaking to the press", "south"): (0, 2, 0),
                (HOSTILE, "south"): (0, 1, 0)},
     "HR: every unit's cells, nobody done yet")
t.eq(len(b["weekly"]), 26, "26 weeks by default")
t.eq(sum(w["completed"] for w in b["weekly"]), 0, "no completion yet")
t.ok(b["unit"] is None and b["course"] is None and b["today"] == today.isoformat(),
     "no filter; today is the database's day", str(b.get("today")))

r = ann.get(API)
t.eq(r.status, 200, "north's owner reads the reports")
t.eq(cells(r.json()), {("Speaking to the press", "north"): (0, 3, 0)},
     "north's owner: north alone")
t.eq(sorted(x["email"] for x in r.json()["people"]),
     ["ann@example.org", "eda@example.org", "pat@example.org"],
     "north's owner: north's people alone")
r = bob.get(API)
t.eq(cells(r.json()), {("Speaking to the press", "south"): (0, 2, 0),
                       (HOSTILE, "south"): (0, 1, 0)}, "south's owner: south alone")
NOUNIT = (404, "not_found", "unit")
t.eq(err(bob.get(f"{API}?unit=north")), NOUNIT, "south's owner asking for north: 404")
t.eq(err(ann.get(f"{API}?unit=south&format=csv")), NOUNIT,
     "north's owner asking for south's CSV: 404")
t.eq(err(hr.get(f"{API}?unit=nowhere")), NOUNIT, "a unit at no address: 404")
t.eq(err(hr.get(f"{API}?course=999999")), (404, "not_found", "course"),
     "a course that does not exist: 404 naming course")
t.eq(err(hr.get(f"{API}?unit=No%20Such!")), (400, "invalid", "unit"),
     "a unit that is no address: 400")
t.eq(err(hr.get(f"{API}?course=abc")), (400, "invalid", "course"),
     "a course that is no number: 400")
t.eq(err(hr.get(f"{API}?report=all&format=csv")), (400, "invalid", "report"),
     "a report that is none: 400")
t.eq(err(hr.get(f"{API}?from=2025-02-30")), (400, "invalid", "from"), "a day that is none: 400")
t.eq(err(hr.get(f"{API}?from=2025-03-01&to=2025-02-01")), (400, "invalid", "to"),
     "a range that ends before it starts: 400 naming to")
t.eq(err(hr.get(f"{API}?from=2020-01-01&to=2025-01-01")), (400, "invalid", "from"),
     "a range of more than 104 weeks: 400 naming from")
r = hr.get(f"{API}?from=2025-01-01&to=2025-01-31")
t.eq([w["week"] for w in r.json()["weekly"]],
     ["2024-12-30", "2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"],
     "a range: its weeks, from their Mondays")
r = hr.get(f"{API}?unit=north&course={press}")
t.eq(cells(r.json()), {("Speaking to the press", "north"): (0, 3, 0)},
     "HR filtering by unit and course")

# -- a completion: 1 of 3 ----------------------------------------------------
r = send(pat, f"/api/v1/courses/{press}/quiz", {"answers": [[1]]})
t.eq((r.status, r.json().get("passed")), (200, True), "pat passes the quiz")
b = hr.get(API).json()
t.eq(cells(b)[("Speaking to the press", "north")], (1, 3, 0), "HR: north is 1 of 3")
t.eq(b["weekly"][-1]["completed"], 1, "this week counts 1 completion")
t.eq(sum(w["completed"] for w in b["weekly"]), 1, "and the other weeks none")
mine = [x for x in b["people"] if x["email"] == "pat@example.org"][0]
t.ok(mine["state"] == "completed" and mine["completed_at"].startswith(today.isoformat()),
     "pat's row: completed today", str(mine))
t.eq(cells(bob.get(API).json())[("Speaking to the press", "south")], (0, 2, 0),
     "south's owner: south still 0 of 2")

# -- overdue, with the database's clock ------------------------------------
clock(f"{today + datetime.timedelta(days=20)}T12:00:00Z")
b = hr.get(API).json()
t.eq(cells(b), {("Speaking to the press", "north"): (1, 3, 2),
                ("Speaking to the press", "south"): (0, 2, 2),
                (HOSTILE, "south"): (0, 1, 1)}, "twenty days on: overdue counted")
t.eq(sorted((x["email"], x["days_overdue"]) for x in b["overdue"]),
     [("ann@example.org", 10), ("bob@example.org", 10), ("eda@example.org", 10),
      ("sue@example.org", 10), ("sue@example.org", 17)],
     "the overdue list, days late by the database's clock")
t.eq(sorted(x["email"] for x in ann.get(API).json()["overdue"]),
     ["ann@example.org", "eda@example.org"], "north's owner: north's overdue alone")

# -- CSV -----------------------------------------------------------------------
r = hr.get(f"{API}?format=csv&report=people")
t.ok(r.status == 200 and r.headers.get("content-type", "").startswith("text/csv")
     and "training-people.csv" in r.headers.get("content-disposition", ""),
     "?format=csv&report=people is a CSV attachment", str(r.headers))
got = rows(r.text)
t.eq(got[0], ["unit", "unit_name", "person", "email", "course", "title", "due",
              "state", "completed_at"], "the people's columns")
hrow = [x for x in got[1:] if x[4] == str(hostile)]
t.eq([x[5] for x in hrow], ["'" + HOSTILE], "the hostile title: defused, quotes and comma kept")
t.ok(r.text.count("\r\n") == len(got), "lines end in CRLF")
r = hr.get(API, {"Accept": "text/csv"})
got = rows(r.text)
t.eq(got[0], ["course", "title", "course_unit", "unit", "unit_name", "assigned",
              "completed", "overdue"], "Accept: text/csv: the matrix by default")
t.ok([str(press), "Speaking to the press", "", "north", "North", "3", "1", "2"] in got,
     "north's cell in the CSV", r.text)
r = ann.get(f"{API}?format=csv&report=overdue&unit=north")
t.ok("training-overdue-north.csv" in r.headers.get("content-disposition", "")
     and len(rows(r.text)) == 3, "north's overdue CSV: two lines", r.text)
r = hr.get(f"{API}?format=csv&report=weekly")
t.eq(len(rows(r.text)), 27, "the weekly CSV: a header and 26 weeks")

# -- the page --------------------------------------------------------------------
r = hr.get("/reports/training")
h = r.text
t.ok(r.status == 200 and "1 of 3" in h and "0 of 2" in h, "HR's page: 1 of 3 and 0 of 2")
t.ok('<svg' in h and 'role="img"' in h and "<title id=\"weekly-chart-title\">" in h,
     "the chart as inline SVG, an image with its title")
t.ok("<script" not in h.split("<svg", 1)[1].split("</svg>", 1)[0],
     "no script in the chart")
t.ok("&#39;" in h or "=cmd|" in h, "the hostile title is on the page")
t.ok("=cmd|&#39; /C calc&#39;!A0 &quot;quoted&quot;" in h, "escaped", h[:200])
t.ok("/api/v1/reports/training?format=csv&amp;report=people" in h, "the CSV links")
r = ann.get("/reports/training")
t.ok(r.status == 200 and "1 of 3" in r.text and "South" not in r.text
     and "sue@example.org" not in r.text, "north's owner's page: north alone")
r = ann.get("/reports/training?unit=south")
t.ok(r.status == 404 and 'role="alert"' in r.text and "pat@example.org" in r.text,
     "north's owner asking for south: 404, the page again with their rows")
r = hr.get("/reports/training?from=2025-03-01&to=2025-02-01")
t.ok(r.status == 400 and 'id="report-to-error"' in r.text
     and 'value="2025-02-01"' in r.text, "a backwards range: 400, what was typed kept")
r = hr.get("/reports/training?unit=north")
t.ok(r.status == 200 and "North" in r.text and "0 of 2" not in r.text,
     "the unit filter on the page")
for who, c, want in (("HR", hr, True), ("north's owner", ann, True),
                     ("an author", pat, False), ("a stranger", stranger, False)):
    t.eq('href="/reports/training"' in c.get("/training").text, want,
         f"/training links the reports for {who}: {want}")
clock("")
