"""test_guide_pages.py: the pages of guidelines through real nginx, the
FastCGI server and PostgreSQL.  /hub/guidelines: hub admins and
communicators add a rule of each kind with its form, edit one, switch it
off and on, delete one after a confirmation, and read which units muted
what and why.  /units/{slug}/guidelines: the unit's owners add rules of
their own with the same forms and mute a hub rule with a reason (and
unmute it); its editors and authors read the rules in force.  Bad input
re-renders the form with what was typed and 422 naming the field (an
invalid regular expression with the position of the error, a limit of 0,
a quiet period ending before it starts, a mute without reason, an
unknown kind).  Every attacker is refused and writes nothing: a plain
member, another unit's owner, a removed member, a stranger, a hub HR
person, an anonymous visitor, a form without its CSRF token, a
forwarded link.
"""

import datetime
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, loc, value_of, invalid)

t = TAP()
s = new_stack()


def q(sql):
    return q_on(s, sql)


def form(c, path, fields, token=True):
    f = dict(fields)
    if token:
        f["csrf_token"] = c.token
    return c.post(path, f)


def count(table, where="true"):
    return q(f"SELECT count(*) FROM {table} WHERE {where}")


ann = person(s, "ann@example.org")        # owner of north
ed = person(s, "ed@example.org")          # editor of north
pat = person(s, "pat@example.org")        # a plain author of north
gus = person(s, "gus@example.org")        # a guest of north
rem = person(s, "rem@example.org")        # a member of north, removed
bob = person(s, "bob@example.org")        # owner of south, another unit
stranger = person(s, "str@example.org")   # belongs to nothing
com = person(s, "com@example.org", "communicator")
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
q("UPDATE units SET region = 'Nord' WHERE slug = 'north'")
q("INSERT INTO unit_members (unit_id, person_id, role, expires_at) "
  "SELECT u.id, p.id, m.role, CASE m.role WHEN 'guest' THEN now() + interval '30 days' END "
  "FROM (VALUES ('ed@example.org', 'editor'), ('pat@example.org', 'author'), "
  "('gus@example.org', 'guest'), ('rem@example.org', 'author')) "
  "m (email, role) JOIN people p ON p.email = m.email JOIN units u ON u.slug = 'north'")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")

today = datetime.date.today()
day = datetime.timedelta(days=1)
HUB = "/hub/guidelines"
NORTH = "/units/north/guidelines"

# -- who reaches the hub's page ----------------------------------------------
r = anon.get(HUB)
t.ok(r.status == 303 and loc(r).startswith("/login?next="),
     "an anonymous visitor of /hub/guidelines is sent to sign in", loc(r))
for who, name in [(pat, "a plain member"), (ann, "a unit's owner"),
                  (stranger, "a stranger"), (hr, "a hub HR person")]:
    t.eq(who.get(HUB).status, 403, f"{name} is refused /hub/guidelines: 403")
for who, name in [(com, "a hub communicator"), (ida, "a hub admin")]:
    r = who.get(HUB)
    t.ok(r.status == 200 and "The hub has no rule yet." in r.text
         and r.text.count('name="kind" value=') == 6,
         f"{name} reads /hub/guidelines: no rule yet, a form for each of the six kinds",
         r.text[:300])
t.ok('href="/hub/guidelines"' in com.get("/").text,
     "the header links a communicator to the hub's guidelines")
t.ok('href="/hub/guidelines"' not in pat.get("/").text,
     "and not a plain member")

