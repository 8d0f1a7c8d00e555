"""test_guidelines.py: guideline rules through real nginx, the FastCGI
server and PostgreSQL: the hub's rules kept by its admins and
communicators, a unit's own rules kept by its owners, a hub rule muted by
a unit with a reason the hub reads, and the dry-run check (the hub's
active rules, the unit's own, minus its mutes; spans in code points;
nothing stored).  Bad input is a 4xx naming the field (an invalid regular
expression with the position of the error, a length limit of 0, a quiet
period ending before it starts, an unknown kind).  And every attacker
for each write: a plain member, another unit's owner, a removed member,
a stranger, a hub HR person, an anonymous caller, a request without its
CSRF token; nothing written by any of them.
"""

import datetime
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, err, send, approved_unit)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


ann = person(s, "ann@example.org")        # owner of north
pat = person(s, "pat@example.org")        # a plain author in north
rem = person(s, "rem@example.org")        # a member of north, removed
bob = person(s, "bob@example.org")        # owner of south, another unit
stranger = person(s, "str@example.org")   # belongs to nothing
com = person(s, "com@example.org", "communicator")
hr = person(s, "hr@example.org", "hr")
ida = person(s, "ida@example.org", "admin")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    approved_unit(t, who, ida, slug)
q("UPDATE units SET region = 'Nord' WHERE slug = 'north'")
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('pat@example.org', 'author'), ('rem@example.org', 'author')) "
  "m (email, role) JOIN people p ON p.email = m.email JOIN units u ON u.slug = 'north'")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")

today = datetime.date.today()
day = datetime.timedelta(days=1)
HUB = "/api/v1/guidelines/rules"
NORTH = "/api/v1/units/north/guidelines/rules"


def count(table):
    return q(f"SELECT count(*) FROM {table}")


# -- the hub's rules ---------------------------------------------------------
TERM = {"kind": "term", "pattern": "guaranteed", "replacement": "designed to",
        "message": "We cannot promise outcomes.", "link": "https://hub.example.org/promises"}
r = send(com, HUB, TERM)
t.eq(r.status, 201, "a hub communicator adds a term rule: 201")
term = r.json()
t.ok(isinstance(term.get("id"), int) and term.get("pattern") == "guaranteed"
     and term.get("regex") is False and term.get("case_sensitive") is False
     and term.get("replacement") == "designed to" and term.get("enabled") is True
     and term.get("mutes") == [],
     "the answer is the rule with its id and its fields", r.text)
t.eq(r.headers.get("location"), f"{HUB}/{term['id']}", "with its Location")

rules = {}
for name, body in [
        ("tags", {"kind": "tags", "allowed": ["events", "news", "jobs"],
                  "message": "Use the hub's tags."}),
        ("x", {"kind": "length", "channel": "x", "limit": 280,
               "message": "X takes 280 characters."}),
        ("disclosure", {"kind": "disclosure", "tags": ["sponsored"],
                        "terms": ["paid partnership"], "sentence": "This post is sponsored.",
                        "message": "Say when a post is sponsored."}),
        ("quiet", {"kind": "quiet", "terms": ["merger"], "starts": str(today - day),
                   "ends": str(today + 10 * day), "message": "Legal asks: no comment."}),
        ("quiet_south", {"kind": "quiet", "terms": ["harbour"], "units": ["south"],
                         "starts": str(today), "ends": str(today),
                         "message": "Hold comment on the harbour."}),
        ("quiet_later", {"kind": "quiet", "terms": ["budget"], "starts": str(today + day),
                         "ends": str(today + 2 * day), "message": "Not yet."}),
        ("links", {"kind": "links", "message": "Links must work."}),
        ("slow", {"kind": "term", "pattern": r"^(\w+\s?)*$", "regex": True,
                  "message": "A hostile pattern."})]:
    r = send(ida, HUB, body)
    t.eq(r.status, 201, f"a hub admin adds a {name} rule: 201")
    rules[name] = r.json()
t.eq(rules["x"].get("link_length"), 23, "X's links count 23 unless the rule says otherwise")
t.eq(rules["quiet_south"].get("units"), ["south"], "a quiet period names the units it targets")

