"""test_guide_stats.py: what each guideline rule achieves, through real
nginx, the FastCGI server and PostgreSQL.  Rules fire on saves, their
suggestions are accepted, declined and left open at publishing, a muted
rule keeps counting: GET /api/v1/guidelines/stats answers the numbers
exactly, per rule and per unit, as JSON and as CSV (read back with
Python's csv module, a hostile rule message defused), and the section
"What each rule achieves" of /hub/guidelines and of a unit's page shows
them.  Who reads them is row-level security's to say: the hub's admins
and communicators every unit, a unit's owners their own; an author, an
editor, another unit's owner, hub HR, a stranger, a removed member, an
anonymous caller and a forwarded link are refused.
"""

import csv
import io
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, err, send, approved_unit)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def numbers(x):
    return {k: x[k] for k in ("fired", "muted", "suggested", "accepted", "declined",
                              "left_open", "rate")}


def by_rule(body):
    return {x["rule"]: x for x in body["rules"]}


def guide(c, pid):
    r = c.get(f"/api/v1/posts/{pid}/suggestions")
    return [x for x in r.json()["suggestions"]
            if x.get("source") == "guidelines" and x["state"] == "open"]


ida = person(s, "ida@example.org", "admin")
com = person(s, "com@example.org", "communicator")
hr = person(s, "hr@example.org", "hr")
ann = person(s, "ann@example.org")        # owner of north
pat = person(s, "pat@example.org")        # an author in north: writes the posts
eve = person(s, "eve@example.org")        # an editor in north
rem = person(s, "rem@example.org")        # an owner of north, removed
bob = person(s, "bob@example.org")        # owner of south, an author in north too
stranger = person(s, "str@example.org")   # belongs to nothing
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    approved_unit(t, who, ida, slug)
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('pat@example.org', 'author'), ('eve@example.org', 'editor'), "
  "('rem@example.org', 'owner'), ('bob@example.org', 'author')) m (email, role) "
  "JOIN people p ON p.email = m.email JOIN units u ON u.slug = 'north'")

# -- the rules ----------------------------------------------------------------
HUB = "/api/v1/guidelines/rules"
r = send(com, HUB, {"kind": "term", "pattern": "guaranteed", "replacement": "designed to",
                    "message": "We cannot promise outcomes."})
t.eq(r.status, 201, "the hub adds a term rule")
TERM = r.json()["id"]
r = send(ida, HUB, {"kind": "term", "pattern": "synergy", "message": "Say what it does."})
SYN = r.json()["id"]
r = send(ann, f"/api/v1/units/north/guidelines/mutes/{SYN}", {"reason": "our readers like it"},
         "PUT")
t.eq(r.status, 200, "north's owner mutes the synergy rule")
HOSTILE = '=HYPERLINK("http://evil.example/","click") <b>"two words"</b>'
r = send(ann, "/api/v1/units/north/guidelines/rules",
         {"kind": "term", "pattern": "townhall", "replacement": "town hall",
          "message": HOSTILE})
t.eq(r.status, 201, "north's owner adds a rule of its own, its message a formula")
LOCAL = r.json()["id"]
HOSTILE += "\nsecond line, \"quoted\""
q(f"UPDATE guide_unit_rules SET message = $m${HOSTILE}$m$ WHERE id = {LOCAL}")

# -- saves, decisions, publications -------------------------------------------
# P: TERM, the muted SYN and LOCAL fire; LOCAL is declined, P published
# with TERM's suggestion open, which is then accepted.  P2: TERM fires,
# published with it open.  In south: TERM stays open, SYN is declined.
r = send(pat, "/api/v1/units/north/posts",
         {"title": "Spring", "body": "Results are guaranteed. Synergy at the townhall."})
t.eq(r.status, 201, "the author saves a post in north")
P = r.json()["id"]
g = {x["rule"]: x["id"] for x in guide(pat, P)}
t.eq(sorted(g), sorted([TERM, LOCAL]), "two suggestions: the hub's rule and north's own")
t.eq(send(pat, f"/api/v1/suggestions/{g[LOCAL]}/decline", {}).status, 200,
     "the author declines north's rule's suggestion")
t.eq(send(pat, f"/api/v1/posts/{P}/publish", {}).status, 200,
     "publishes the post with the hub rule's suggestion open")
t.eq(send(pat, f"/api/v1/suggestions/{g[TERM]}/accept", {}).status, 200,
     "then accepts it")