# -- adding a rule of each kind ----------------------------------------------
ADDS = [
    ("term", {"kind": "term", "pattern": r"guarantee(d|s)?", "regex": "on",
              "replacement": "designed to", "message": "We cannot promise outcomes.",
              "link": "https://hub.example.org/promises"}),
    ("tags", {"kind": "tags", "allowed": "events\nnews\r\njob offers\n\n", "required": "on",
              "message": "Use the hub's tags."}),
    ("length", {"kind": "length", "channel": "x", "limit": "280", "link_length": "",
                "message": "X takes 280 characters."}),
    ("disclosure", {"kind": "disclosure", "tags": "sponsored", "terms": "paid partnership",
                    "sentence": "This post is sponsored.",
                    "message": "Say when a post is sponsored."}),
    ("quiet", {"kind": "quiet", "terms": "merger", "starts": str(today - day),
               "ends": str(today + 10 * day), "targets": "units", "units": "south",
               "regions": "Nord", "message": "Legal asks: no comment."}),
    ("links", {"kind": "links", "message": "Links must work."}),
]
ids = {}
for kind, fields in ADDS:
    r = form(com, f"{HUB}/rules", fields)
    t.ok(r.status == 303 and [v for k, v in r.raw_headers if k.lower() == "location"]
         == [f"{HUB}?done=added"],
         f"a communicator adds a {kind} rule with its form: 303 back to the page, "
         "one Location", f"{r.status} {r.raw_headers} {r.text[:400]}")
    ids[kind] = q(f"SELECT max(id) FROM guide_hub_rules WHERE kind = '{kind}'")
t.eq(q("SELECT bool_and(enabled) FROM guide_hub_rules"), "t", "each new rule is on")
t.ok("Switch off" in com.get(HUB).text and "Switch on" not in com.get(HUB).text,
     "and the page offers to switch each off")
fields = lambda k: q(f"SELECT fields FROM guide_hub_rules WHERE id = {ids[k]}")  # noqa: E731
t.eq(fields("term"), '{"regex": true, "pattern": "guarantee(d|s)?", '
     '"replacement": "designed to", "case_sensitive": false}',
     "the term rule is a case-insensitive regular expression with its replacement")
t.eq(fields("tags"), '{"allowed": ["events", "news", "job offers"], "required": true}',
     "the taxonomy is read one tag a line, a tag of two words kept whole")
t.eq(fields("length"), '{"limit": 280, "channel": "x", "link_length": 23}',
     "the length rule counts X's links as X does")
t.eq(fields("disclosure"), '{"tags": ["sponsored"], "terms": ["paid partnership"], '
     '"sentence": "This post is sponsored."}', "the disclosure rule keeps its phrase whole")
t.ok('"units": ["south"]' in fields("quiet") and '"regions": []' in fields("quiet"),
     "a quiet period for some units names them and no region", fields("quiet"))
r = com.get(f"{HUB}?done=added")
t.ok("The rule is added." in r.text and "the regular expression “guarantee(d|s)?”" in r.text
     and "tags other than events, news, job offers; at least one tag" in r.text
     and "more than 280 characters on x" in r.text and "the units south" in r.text
     and 'href="https://hub.example.org/promises"' in r.text,
     "the page says so and lists each rule: its kind, what it looks for, its link")
r = form(com, f"{HUB}/rules", {"kind": "quiet", "terms": "vote", "starts": str(today),
                               "ends": str(today), "targets": "all", "units": "south",
                               "message": "Quiet."})
t.eq(r.status, 303, "a quiet period for every unit")
t.ok('"units": []' in q("SELECT fields FROM guide_hub_rules ORDER BY id DESC LIMIT 1"),
     "names no unit, whatever the units box held")
q("DELETE FROM guide_hub_rules WHERE fields->>'terms' = '[\"vote\"]'")

# -- bad input: the form again, what was typed, 422 naming the field ----------
before = count("guide_hub_rules")
r = form(com, f"{HUB}/rules", {"kind": "term", "pattern": "ab(cd", "regex": "on",
                               "replacement": "x", "message": "Typed message"})
t.eq(r.status, 422, "an invalid regular expression: 422")
t.ok("refused at character 5" in r.text and invalid(r.text, "new-term-pattern")
     and value_of(r.text, "new-term-pattern") == "ab(cd"
     and value_of(r.text, "new-term-message") == "Typed message"
     and re.search(r'<details class="card" open>\s*<summary>Term', r.text),
     "the term form again, open, with the position of the error and what was typed",
     r.text[:2000])