# -- bad input: each a clear 422 naming the field, nothing written ----------
before = count("guide_hub_rules")
for body, want, name in [
        ({"kind": "term", "pattern": "(unclosed", "regex": True, "message": "m"},
         (422, "invalid", "pattern"), "an invalid regular expression"),
        ({"kind": "term", "pattern": "x" * 1001, "message": "m"},
         (422, "too_long", "pattern"), "a pattern over 1,000 bytes"),
        ({"kind": "term", "message": "m"}, (422, "missing", "pattern"), "a term without pattern"),
        ({"kind": "length", "channel": "x", "limit": 0, "message": "m"},
         (422, "invalid", "limit"), "a length limit of 0"),
        ({"kind": "length", "channel": "telegraph", "limit": 10, "message": "m"},
         (422, "invalid", "channel"), "an unknown channel"),
        ({"kind": "quiet", "terms": ["x"], "starts": "2031-05-02", "ends": "2031-05-01",
          "message": "m"}, (422, "invalid", "ends"), "a quiet period ending before it starts"),
        ({"kind": "quiet", "terms": ["x"], "starts": "2031-02-30", "ends": "2031-05-01",
          "message": "m"}, (422, "invalid", "starts"), "a day that does not exist"),
        ({"kind": "quiet", "terms": ["x"], "starts": "2031-05-01", "ends": "2031-05-01",
          "units": ["nowhere"], "message": "m"}, (422, "invalid", "units"),
         "a quiet period for a unit that does not exist"),
        ({"kind": "quiet", "starts": "2031-05-01", "ends": "2031-05-01", "message": "m"},
         (422, "missing", "terms"), "a quiet period without terms"),
        ({"kind": "disclosure", "sentence": "Sponsored.", "message": "m"},
         (422, "missing", "terms"), "a disclosure rule nothing calls for"),
        ({"kind": "tags", "allowed": [], "message": "m"}, (422, "missing", "allowed"),
         "a taxonomy of no tag"),
        ({"kind": "poem", "message": "m"}, (422, "invalid", "kind"), "an unknown kind"),
        ({"kind": "links"}, (422, "missing", "message"), "a rule without message"),
        ({"kind": "links", "message": "m", "link": "javascript:alert(1)"},
         (422, "invalid", "link"), "a link that is no web address")]:
    r = send(com, HUB, body)
    t.eq(err(r), want, f"{name} is {want[0]} naming {want[2]}")
r = send(com, HUB, {"kind": "term", "pattern": "ab(cd", "regex": True, "message": "m"})
t.ok(r.json()["error"].get("position") == 5 and "5" in r.json()["error"]["message"],
     "an invalid pattern's answer gives the position of the error", r.text)
t.eq(count("guide_hub_rules"), before, "and none of them wrote a rule")

# -- attackers on the hub's rules --------------------------------------------
tid = term["id"]
for who, name in [(pat, "a plain member"), (bob, "another unit's owner"),
                  (ann, "a unit's owner"), (stranger, "a stranger"),
                  (hr, "a hub HR person")]:
    t.eq(err(send(who, HUB, {"kind": "links", "message": "mine"})),
         (403, "forbidden", None), f"{name} adding a hub rule is 403")
    t.eq(err(send(who, f"{HUB}/{tid}", dict(TERM, message="mine"), method="PUT")),
         (403, "forbidden", None), f"{name} changing a hub rule is 403")
    t.eq(send(who, f"{HUB}/{tid}", None, method="DELETE").status, 403,
         f"{name} removing a hub rule is 403")
t.eq(anon.post_json(HUB, {"kind": "links", "message": "x"}).status, 401,
     "an anonymous caller adding a hub rule is 401")
t.eq(anon.get(HUB).status, 401, "and reading them is 401")
t.eq(com.post_json(HUB, {"kind": "links", "message": "x"}).status, 403,
     "a hub rule without the CSRF token is 403")
t.eq(count("guide_hub_rules"), before, "none of them added a rule")
t.eq(q(f"SELECT message FROM guide_hub_rules WHERE id = {tid}"), TERM["message"],
     "nor changed one")

r = stranger.get(HUB)
t.ok(r.status == 200 and tid in [x["id"] for x in r.json()["rules"]],
     "anyone signed in reads the hub's rules", r.text)
r = send(com, f"{HUB}/{tid}", dict(TERM, message="We promise no outcome."), method="PUT")
t.ok(r.status == 200 and r.json().get("message") == "We promise no outcome.",
     "a communicator changes a rule: 200 with the rule", r.text)
t.eq(err(send(com, f"{HUB}/999999", TERM, method="PUT")), (404, "not_found", None),
     "changing a rule that does not exist is 404")
t.eq(err(send(com, f"{HUB}/x1", TERM, method="PUT")), (404, "not_found", None),
     "a rule id that is no number is 404")
t.eq(err(send(com, f"{HUB}/{tid}", {"kind": "term", "pattern": "(", "regex": True,
                                    "message": "m"}, method="PUT")),
     (422, "invalid", "pattern"), "a change to an invalid pattern is 422 naming pattern")