r = send(pat, "/api/v1/units/north/posts", {"title": "Summer", "body": "It is guaranteed."})
P2 = r.json()["id"]
t.eq(send(pat, f"/api/v1/posts/{P2}/publish", {}).status, 200,
     "a second post is published with its suggestion open")
r = send(bob, "/api/v1/units/south/posts", {"title": "South", "body": "Guaranteed synergy."})
PS = r.json()["id"]
g = {x["rule"]: x["id"] for x in guide(bob, PS)}
t.eq(sorted(g), sorted([TERM, SYN]), "in south both hub rules suggest")
t.eq(send(bob, f"/api/v1/suggestions/{g[SYN]}/decline", {}).status, 200,
     "south's author declines the synergy suggestion")

# -- the numbers --------------------------------------------------------------
NORTH = {
    TERM: {"fired": 2, "muted": 0, "suggested": 2, "accepted": 1, "declined": 0,
           "left_open": 2, "rate": 1},
    SYN: {"fired": 1, "muted": 1, "suggested": 0, "accepted": 0, "declined": 0,
          "left_open": 0, "rate": None},
    LOCAL: {"fired": 1, "muted": 0, "suggested": 1, "accepted": 0, "declined": 1,
            "left_open": 0, "rate": 0},
}
SOUTH = {
    TERM: {"fired": 1, "muted": 0, "suggested": 1, "accepted": 0, "declined": 0,
           "left_open": 0, "rate": None},
    SYN: {"fired": 1, "muted": 0, "suggested": 1, "accepted": 0, "declined": 1,
          "left_open": 0, "rate": 0},
}
TOTAL = {
    TERM: {"fired": 3, "muted": 0, "suggested": 3, "accepted": 1, "declined": 0,
           "left_open": 2, "rate": 1},
    SYN: {"fired": 2, "muted": 1, "suggested": 1, "accepted": 0, "declined": 1,
          "left_open": 0, "rate": 0},
    LOCAL: NORTH[LOCAL],
}

for who, c in (("a hub admin", ida), ("a hub communicator", com)):
    r = c.get("/api/v1/guidelines/stats")
    t.eq(r.status, 200, f"{who} reads the statistics: 200")
    b = by_rule(r.json())
    t.eq({k: numbers(v) for k, v in b.items()}, TOTAL,
         f"{who}: per rule, exact (fired with the muted apart, left open at publishing)")
    t.eq({k: {u["unit"]: numbers(u) for u in v["units"]} for k, v in b.items()},
         {TERM: {"north": NORTH[TERM], "south": SOUTH[TERM]},
          SYN: {"north": NORTH[SYN], "south": SOUTH[SYN]},
          LOCAL: {"north": NORTH[LOCAL]}},
         f"{who}: and per unit")
b = by_rule(ida.get("/api/v1/guidelines/stats").json())
t.ok(b[TERM]["kind"] == "term" and b[TERM]["scope"] == "hub"
     and b[TERM]["message"] == "We cannot promise outcomes."
     and b[LOCAL]["scope"] == "unit" and b[LOCAL]["message"] == HOSTILE
     and b[TERM]["units"][0]["name"] == "North",
     "each rule says its kind, whose it is and its message", str(b))
r = com.get("/api/v1/guidelines/stats?unit=south")
t.ok(r.status == 200 and r.json()["unit"] == "south"
     and {k: numbers(v) for k, v in by_rule(r.json()).items()} == SOUTH,
     "?unit=south: south's numbers alone", r.text)

r = ann.get("/api/v1/guidelines/stats")
t.eq((r.status, {k: numbers(v) for k, v in by_rule(r.json()).items()}), (200, NORTH),
     "north's owner reads north's numbers, nothing of south's")
t.eq({k: numbers(v) for k, v in by_rule(ann.get(
    "/api/v1/guidelines/stats?unit=north").json()).items()}, NORTH,
     "and with ?unit=north")
r = bob.get("/api/v1/guidelines/stats")
t.eq((r.status, {k: numbers(v) for k, v in by_rule(r.json()).items()}), (200, SOUTH),
     "south's owner reads south's only, though he writes in north")