for fields_, field, ident, name in [
        ({"kind": "length", "channel": "x", "limit": "0", "message": "m"}, "limit",
         "new-length-limit", "a length limit of 0"),
        ({"kind": "quiet", "terms": "x", "starts": "2031-05-02", "ends": "2031-05-01",
          "message": "m"}, "ends", "new-quiet-ends", "a quiet period ending before it starts"),
        ({"kind": "quiet", "terms": "x", "starts": "2031-05-01", "ends": "2031-05-01",
          "targets": "units", "units": "", "message": "m"}, "units", "new-quiet-units",
         "a quiet period for some units naming none"),
        ({"kind": "quiet", "terms": "x", "starts": "2031-05-01", "ends": "2031-05-01",
          "targets": "units", "units": "nowhere", "message": "m"}, "units",
         "new-quiet-units", "a quiet period for a unit that does not exist"),
        ({"kind": "tags", "allowed": "", "message": "m"}, "allowed", "new-tags-allowed",
         "a taxonomy of no tag"),
        ({"kind": "links", "message": ""}, "message", "new-links-message",
         "a rule without message"),
        ({"kind": "links", "message": "m", "link": "javascript:alert(1)"}, "link",
         "new-links-link", "a link that is no web address")]:
    r = form(com, f"{HUB}/rules", fields_)
    t.ok(r.status == 422 and invalid(r.text, ident) and 'role="alert"' in r.text,
         f"{name}: 422, the form again marking {field}", f"{r.status} {r.text[:600]}")
r = form(com, f"{HUB}/rules", {"kind": "poem", "message": "m"})
t.ok(r.status == 422 and "kind is term, tags" in r.text, "an unknown kind: 422 naming kind")
t.eq(count("guide_hub_rules"), before, "none of them wrote a rule")

# -- edit, switch, delete ------------------------------------------------------
term = ids["term"]
r = com.get(f"{HUB}/rules/{term}")
t.ok(r.status == 200 and value_of(r.text, "edit-pattern") == "guarantee(d|s)?"
     and re.search(r'name="regex" value="on" checked', r.text)
     and value_of(r.text, "edit-replacement") == "designed to",
     "a rule's page shows its form filled in", r.text[:1500])
r = form(com, f"{HUB}/rules/{term}", {"kind": "term", "pattern": "guaranteed",
                                      "message": "No promises."})
t.ok(r.status == 303 and loc(r) == f"{HUB}?done=saved", "saving it: 303", loc(r))
t.eq(q(f"SELECT message || ' ' || (fields->>'regex') FROM guide_hub_rules WHERE id = {term}"),
     "No promises. false", "the rule is changed: plain words now")
r = form(com, f"{HUB}/rules/{term}", {"kind": "term", "pattern": "((", "regex": "on",
                                      "message": "Kept?"})
t.ok(r.status == 422 and "refused at character 2" in r.text
     and value_of(r.text, "edit-pattern") == "((" and value_of(r.text, "edit-message") == "Kept?",
     "an invalid pattern on a rule's page: 422, its form again as typed", r.text[:1500])
t.eq(q(f"SELECT message FROM guide_hub_rules WHERE id = {term}"), "No promises.",
     "and the rule is as it was")
t.eq(com.get(f"{HUB}/rules/999999").status, 404, "a rule that does not exist is 404")
t.eq(com.get(f"{HUB}/rules/x1").status, 404, "nor does a rule id that is no number")
r = form(com, f"{HUB}/rules/{term}/switch", {"enabled": "false"})
t.ok(r.status == 303 and loc(r) == f"{HUB}?done=off", "switching it off: 303", loc(r))
t.eq(q(f"SELECT enabled FROM guide_hub_rules WHERE id = {term}"), "f", "it is off")
r = form(com, f"{HUB}/rules/{term}", {"kind": "term", "pattern": "guaranteed",
                                      "message": "No promises."})
t.eq(q(f"SELECT enabled FROM guide_hub_rules WHERE id = {term}"), "f",
     "saving its form keeps it off")