# -- a unit's own rules ------------------------------------------------------
MOON = {"kind": "term", "pattern": "Project Moon", "message": "Moon is confidential."}
r = send(ann, NORTH, MOON)
t.eq(r.status, 201, "north's owner adds a rule of north: 201")
moon = r.json()
t.eq(r.headers.get("location"), f"{NORTH}/{moon['id']}", "with its Location")
r = send(ann, NORTH, {"kind": "quiet", "terms": ["fair"], "units": ["south"],
                      "starts": str(today), "ends": str(today), "message": "No fair talk."})
t.ok(r.status == 201 and r.json().get("units") == [],
     "a unit's quiet period targets the unit alone (units are not read)", r.text)
local_quiet = r.json()

before = count("guide_unit_rules")
for who, want, name in [(pat, 403, "a plain member"), (bob, 404, "another unit's owner"),
                        (rem, 404, "a removed member"), (stranger, 404, "a stranger"),
                        (hr, 403, "a hub HR person"), (ida, 403, "a hub admin"),
                        (com, 403, "a hub communicator")]:
    t.eq(send(who, NORTH, MOON).status, want, f"{name} adding a rule of north is {want}")
    t.eq(send(who, f"{NORTH}/{moon['id']}", dict(MOON, message="x"), method="PUT").status,
         want, f"{name} changing it is {want}")
    t.eq(send(who, f"{NORTH}/{moon['id']}", None, method="DELETE").status, want,
         f"{name} removing it is {want}")
t.eq(anon.post_json(NORTH, MOON).status, 401, "an anonymous caller is 401")
t.eq(ann.post_json(NORTH, MOON).status, 403, "the owner without the CSRF token is 403")
t.eq(err(send(bob, f"/api/v1/units/south/guidelines/rules/{moon['id']}", MOON, method="PUT")),
     (404, "not_found", None), "north's rule through south's address is 404, even to its owner")
t.eq(err(send(ann, f"{NORTH}/{tid}", MOON, method="PUT")), (404, "not_found", None),
     "a hub rule is no rule of the unit (404)")
t.eq(err(send(ann, NORTH, {"kind": "length", "channel": "x", "limit": 0, "message": "m"})),
     (422, "invalid", "limit"), "a unit's bad rule is 422 naming the field")
t.eq(count("guide_unit_rules"), before, "none of them wrote a rule of north")
t.eq(q(f"SELECT message FROM guide_unit_rules WHERE id = {moon['id']}"), MOON["message"],
     "nor changed it")

for who, want, name in [(pat, 200, "a plain member"), (hr, 200, "a hub HR person"),
                        (bob, 404, "another unit's owner"), (rem, 404, "a removed member"),
                        (stranger, 404, "a stranger")]:
    r = who.get(NORTH)
    t.eq(r.status, want, f"{name} reading north's rules is {want}")
t.eq([x["id"] for x in pat.get(NORTH).json()["rules"]], [moon["id"], local_quiet["id"]],
     "the members see the unit's rules")
t.eq(bob.get("/api/v1/units/south/guidelines/rules").json()["rules"], [],
     "another unit's owner sees none of north's in their own")

# -- mutes -------------------------------------------------------------------
MUTE = f"/api/v1/units/north/guidelines/mutes/{tid}"
for who, want, name in [(pat, 403, "a plain member"), (bob, 404, "another unit's owner"),
                        (rem, 404, "a removed member"), (stranger, 404, "a stranger"),
                        (hr, 403, "a hub HR person"), (ida, 403, "a hub admin")]:
    t.eq(send(who, MUTE, {"reason": "mine"}, method="PUT").status, want,
         f"{name} muting a hub rule for north is {want}")
t.eq(ann.post_json(MUTE, {"reason": "x"}, method="PUT").status, 403,
     "muting without the CSRF token is 403")
t.eq(count("guide_mutes"), "0", "none of them muted anything")
t.eq(err(send(ann, MUTE, {}, method="PUT")), (422, "missing", "reason"),
     "a mute without a reason is 422 naming reason")
t.eq(err(send(ann, f"/api/v1/units/north/guidelines/mutes/{moon['id']}", {"reason": "x"},
              method="PUT")), (404, "not_found", None), "a unit's own rule is no hub rule (404)")
r = send(ann, MUTE, {"reason": "We sell guarantees."}, method="PUT")
t.ok(r.status == 200 and r.json().get("reason") == "We sell guarantees."
     and r.json().get("unit") == "north" and r.json().get("rule") == tid,
     "the owner mutes a hub rule for north: 200", r.text)