# -- who else -----------------------------------------------------------------
FORBID = (403, "forbidden", None)
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")
for who, c in (("north's author", pat), ("north's editor", eve), ("hub HR", hr),
               ("a stranger", stranger), ("north's removed owner", rem)):
    t.eq(err(c.get("/api/v1/guidelines/stats")), FORBID, f"{who} is refused (403)")
    t.eq(err(c.get("/api/v1/guidelines/stats?unit=north&format=csv")), FORBID,
         f"{who} following a forwarded CSV link is refused (403)")
t.eq(anon.get("/api/v1/guidelines/stats").status, 401, "an anonymous caller is 401")
t.eq(anon.get("/api/v1/guidelines/stats?unit=north&format=csv").status, 401,
     "and so is a forwarded CSV link")
NOUNIT = (404, "not_found", "unit")
t.eq(err(bob.get("/api/v1/guidelines/stats?unit=north")), NOUNIT,
     "another unit's owner asking for north: 404 naming unit")
t.eq(err(bob.get("/api/v1/guidelines/stats?unit=north&format=csv")), NOUNIT,
     "nor as CSV")
t.eq(err(ann.get("/api/v1/guidelines/stats?unit=south")), NOUNIT,
     "north's owner asking for south: 404")
t.eq(err(ida.get("/api/v1/guidelines/stats?unit=nowhere")), NOUNIT,
     "a unit that does not exist: 404")
t.eq(err(ida.get("/api/v1/guidelines/stats?unit=No%20Such!")), (400, "invalid", "unit"),
     "a unit that is no address: 400 naming unit")
t.eq(err(ida.get("/api/v1/guidelines/stats?format=xml")), (400, "invalid", "format"),
     "a format that is none: 400 naming format")
t.eq(err(ida.get("/api/v1/guidelines/stats?unit=" + "a" * 500))[0], 400,
     "an overlong unit: 400")

# -- CSV ------------------------------------------------------------------------
def rows(r):
    return list(csv.DictReader(io.StringIO(r.body.decode("utf-8"), newline="")))


r = ida.get("/api/v1/guidelines/stats?format=csv")
t.ok(r.status == 200 and r.headers.get("content-type", "").startswith("text/csv")
     and "attachment" in r.headers.get("content-disposition", ""),
     "?format=csv is a CSV attachment", str(r.headers))
t.ok(r.body.endswith(b"\r\n") and r.body.split(b"\r\n")[0] ==
     b"rule,kind,scope,message,unit,unit_name,fired,muted,saves,suggested,"
     b"accepted,declined,left_open,rate", "the header line, lines ended by CRLF",
     r.text[:300])
got = rows(r)
t.eq(sorted((int(x["rule"]), x["unit"], int(x["fired"]), int(x["muted"]),
             int(x["suggested"]), int(x["accepted"]), int(x["declined"]),
             int(x["left_open"]), x["rate"]) for x in got),
     sorted([(TERM, "north", 2, 0, 2, 1, 0, 2, "1"), (TERM, "south", 1, 0, 1, 0, 0, 0, ""),
             (SYN, "north", 1, 1, 0, 0, 0, 0, ""), (SYN, "south", 1, 0, 1, 0, 1, 0, "0"),
             (LOCAL, "north", 1, 0, 1, 0, 1, 0, "0")]),
     "a line per unit and rule, the numbers exact")
loc = [x for x in got if int(x["rule"]) == LOCAL][0]
t.eq(loc["message"], "'" + HOSTILE,
     "the formula-looking message is defused by a leading quote; its quotes "
     "and its newline survive")
r2 = ida.get("/api/v1/guidelines/stats", {"Accept": "text/csv"})
t.ok(r2.status == 200 and r2.headers.get("content-type", "").startswith("text/csv")
     and r2.body == r.body, "Accept: text/csv answers the same CSV", r2.text[:200])
