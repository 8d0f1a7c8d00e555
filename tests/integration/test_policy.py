"""test_policy.py: how the hub decides, over real nginx and PostgreSQL:
the approval policy (manual, automatic by e-mail domain and unit kind,
recorded as automatic), reason codes composing the requester's message,
screening questions answered in the request, delegated approvers (owners
of a parent unit), suspension, reinstatement, archiving and bulk
approval.  Every change is audited; bad input is a 4xx naming the field,
with nothing written.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, q, person, mail_to, error_field, PERSON_PW,
    send as post)

PW = PERSON_PW
t = TAP()
s = new_stack()


def put(c, path, obj):
    return post(c, path, obj, method="PUT")


def unit(slug, kind="chapter", **kw):
    u = {"name": slug.replace("-", " ").title(), "slug": slug, "kind": kind,
         "purpose": "Tell the town what we do.", "audience": "Members",
         "channels": ["blog"]}
    u.update(kw)
    return u


ida = person(s, "ida@hub.example", "admin")
ann = person(s, "ann@friends.example")
bob = person(s, "bob@elsewhere.example")
anon = Client(s.port)

# -- the policy: read by everyone signed in, changed by hub admins ----------
r = ann.get("/api/v1/approval-policy")
p = r.json()
t.ok(r.status == 200 and p["mode"] == "manual" and p["domains"] == [] and
     p["delegate_to_parent_owners"] is False, "the default policy is manual", r.text)
t.ok({c["code"] for c in p["reason_codes"]} >= {"out_of_scope", "more_detail"},
     "the policy lists the reason codes in use")
t.eq(anon.get("/api/v1/approval-policy").status, 401, "anonymous requests may not read it")
t.eq(put(ann, "/api/v1/approval-policy", {"mode": "automatic",
                                          "domains": ["friends.example"]}).status,
     403, "a person without the admin role cannot change it")
before = q(s, "SELECT count(*) FROM audit_log")
for body, field in [
        ({"mode": "sometimes"}, "mode"),
        ({"match": "most"}, "match"),
        ({"delegate_to_parent_owners": "yes"}, "delegate_to_parent_owners"),
        ({"domains": "friends.example"}, "domains"),
        ({"domains": ["not a domain"]}, "domains"),
        ({"domains": ["-bad.example"]}, "domains"),
        ({"domains": ["x" * 300 + ".example"]}, "domains"),
        ({"kinds": ["guild"]}, "kinds"),
        ({"mode": "automatic", "domains": [], "kinds": []}, "domains")]:
    t.eq(error_field(put(ida, "/api/v1/approval-policy", body)), (422, field),
         f"a bad policy ({field}) is 422 naming it")
t.eq(q(s, "SELECT count(*) FROM audit_log"), before, "and nothing is written")

r = put(ida, "/api/v1/approval-policy", {"mode": "automatic",
                                         "domains": ["Friends.Example", "@friends.example"],
                                         "kinds": ["department"], "match": "any"})
t.ok(r.status == 200 and r.json()["domains"] == ["friends.example"] and
     r.json()["kinds"] == ["department"], "a hub admin sets automatic approval "
     "(domains lower-cased, once each)", r.text)
t.eq(q(s, "SELECT after->>'mode' || ' ' || (before->>'mode') FROM audit_log "
       "WHERE action = 'policy.change' ORDER BY id DESC LIMIT 1"), "automatic manual",
     "the change is audited with before and after")

# -- automatic approval, recorded as such ----------------------------------
r = post(ann, "/api/v1/units", unit("ann-club"))
t.eq(r.json(), {"slug": "ann-club", "state": "approved"},
     "a request from a listed domain is approved at once")
t.eq(q(s, "SELECT automatic::text || ' ' || (decided_by IS NULL)::text FROM unit_decisions d "
       "JOIN units u ON u.id = d.unit_id WHERE u.slug = 'ann-club'"), "true true",
     "the decision is recorded as automatic, made by nobody")
t.ok("e-mail domain friends.example" in q(s, 
    "SELECT after->>'rule' FROM audit_log WHERE action = 'unit.approve' "
    "AND object_id = 'ann-club' AND actor_id IS NULL"),
    "the audit log names the rule that approved it")
h = ann.get("/api/v1/units/ann-club").json()["decisions"]
t.ok(len(h) == 1 and h[0]["automatic"] is True, "the history shows it as automatic")
m = mail_to(s, "ann@friends.example", "is approved")
t.ok(m is not None and "approval policy" in m.get_body(("plain",)).get_content(),
     "the requester is mailed the automatic approval")
r = post(bob, "/api/v1/units", unit("bob-club"))
t.eq(r.json()["state"], "requested", "a request from another domain waits")
r = post(bob, "/api/v1/units", unit("bob-dept", kind="department"))
t.eq(r.json()["state"], "approved", "with match any, a listed kind is enough")
put(ida, "/api/v1/approval-policy", {"match": "all"})
r = post(bob, "/api/v1/units", unit("bob-dept2", kind="department"))
t.eq(r.json()["state"], "requested", "with match all, the kind alone is not enough")
r = post(ann, "/api/v1/units", unit("ann-chapter"))
t.eq(r.json()["state"], "requested", "nor the domain alone")
r = post(ann, "/api/v1/units", unit("ann-dept", kind="department"))
t.eq(r.json()["state"], "approved", "both together are")
put(ida, "/api/v1/approval-policy", {"mode": "manual"})
r = post(ann, "/api/v1/units", unit("ann-later", kind="department"))
t.eq(r.json()["state"], "requested", "back to manual, nothing is approved at once")
t.eq(ida.get("/api/v1/approval-policy").json()["domains"], ["friends.example"],
     "absent keys keep their values")

# -- reason codes -----------------------------------------------------------
r = post(ida, "/api/v1/reason-codes", {"code": "too_small", "label": "Too small",
                                       "template": "{unit} is too small for its own space, {requester}."})
t.eq(r.status, 201, "a hub admin adds a reason code")
t.eq(error_field(post(ida, "/api/v1/reason-codes", {"code": "too_small", "label": "x", "template": "y"})),
     (409, "code"), "a code that exists is 409")
t.eq(error_field(post(ida, "/api/v1/reason-codes", {"code": "Too Small", "label": "x", "template": "y"})),
     (422, "code"), "a code with capitals or spaces is 422")
t.eq(error_field(post(ida, "/api/v1/reason-codes", {"code": "ok", "label": "", "template": "y"})),
     (422, "label"), "a code needs a label")
t.eq(post(ann, "/api/v1/reason-codes", {"code": "mine", "label": "x", "template": "y"}).status,
     403, "a person without the admin role cannot add one")
r = post(ida, "/api/v1/units/bob-club/decision",
         {"decision": "reject", "reason_code": "too_small", "reason": "Join the east chapter."})
t.eq(r.status, 200, "a rejection picks a reason code and adds free text")
got = bob.get("/api/v1/units/bob-club").json()["decisions"][-1]
t.ok(got["reason"] == "Bob Club is too small for its own space, Bob.\n\nJoin the east chapter."
     and got["reason_code"] == "too_small", "the requester reads the composed message", got)
m = mail_to(s, "bob@elsewhere.example", "was not approved")
t.ok(m is not None and "too small for its own space, Bob" in m.get_body(("plain",)).get_content(),
     "and is mailed it")
r = post(ida, "/api/v1/units/ann-chapter/decision",
         {"decision": "request_changes", "reason_code": "more_detail"})
t.eq(r.status, 200, "a code alone is reason enough")
t.eq(error_field(post(ida, "/api/v1/units/ann-later/decision",
              {"decision": "reject", "reason_code": "no_such_code"})),
     (422, "reason_code"), "an unknown code is 422")
t.eq(error_field(post(ida, "/api/v1/units/ann-later/decision",
              {"decision": "approve", "reason_code": "too_small"})),
     (422, "reason_code"), "a code with an approval is 422")
r = put(ida, "/api/v1/reason-codes/too_small", {"label": "Too small", "template": "Too small.",
                                                "active": False})
t.ok(r.status == 200 and r.json()["active"] is False, "a code is retired", r.text)
t.eq(error_field(post(ida, "/api/v1/units/ann-later/decision",
              {"decision": "reject", "reason_code": "too_small"})),
     (422, "reason_code"), "a retired code can no longer be picked")
t.eq(q(s, "SELECT state FROM units WHERE slug = 'ann-later'"), "requested",
     "and the request still waits")
t.ok("too_small" not in {c["code"] for c in ann.get("/api/v1/approval-policy").json()["reason_codes"]},
     "others no longer see it in use")
t.eq(put(ida, "/api/v1/reason-codes/nope", {"label": "x", "template": "y"}).status, 404,
     "changing an unknown code is 404")
t.eq(q(s, "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action LIKE 'reason.%'"),
     "reason.add,reason.change", "reason codes are audited")

# -- screening questions ----------------------------------------------------
r = post(ida, "/api/v1/screening-questions", {"prompt": "Who will write the posts?",
                                              "help": "Names or roles.", "required": True})
t.eq(r.status, 201, "a hub admin adds a required question")
qid = str(r.json()["id"])
r = post(ida, "/api/v1/screening-questions", {"prompt": "Anything else?"})
qopt = str(r.json()["id"])
t.eq(error_field(post(ida, "/api/v1/screening-questions", {"prompt": "x" * 301})), (422, "prompt"),
     "a question over 300 characters is 422")
t.eq(error_field(post(ida, "/api/v1/screening-questions", {"prompt": "Ok?", "required": "yes"})),
     (422, "required"), "required is a boolean")
before = q(s, "SELECT count(*) FROM units")
t.eq(error_field(post(bob, "/api/v1/units", unit("bob-q"))), (422, "answers." + qid),
     "a request without the required answer is 422 naming it")
t.eq(error_field(post(bob, "/api/v1/units", unit("bob-q", answers={qid: "   "}))), (422, "answers." + qid),
     "a blank answer is no answer")
t.eq(error_field(post(bob, "/api/v1/units", unit("bob-q", answers={qid: "Me", "999999": "?"}))),
     (422, "answers.999999"), "an answer to no question is 422")
t.eq(error_field(post(bob, "/api/v1/units", unit("bob-q", answers=["Me"]))), (422, "answers"),
     "answers is an object")
t.eq(error_field(post(bob, "/api/v1/units", unit("bob-q", answers={qid: "x" * 4001}))),
     (422, "answers." + qid), "an answer over 4,000 characters is 422")
t.eq(q(s, "SELECT count(*) FROM units"), before, "none of these wrote anything")
r = post(bob, "/api/v1/units", unit("bob-q", answers={qid: "Bob and Cy"}))
t.eq(r.status, 201, "with the answer, the request is made")
got = bob.get("/api/v1/units/bob-q").json()["answers"]
t.eq([(a["question"], a["answer"]) for a in got], [("Who will write the posts?", "Bob and Cy")],
     "the unit shows its answers (optional ones left blank are not stored)")
t.ok("Bob and Cy" in ida.get("/hub/queue").text, "the queue shows the answers")
r = put(ida, "/api/v1/screening-questions/" + qid,
        {"prompt": "Who will write the posts?", "required": False, "active": False})
t.ok(r.status == 200 and r.json()["active"] is False, "a question is retired", r.text)
t.eq(post(bob, "/api/v1/units", unit("bob-q2")).status, 201, "and no longer asked")
t.eq(put(ida, "/api/v1/screening-questions/abc", {"prompt": "x"}).status, 404,
     "a question id that is no number is 404")
t.eq(q(s, "SELECT count(*) FROM unit_answers a JOIN units u ON u.id = a.unit_id "
       "WHERE u.slug = 'bob-q'"), "1", "answers are stored with the unit")
t.eq(bob.get("/units/new").status, 200, "the request form still renders")
t.ok("Anything else?" in bob.get("/units/new").text, "and asks the active questions")

# -- delegated approvers ----------------------------------------------------
pat = person(s, "pat@region.example")
cy = person(s, "cy@town.example")
post(pat, "/api/v1/units", unit("region", kind="regional_market"))
post(ida, "/api/v1/units/region/decision", {"decision": "approve"})
post(cy, "/api/v1/units", unit("town", parent="region"))
post(cy, "/api/v1/units", unit("elsewhere"))
t.eq(pat.get("/api/v1/units/town").status, 404,
     "without delegation, the parent's owner cannot see a request under it")
t.eq(post(pat, "/api/v1/units/town/decision", {"decision": "approve"}).status, 404,
     "nor decide it")
put(ida, "/api/v1/approval-policy", {"delegate_to_parent_owners": True})
r = pat.get("/api/v1/units/town")
t.ok(r.status == 200 and r.json()["can_decide"] is True,
     "with delegation, the parent's owner sees it and may decide", r.text)
t.ok("/units/town" in pat.get("/units").text, "it is listed on their workspaces page")
t.eq(pat.get("/api/v1/units/elsewhere").status, 404, "but not requests under other units")
t.eq(error_field(post(pat, "/api/v1/units/town/decision", {"decision": "suspend", "reason": "x"})),
     (403, "decision"), "a delegate cannot suspend")
r = post(pat, "/api/v1/units/town/decision", {"decision": "approve"})
t.eq(r.status, 200, "the delegate approves")
t.eq(q(s, "SELECT p.email FROM unit_decisions d JOIN units u ON u.id = d.unit_id "
       "JOIN people p ON p.id = d.decided_by WHERE u.slug = 'town'"), "pat@region.example",
     "the decision is theirs")
post(pat, "/api/v1/units", unit("pat-sub", parent="region"))
t.eq(error_field(post(pat, "/api/v1/units/pat-sub/decision", {"decision": "approve"})),
     (403, "decision"), "a delegate cannot decide their own request")
t.eq(error_field(post(ann, "/api/v1/units/ann-later/decision", {"decision": "approve"})),
     (403, "decision"), "a requester cannot decide their own request either")
put(ida, "/api/v1/approval-policy", {"delegate_to_parent_owners": False})

# -- suspension, reinstatement, archiving -----------------------------------
t.eq(error_field(post(ida, "/api/v1/units/town/decision", {"decision": "suspend"})), (422, "reason"),
     "a suspension needs a reason")
r = post(ida, "/api/v1/units/town/decision", {"decision": "suspend", "reason": "Spam posts."})
t.ok(r.status == 200 and r.json()["state"] == "suspended", "a hub admin suspends", r.text)
t.ok(mail_to(s, "cy@town.example", "is suspended") is not None, "the requester is told")
r = cy.get("/units/town")
t.ok(r.status == 200 and "suspended by the hub" in r.text and "Spam posts." in r.text,
     "members still read the unit and see why it is suspended")
t.eq(anon.get("/api/v1/units/town").status, 404, "its public page shows nothing")
t.eq(error_field(post(ida, "/api/v1/units/town/decision", {"decision": "suspend", "reason": "x"})),
     (409, "decision"), "suspending a suspended unit is 409")
t.eq(post(ida, "/api/v1/units/town/decision", {"decision": "reinstate"}).json()["state"],
     "approved", "a hub admin reinstates")
t.eq(error_field(post(ida, "/api/v1/units/ann-later/decision", {"decision": "suspend", "reason": "x"})),
     (409, "decision"), "a request cannot be suspended (409)")
t.eq(post(ida, "/api/v1/units/town/decision", {"decision": "archive"}).json()["state"],
     "archived", "any unit can be archived")
t.eq(error_field(post(ida, "/api/v1/units/town/decision", {"decision": "archive"})),
     (409, "decision"), "archiving it again is 409")
t.eq(error_field(post(ida, "/api/v1/units/town/decision", {"decision": "reinstate"})),
     (409, "decision"), "an archived unit stays archived")
t.eq(q(s, "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE object_id = 'town' "
       "AND action IN ('unit.suspend', 'unit.reinstate', 'unit.archive')"),
     "unit.suspend,unit.reinstate,unit.archive", "each move is audited")

# -- bulk approval ----------------------------------------------------------
for slug in ("b1", "b2", "b3"):
    post(bob, "/api/v1/units", unit(slug))
r = post(ida, "/api/v1/units/decisions", {"decision": "approve", "slugs": ["b1", "b2"]})
t.ok(r.status == 200 and r.json()["approved"] == ["b1", "b2"], "a hub admin approves several", r.text)
t.eq(q(s, "SELECT string_agg(state, ',' ORDER BY slug) FROM units WHERE slug IN ('b1', 'b2', 'b3')"),
     "approved,approved,requested", "exactly those")
t.ok(mail_to(s, "bob@elsewhere.example", "B2 is approved") is not None, "each requester is mailed")
r = post(ida, "/api/v1/units/decisions", {"decision": "approve", "slugs": ["b3", "b1"]})
t.ok(r.status == 409 and "b1" in r.json()["error"]["message"],
     "one that cannot be approved makes it 409, naming it", r.text)
t.eq(q(s, "SELECT state FROM units WHERE slug = 'b3'"), "requested", "and nothing was approved")
t.eq(error_field(post(ida, "/api/v1/units/decisions", {"decision": "approve", "slugs": []})),
     (422, "slugs"), "an empty selection is 422")
t.eq(error_field(post(ida, "/api/v1/units/decisions", {"decision": "approve", "slugs": ["Not A Slug"]})),
     (422, "slugs"), "a bad address is 422")
t.eq(error_field(post(ida, "/api/v1/units/decisions", {"decision": "reject", "slugs": ["b3"]})),
     (422, "decision"), "only approvals are made in bulk")
t.eq(post(bob, "/api/v1/units/decisions", {"decision": "approve", "slugs": ["b3"]}).status,
     403, "bulk approval is for hub admins")
r = ida.get("/hub/queue")
r = ida.post("/hub/queue/approve", {"csrf_token": ida.csrf(r.text), "slug": "b3"})
t.eq(r.status, 303, "the queue's form approves the selection")
t.ok("1 approved" in ida.get(r.headers["location"]).text.replace("One request", "1"),
     "and says how many")
t.eq(q(s, "SELECT state FROM units WHERE slug = 'b3'"), "approved", "it is approved")
r = ida.post("/hub/queue/approve", {"slug": "b3"})
t.eq(r.status, 403, "the form needs its CSRF token")

# -- the policy page --------------------------------------------------------
r = ida.get("/hub/policy")
t.ok(r.status == 200 and "friends.example" in r.text and "Who will write the posts?" in r.text,
     "/hub/policy shows the policy, codes and questions")
t.eq(ann.get("/hub/policy").status, 403, "only for hub admins")
tok = ida.csrf(r.text)
r = ida.post("/hub/policy", {"csrf_token": tok, "mode": "automatic",
                             "domains": "ok.example\nnot_a domain", "match": "any"})
t.ok(r.status == 422 and "not_a" in r.text and "ok.example\nnot_a domain" in r.text,
     "a bad domain re-renders the page naming it, with what was typed", r.status)
r = ida.post("/hub/policy", {"csrf_token": tok, "mode": "automatic", "domains": "ok.example",
                             "match": "any", "kind_chapter": "on", "delegate": "on"})
t.eq(r.status, 303, "the policy form saves")
p = ida.get("/api/v1/approval-policy").json()
t.ok(p["domains"] == ["ok.example"] and p["kinds"] == ["chapter"] and
     p["delegate_to_parent_owners"] is True, "with its fields", p)
r = ida.post("/hub/reasons", {"csrf_token": tok, "code": "bad code", "label": "L",
                              "template": "typed message"})
t.ok(r.status == 422 and "typed message" in r.text, "a bad new code keeps what was typed")
r = ida.post("/hub/questions", {"csrf_token": tok, "prompt": "Which towns?", "required": "on"})
t.eq(r.status, 303, "the question form adds one")
t.ok("Which towns?" in bob.get("/units/new").text, "and the request form asks it")
r = bob.get("/units/new")
r = bob.post("/units", {"csrf_token": bob.csrf(r.text), "name": "Typed", "slug": "typed",
                        "kind": "chapter", "purpose": "p", "audience": "a"})
t.ok(r.status == 422 and "this question needs an answer" in r.text and 'value="Typed"' in r.text,
     "the request page names the missing answer and keeps what was typed")