r = send(ann, MUTE, {"reason": "Our warranty is real."}, method="PUT")
t.ok(r.status == 200 and r.json().get("reason") == "Our warranty is real.",
     "and changes the reason", r.text)
hub_term = [x for x in com.get(HUB).json()["rules"] if x["id"] == tid][0]
t.eq([(m["unit"], m["reason"]) for m in hub_term["mutes"]],
     [("north", "Our warranty is real.")], "the hub sees who muted what and why")
other = [x for x in bob.get(HUB).json()["rules"] if x["id"] == tid][0]
t.eq(other["mutes"], [], "another unit's owner does not see north's mute")
t.eq([m["rule"] for m in pat.get(NORTH).json()["mutes"]], [tid],
     "north's members see north's mutes")

# -- the dry run -------------------------------------------------------------
CHECK = "/api/v1/guidelines/check"
BODY = ("🎉 Café: results guaranteed! Project Moon starts. See https://bad..host/x "
        "and https://example.org/ok. No merger talk, harbour news. ") + "x" * 300


def findings(c, obj):
    r = send(c, CHECK, obj)
    return r.json()["findings"] if r.status == 200 else r.status


def by_rule(fs, rid):
    return [f for f in fs if f["rule"] == rid]


rows = (count("guide_hub_rules"), count("guide_unit_rules"), count("guide_mutes"),
        count("post_suggestions"), count("audit_log"))
text = {"title": "Guaranteed news", "body": BODY, "tags": ["evnts", "sponsored"],
        "channels": ["x", "blog"]}
fs = findings(bob, dict(text, unit="south"))
g = by_rule(fs, tid)
i = BODY.index("guaranteed")
t.ok([(f["field"], f["start"], f["end"], f["replacement"]) for f in g]
     == [("title", 0, 10, "designed to"), ("body", i, i + 10, "designed to")],
     "a term is found in the title and the body, spans in code points after an emoji", g)
t.eq(g[0]["message"], "We promise no outcome.", "with the rule's message")
t.eq([(f["field"], f["replacement"]) for f in by_rule(fs, rules["tags"]["id"])],
     [("tags", "events"), ("tags", None)],
     "an unknown tag gets the nearest allowed one, a tag near none is found alone")
d = by_rule(fs, rules["disclosure"]["id"])
t.ok(len(d) == 1 and d[0]["start"] == d[0]["end"] == len(BODY)
     and d[0]["replacement"] == "\n\nThis post is sponsored.",
     "a sponsored post without the sentence gets it suggested at the end", d)
x = by_rule(fs, rules["x"]["id"])
t.ok(len(x) == 1 and x[0]["end"] == len(BODY) and 250 < x[0]["start"] < 280,
     "the part past X's 280 characters is found (a link counts 23)", x)
m = by_rule(fs, rules["quiet"]["id"])
t.eq([(f["start"], f["end"]) for f in m], [(BODY.index("merger"), BODY.index("merger") + 6)],
     "a quiet period's term is found while it lasts")
t.eq(len(by_rule(fs, rules["quiet_south"]["id"])), 1, "a quiet period for south finds in south")
t.eq(by_rule(fs, rules["quiet_later"]["id"]), [], "a quiet period that has not begun finds nothing")
lk = by_rule(fs, rules["links"]["id"])
j = BODY.index("https://bad..host/x")
t.eq([(f["start"], f["end"]) for f in lk], [(j, j + len("https://bad..host/x"))],
     "a malformed link is found, a good one is not")
t.eq(by_rule(fs, moon["id"]), [], "north's own rule does not run in south")

fs = findings(pat, dict(text, unit="north"))
t.eq(by_rule(fs, tid), [], "in north the muted hub rule finds nothing")
k = BODY.index("Project Moon")
t.eq([(f["start"], f["end"]) for f in by_rule(fs, moon["id"])], [(k, k + 12)],
     "north's own rule finds for north's members")
t.eq(by_rule(fs, rules["quiet_south"]["id"]), [], "south's quiet period does not run in north")
t.eq(by_rule(fs, local_quiet["id"]), [], "a local quiet period finds nothing without its term")
t.eq(len(by_rule(fs, tid)) + len(by_rule(findings(hr, dict(text, unit="north")), tid)), 0,
     "a hub HR person checking for north meets north's rules")
fs = findings(stranger, text)
t.ok(len(by_rule(fs, tid)) == 2 and by_rule(fs, moon["id"]) == [],
     "without a unit, the hub's rules alone", fs)