r2 = ida.get("/api/v1/guidelines/stats",
             {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
t.ok(r2.headers.get("content-type", "").startswith("application/json"),
     "a browser's Accept header gets JSON", str(r2.headers))
r = ann.get("/api/v1/guidelines/stats?unit=north&format=csv")
t.eq(sorted((int(x["rule"]), x["unit"]) for x in rows(r)),
     sorted([(TERM, "north"), (SYN, "north"), (LOCAL, "north")]),
     "north's owner's CSV holds north alone")
r = bob.get("/api/v1/guidelines/stats", {"Accept": "text/csv"})
t.eq(sorted((int(x["rule"]), x["unit"]) for x in rows(r)),
     sorted([(TERM, "south"), (SYN, "south")]), "south's owner's CSV holds south alone")

# -- the pages ------------------------------------------------------------------
ROW = re.compile(r'<tr><th scope="row">Rule (\d+)[^<]*(?:<br><span class="muted">'
                 r'[^<]*(?:<[^t][^>]*>[^<]*)*</span>)?</th>((?:<td>.*?</td>)+)</tr>', re.S)


def table(html, caption):
    i = html.find(caption)
    if i < 0:
        return None
    part = html[i:html.find("</table>", i)]
    return {int(m.group(1)): re.findall(r"<td>(.*?)</td>", m.group(2))
            for m in ROW.finditer(part)}


def page_numbers(d):
    return {k: [int(x) for x in v[:6]] + [v[6]] for k, v in d.items()}


def want_row(n):
    rate = ("no decision yet" if n["rate"] is None else f"{round(n['rate'] * 100)}%")
    return [n["fired"], n["muted"], n["suggested"], n["accepted"], n["declined"],
            n["left_open"], rate]


r = com.get("/hub/guidelines")
t.eq(r.status, 200, "the hub's page: 200")
h = r.text
t.ok('<h2 id="stats-title">What each rule achieves</h2>' in h
     and '<caption id="stats-rules-caption">What each rule achieves</caption>' in h
     and '<th scope="col">Left open at publishing</th>' in h,
     "a section with a captioned table, its columns headed", h[:3000])
t.eq(page_numbers(table(h, "stats-rules-caption") or {}),
     {k: want_row(v) for k, v in TOTAL.items()}, "a row per rule, the numbers exact")
t.ok("&lt;b&gt;" in h and "<b>" not in h, "a rule's message is escaped on the page")
units = re.findall(r'<tr><th scope="row">Rule (\d+)[^<]*</th><td>([^<]*)<br>', h)
t.eq(sorted((int(a), b) for a, b in units),
     sorted([(TERM, "North"), (TERM, "South"), (SYN, "North"), (SYN, "South"),
             (LOCAL, "North")]), "and, by unit, a row per unit and rule")
t.ok('href="/api/v1/guidelines/stats?format=csv"' in h, "a link to the CSV")
r = com.get("/hub/guidelines?unit=south")
t.eq((r.status, page_numbers(table(r.text, "stats-rules-caption") or {})),
     (200, {k: want_row(v) for k, v in SOUTH.items()}),
     "the unit filter: south's numbers alone")
t.ok('value="south"' in r.text and "stats?format=csv&amp;unit=south" in r.text
     and "stats-units-caption" not in r.text,
     "the filter keeps what was typed, the CSV link follows it")
r = com.get("/hub/guidelines?unit=nowhere")
t.ok(r.status == 404 and 'value="nowhere"' in r.text and 'role="alert"' in r.text
     and 'id="stats-unit-error"' in r.text
     and page_numbers(table(r.text, "stats-rules-caption") or {}) ==
     {k: want_row(v) for k, v in TOTAL.items()},
     "an unknown unit: 404, the page again with every unit, the message beside "
     "the filter", r.text[:200])
r = com.get("/hub/guidelines?unit=No%20Such!")
t.ok(r.status == 400 and 'id="stats-unit-error"' in r.text and "No Such!" in r.text,
     "a unit that is no address: 400, the page again with what was typed")
t.eq(hr.get("/hub/guidelines").status, 403, "hub HR may not see the hub's page")
r = ann.get("/units/north/guidelines")
t.eq((r.status, page_numbers(table(r.text, "stats-rules-caption") or {})),
     (200, {k: want_row(v) for k, v in NORTH.items()}),
     "north's owners read north's numbers on north's page")
t.ok("stats?format=csv&amp;unit=north" in r.text, "with north's CSV link")
for who, c in (("north's author", pat), ("north's editor", eve)):
    r = c.get("/units/north/guidelines")
    t.ok(r.status == 200 and "What each rule achieves" not in r.text,
         f"{who} reads north's rules but no statistics", f"{r.status} {r.text[:600]}")
for who, c, want in (("south's owner", bob, 200), ("a stranger", stranger, 404),
                     ("north's removed owner", rem, 404), ("a hub admin", ida, 404)):
    r = c.get("/units/north/guidelines")
    t.ok(r.status == want and "What each rule achieves" not in r.text,
         f"{who}: no statistics of north on north's page ({r.status})")
t.eq(anon.get("/hub/guidelines").status, 303, "an anonymous visitor is sent to log in")