t.ok("Switch on" in com.get(HUB).text, "the page offers to switch it on")
r = form(com, f"{HUB}/rules/{term}/switch", {"enabled": "true"})
t.eq(q(f"SELECT enabled FROM guide_hub_rules WHERE id = {term}"), "t", "and on again")
links = ids["links"]
r = com.get(f"{HUB}/rules/{links}/delete")
t.ok(r.status == 200 and "Delete rule %s?" % links in r.text
     and f'action="{HUB}/rules/{links}/delete"' in r.text,
     "deleting asks first, on a page of its own")
t.eq(count("guide_hub_rules", f"id = {links}"), "1", "asking deletes nothing")

# -- attackers on the hub's forms ----------------------------------------------
before = q("SELECT string_agg(id || kind || message || enabled, ',' ORDER BY id) "
           "FROM guide_hub_rules")
for who, name in [(pat, "a plain member"), (ann, "a unit's owner"), (bob, "another owner"),
                  (stranger, "a stranger"), (hr, "a hub HR person")]:
    t.eq(form(who, f"{HUB}/rules", {"kind": "links", "message": "mine"}).status, 403,
         f"{name} adding a hub rule with the form: 403")
    t.eq(form(who, f"{HUB}/rules/{term}", {"kind": "links", "message": "mine"}).status, 403,
         f"{name} saving a hub rule: 403")
    t.eq(form(who, f"{HUB}/rules/{term}/switch", {"enabled": "false"}).status, 403,
         f"{name} switching one off: 403")
    t.eq(form(who, f"{HUB}/rules/{links}/delete", {}).status, 403,
         f"{name} deleting one: 403")
    t.eq(who.get(f"{HUB}/rules/{term}").status, 403, f"{name} following a rule's link: 403")
t.eq(anon.post(f"{HUB}/rules", {"kind": "links", "message": "x"}).status, 401,
     "an anonymous visitor posting the form: 401")
t.eq(form(com, f"{HUB}/rules", {"kind": "links", "message": "x"}, token=False).status, 403,
     "the form without its CSRF token: 403")
t.eq(form(com, f"{HUB}/rules/{links}/delete", {}, token=False).status, 403,
     "deleting without the CSRF token: 403")
t.eq(q("SELECT string_agg(id || kind || message || enabled, ',' ORDER BY id) "
       "FROM guide_hub_rules"), before, "none of them wrote anything")
r = form(ida, f"{HUB}/rules/{links}/delete", {})
t.ok(r.status == 303 and loc(r) == f"{HUB}?done=deleted", "a hub admin deletes it: 303")
t.eq(count("guide_hub_rules", f"id = {links}"), "0", "it is gone")
t.ok("The rule is deleted." in ida.get(f"{HUB}?done=deleted").text, "the page says so")

# -- a unit's page: who reaches it --------------------------------------------
r = anon.get(NORTH)
t.ok(r.status == 303 and loc(r).startswith("/login?next="), "an anonymous visitor signs in first")
for who, name in [(gus, "a guest of north"), (bob, "another unit's owner"),
                  (rem, "a removed member"), (stranger, "a stranger"), (hr, "a hub HR person"),
                  (com, "a hub communicator")]:
    t.eq(who.get(NORTH).status, 404, f"{name} is answered 404 for north's guidelines")
r = ann.get(NORTH)
t.ok(r.status == 200 and f'action="{NORTH}/mutes/{term}"' in r.text
     and r.text.count('name="kind" value=') == 6 and "north has no rule" not in r.text,
     "the owner reads the hub's rules with a mute form each, and the forms to add", r.text[:300])
t.ok(f'href="{NORTH}"' in ann.get("/units/north").text,
     "the unit page links its owner to the guidelines")
t.ok(f'href="{NORTH}"' in pat.get("/units/north").text,
     "and its authors")