t0 = time.time()
fs = findings(stranger, {"body": "a" * 40 + "!"})
t.ok(isinstance(fs, list) and by_rule(fs, rules["slow"]["id"]) == [] and time.time() - t0 < 5,
     "a pattern that backtracks exponentially ends quickly, finding nothing", fs)

for who, obj, want, name in [
        (bob, dict(text, unit="north"), (422, "invalid", "unit"), "another unit's owner"),
        (rem, dict(text, unit="north"), (422, "invalid", "unit"), "a removed member"),
        (stranger, dict(text, unit="north"), (422, "invalid", "unit"), "a stranger"),
        (pat, dict(text, unit="nowhere"), (422, "invalid", "unit"), "a unit that does not exist"),
        (pat, dict(text, unit="NO THING"), (422, "invalid", "unit"), "a unit that is no address"),
        (pat, dict(text, channels=["telegraph"]), (422, "invalid", "channels"), "a bad channel"),
        (pat, dict(text, tags=[f"t{n}" for n in range(21)]), (422, "too_many", "tags"), "21 tags")]:
    t.eq(err(send(who, CHECK, obj)), want, f"checking as {name} is {want[0]} naming {want[2]}")
t.eq(anon.post_json(CHECK, text).status, 401, "an anonymous check is 401")
t.eq(pat.post_json(CHECK, text).status, 403, "a check without the CSRF token is 403")
t.eq((count("guide_hub_rules"), count("guide_unit_rules"), count("guide_mutes"),
      count("post_suggestions"), count("audit_log")), rows, "checks store nothing")

# -- switching off, unmuting, removing, and the audit ------------------------
r = send(com, f"{HUB}/{rules['links']['id']}", {"kind": "links", "message": "Links.",
                                                "enabled": False}, method="PUT")
t.ok(r.status == 200 and r.json()["enabled"] is False, "a rule is switched off", r.text)
t.eq(by_rule(findings(stranger, text), rules["links"]["id"]), [],
     "a rule switched off finds nothing")
t.eq(send(ann, MUTE, None, method="DELETE").status, 204, "the owner unmutes: 204")
t.eq(send(ann, MUTE, None, method="DELETE").status, 404, "unmuting again is 404")
t.eq(len(by_rule(findings(pat, dict(text, unit="north")), tid)), 2,
     "unmuted, the hub rule finds in north again")
t.eq(send(pat, f"{NORTH}/{moon['id']}", None, method="DELETE").status, 403,
     "a plain member removing north's rule is 403")
t.eq(send(ann, f"{NORTH}/{moon['id']}", None, method="DELETE").status, 204,
     "the owner removes it: 204")
t.eq(send(ann, f"{NORTH}/{moon['id']}", None, method="DELETE").status, 404, "and again is 404")
send(ann, MUTE, {"reason": "Again."}, method="PUT")
t.eq(send(ida, f"{HUB}/{tid}", None, method="DELETE").status, 204, "an admin removes a hub rule")
t.eq(count("guide_mutes"), "0", "and its mutes go with it")
t.eq(q("SELECT string_agg(action, ',' ORDER BY action) FROM (SELECT DISTINCT action "
       "FROM audit_log WHERE action LIKE 'guideline.%') a"),
     "guideline.create,guideline.delete,guideline.mute,guideline.unmute,guideline.update",
     "every change of a rule or a mute is audited")
t.eq(q(f"SELECT before->>'reason' || '|' || coalesce(after->>'reason', '') || '|' || u.slug "
       f"FROM audit_log a JOIN units u ON u.id = a.unit_id WHERE action = 'guideline.mute' "
       f"ORDER BY a.id LIMIT 1 OFFSET 1"),
     "We sell guarantees.|Our warranty is real.|north",
     "a mute's audit keeps the reason before and after, and the unit")

# -- a unit that is not approved ---------------------------------------------
q("UPDATE units SET state = 'suspended' WHERE slug = 'south'")
SOUTH = "/api/v1/units/south/guidelines/rules"
t.eq(send(bob, SOUTH, MOON).status, 409, "a suspended unit's owner adding a rule is 409")
t.eq(send(bob, f"/api/v1/units/south/guidelines/mutes/{rules['x']['id']}",
          {"reason": "x"}, method="PUT").status, 409, "and muting a hub rule is 409")
t.eq(bob.get(SOUTH).status, 200, "while its rules are still read")
t.eq(q("SELECT count(*) FROM guide_unit_rules u JOIN units n ON n.id = u.unit_id "
       "WHERE n.slug = 'south'") + q("SELECT count(*) FROM guide_mutes"), "00",
     "and nothing was written")