# -- the unit's own rules ---------------------------------------------------------
MOON = {"kind": "term", "pattern": "Project Moon", "message": "Moon is confidential."}
r = form(ann, f"{NORTH}/rules", MOON)
t.ok(r.status == 303 and loc(r) == f"{NORTH}?done=added", "the owner adds a rule of north", loc(r))
moon = q("SELECT id FROM guide_unit_rules WHERE fields->>'pattern' = 'Project Moon'")
t.eq(q(f"SELECT u.slug || ' ' || x.enabled FROM guide_unit_rules x JOIN units u "
       f"ON u.id = x.unit_id WHERE x.id = {moon}"), "north true", "kept as north's, on")
r = form(ann, f"{NORTH}/rules", {"kind": "quiet", "terms": "fair", "starts": str(today),
                                 "ends": str(today), "targets": "units", "units": "south",
                                 "message": "No fair talk."})
t.eq(r.status, 303, "a unit's quiet period")
t.ok('"units": []' in q("SELECT fields FROM guide_unit_rules ORDER BY id DESC LIMIT 1"),
     "targets the unit alone")
t.ok("Which units it holds" not in ann.get(NORTH).text,
     "the unit's form of a quiet period asks for no units")
before = count("guide_unit_rules")
r = form(ann, f"{NORTH}/rules", {"kind": "length", "channel": "linkedin", "limit": "0",
                                 "message": "Typed"})
t.ok(r.status == 422 and invalid(r.text, "new-length-limit")
     and re.search(r'<option value="linkedin" selected>', r.text)
     and value_of(r.text, "new-length-message") == "Typed",
     "a limit of 0 on the unit's page: 422, the form again as typed", r.text[:1500])
r = form(ann, f"{NORTH}/rules", {"kind": "term", "pattern": "a)", "regex": "on",
                                 "message": "m"})
t.ok(r.status == 422 and "refused at character 1" in r.text, "an invalid pattern: 422 with the position")
t.eq(count("guide_unit_rules"), before, "neither wrote a rule")
r = form(ann, f"{NORTH}/rules/{moon}", dict(MOON, message="Moon is secret."))
t.eq(r.status, 303, "the owner saves north's rule")
t.eq(q(f"SELECT message FROM guide_unit_rules WHERE id = {moon}"), "Moon is secret.",
     "it is changed")
t.eq(ann.get(f"{NORTH}/rules/{term}").status, 404, "a hub rule has no page under the unit")

# -- muting a hub rule ----------------------------------------------------------------
MUTE = f"{NORTH}/mutes/{term}"
r = form(ann, MUTE, {"reason": ""})
t.ok(r.status == 422 and invalid(r.text, f"reason-{term}") and "the hub reads the reason" in r.text,
     "a mute without reason: 422, the form again marking the reason", r.text[:1500])
r = form(ann, MUTE, {"reason": "x" * 1001})
t.ok(r.status == 422 and value_of(r.text, f"reason-{term}") == "x" * 1001,
     "a reason too long: 422, kept as typed")
t.eq(count("guide_mutes"), "0", "nothing is muted")
for who, want, name in [(pat, 403, "a plain member"), (ed, 403, "an editor"),
                        (bob, 404, "another unit's owner"), (rem, 404, "a removed member"),
                        (stranger, 404, "a stranger"), (hr, 403, "a hub HR person"),
                        (com, 403, "a hub communicator")]:
    t.eq(form(who, MUTE, {"reason": "mine"}).status, want,
         f"{name} muting a hub rule for north: {want}")
    t.eq(form(who, f"{NORTH}/rules", MOON).status, want, f"{name} adding a rule of north: {want}")
    t.eq(form(who, f"{NORTH}/rules/{moon}", dict(MOON, message="x")).status, want,
         f"{name} saving north's rule: {want}")
    t.eq(form(who, f"{NORTH}/rules/{moon}/switch", {"enabled": "false"}).status, want,
         f"{name} switching it off: {want}")
    t.eq(form(who, f"{NORTH}/rules/{moon}/delete", {}).status, want,
         f"{name} deleting it: {want}")
    t.eq(who.get(f"{NORTH}/rules/{moon}").status, want,
         f"{name} following the forwarded link of its page: {want}")
t.eq(anon.post(MUTE, {"reason": "x"}).status, 401, "an anonymous visitor muting: 401")
t.eq(form(ann, MUTE, {"reason": "x"}, token=False).status, 403, "muting without CSRF token: 403")
t.eq(form(ann, f"{NORTH}/rules", MOON, token=False).status, 403,
     "adding a rule without CSRF token: 403")
t.eq(count("guide_mutes"), "0", "none of them muted anything")
t.eq(q(f"SELECT message || enabled FROM guide_unit_rules WHERE id = {moon}"),
     "Moon is secret.true", "nor changed north's rule")
t.eq(count("guide_unit_rules"), before, "nor added one")

r = form(ann, MUTE, {"reason": "We sell real warranties."})
t.ok(r.status == 303 and loc(r) == f"{NORTH}?done=muted", "the owner mutes it with a reason")
t.eq(q("SELECT reason FROM guide_mutes"), "We sell real warranties.", "the mute is kept")
r = ann.get(f"{NORTH}?done=muted")
t.ok("the hub reads your reason" in r.text and "“We sell real warranties.”" in r.text
     and f'action="{MUTE}/remove"' in r.text, "the page shows the mute and offers to unmute")
r = com.get(HUB)
t.ok(re.search(r"<strong>north</strong> mutes rule %s \(Term: the words “guaranteed”"
               r"[^<]*\) since <time[^>]*>[^<]*</time> \([^)]*\): “We sell real warranties.”" % term, r.text),
     "the hub's page lists which unit muted what, and why", r.text[-1500:])

# -- what a reader of the unit sees --------------------------------------------------
r = pat.get(NORTH)
t.ok(r.status == 200 and "Rules in force" in r.text and "Project Moon" in r.text
     and "merger" not in r.text and "guaranteed" not in r.text
     and 'name="kind"' not in r.text and "/mutes/" not in r.text,
     "an author reads the rules in force: north's own, not the muted one nor a quiet "
     "period for another unit; no form", r.text[-2500:])
t.ok("Project Moon" in ed.get(NORTH).text, "so does an editor")

r = form(ann, f"{MUTE}/remove", {}, token=False)
t.eq(r.status, 403, "unmuting without CSRF token: 403")
for who, want, name in [(pat, 403, "a plain member"), (bob, 404, "another unit's owner")]:
    t.eq(form(who, f"{MUTE}/remove", {}).status, want, f"{name} unmuting: {want}")
t.eq(count("guide_mutes"), "1", "still muted")
r = form(ann, f"{MUTE}/remove", {})
t.ok(r.status == 303 and loc(r) == f"{NORTH}?done=unmuted", "the owner unmutes it")
t.eq(count("guide_mutes"), "0", "the mute is gone")
t.ok("guaranteed" in pat.get(NORTH).text, "and the rule is in force again")
t.eq(form(ann, f"{MUTE}/remove", {}).status, 404, "unmuting what is not muted: 404")

r = form(ann, f"{NORTH}/rules/{moon}/switch", {"enabled": "false"})
t.eq(q(f"SELECT enabled FROM guide_unit_rules WHERE id = {moon}"), "f",
     "the owner switches north's rule off")
t.ok("Project Moon" not in pat.get(NORTH).text, "a rule switched off is not in force")
r = ann.get(f"{NORTH}/rules/{moon}/delete")
t.eq(r.status, 200, "the owner is asked before deleting")
r = form(ann, f"{NORTH}/rules/{moon}/delete", {})
t.ok(r.status == 303 and count("guide_unit_rules", f"id = {moon}") == "0",
     "and deletes north's rule")

# -- a suspended unit: read, not changed -------------------------------------------
q("UPDATE units SET state = 'suspended' WHERE slug = 'north'")
r = ann.get(NORTH)
t.ok(r.status == 200 and 'name="kind"' not in r.text, "a suspended unit's owner reads, without forms")
t.eq(form(ann, f"{NORTH}/rules", MOON).status, 409, "and adds no rule: 409")
q("UPDATE units SET state = 'approved' WHERE slug = 'north'")
