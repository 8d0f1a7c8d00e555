"""test_fields.py: typed fields over real nginx and PostgreSQL.  A field
the API answers with as a number is taken back as a JSON number (and as
its digits, as a form sends it); a boolean as JSON true/false and as a
form's text.  Anything else is 422 naming the field, never a 500.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, q, person, PERSON_PW, send  # noqa: E402

PW = PERSON_PW
t = TAP()
s = new_stack()


def err(r):
    try:
        e = r.json().get("error", {})
    except ValueError:
        return (r.status, None, None)
    return (r.status, e.get("code"), e.get("field"))


def policy(c):
    return c.get("/api/v1/approval-policy").json()


ida = person(s, "ida@example.org", "admin")
ann = person(s, "ann@example.org")
bob = person(s, "bob@example.org")
cyd = person(s, "cyd@example.org")
r = ida.post("/hub/rules", {"csrf_token": ida.token, "body": "# Be kind"})
t.eq(r.status, 303, "use rules are published")

# -- a number: the use rules' version ---------------------------------------
got = ann.get("/api/v1/use-rules").json()
t.ok(got["version"] == 1 and isinstance(got["version"], int),
     "GET /api/v1/use-rules gives the version as a number", got)
r = send(ann, "/api/v1/use-rules/accept", {"version": got["version"]})
t.ok(r.status == 200 and r.json() == {"accepted": 1},
     "POST /api/v1/use-rules/accept takes it back as a number", r.text)
r = send(bob, "/api/v1/use-rules/accept", {"version": "1"})
t.ok(r.status == 200 and r.json() == {"accepted": 1}, "or as its digits", r.text)
before = q(s, "SELECT count(*) FROM use_rule_acceptances")
for body, code, why in [({}, "missing", "no version"),
                        ({"version": None}, "missing", "null"),
                        ({"version": ""}, "invalid", "empty text"),
                        ({"version": 1.0}, "invalid", "a fraction"),
                        ({"version": 1.5}, "invalid", "a fraction"),
                        ({"version": True}, "invalid", "a boolean"),
                        ({"version": [1]}, "invalid", "a list"),
                        ({"version": {"n": 1}}, "invalid", "an object"),
                        ({"version": 0}, "invalid", "zero"),
                        ({"version": -1}, "invalid", "a negative number"),
                        ({"version": "-1"}, "invalid", "negative digits"),
                        ({"version": "+1"}, "invalid", "a sign"),
                        ({"version": "01"}, "invalid", "a leading zero"),
                        ({"version": " 1"}, "invalid", "a space"),
                        ({"version": "1x"}, "invalid", "trailing text"),
                        ({"version": "1e0"}, "invalid", "an exponent"),
                        ({"version": 1000001}, "invalid", "beyond any version"),
                        ({"version": 2 ** 62}, "invalid", "a huge number"),
                        ({"version": "9" * 40}, "invalid", "forty nines")]:
    t.eq(err(send(cyd, "/api/v1/use-rules/accept", body)), (422, code, "version"),
         f"a version that is {why} is 422 {code} naming version")
t.eq(q(s, "SELECT count(*) FROM use_rule_acceptances"), before, "and none of them was recorded")
r = send(cyd, "/api/v1/use-rules/accept", {"version": 2})
t.eq(err(r)[:2], (409, "rules_changed"), "a version that is not the current one is 409")
r = cyd.post("/rules/accept", {"csrf_token": cyd.token, "version": "x"})
t.eq(r.status, 422, "the form's version must be digits")
r = cyd.post("/rules/accept", {"csrf_token": cyd.token, "version": "1"})
t.eq(r.status, 303, "and the form's digits are accepted")
r = send(ida, "/api/v1/use-rules/accept", {"version": 1})
t.eq(r.status, 200, "the admin accepts with a number too")

# -- booleans: screening questions ------------------------------------------
r = send(ida, "/api/v1/screening-questions", {"prompt": "Who writes?", "required": True})
t.ok(r.status == 201 and r.json()["required"] is True, "required: true (JSON)", r.text)
qid = r.json()["id"]
t.ok(isinstance(qid, int), "a question's id is a number")
r = send(ida, "/api/v1/screening-questions", {"prompt": "Anything else?", "required": False})
t.ok(r.status == 201 and r.json()["required"] is False, "required: false (JSON)", r.text)
r = send(ida, f"/api/v1/screening-questions/{qid}",
         {"prompt": "Who writes?", "required": False, "active": False}, method="PUT")
t.ok(r.status == 200 and r.json()["required"] is False and r.json()["active"] is False,
     "required and active false (JSON)", r.text)
r = send(ida, f"/api/v1/screening-questions/{qid}",
         {"prompt": "Who writes?", "required": True, "active": True}, method="PUT")
t.ok(r.status == 200 and r.json()["required"] is True and r.json()["active"] is True,
     "and true again", r.text)
for body, field in [({"prompt": "x", "required": "yes"}, "required"),
                    ({"prompt": "x", "required": 1}, "required"),
                    ({"prompt": "x", "required": None}, "required"),
                    ({"prompt": "x", "active": "no"}, "active")]:
    t.eq(err(send(ida, f"/api/v1/screening-questions/{qid}", body, method="PUT")),
         (422, "invalid", field), f"{body} is 422 naming {field}")
t.eq(send(ida, "/api/v1/screening-questions/0" + str(qid), {"prompt": "x"},
          method="PUT").status, 404, "a question id with a leading zero is no id (404)")


def question(prompt):
    for x in policy(ida)["questions"]:
        if x["prompt"] == prompt:
            return x
    return None


for value, want in [("on", True), ("true", True), ("1", True),
                    ("false", False), ("off", False), ("0", False), (None, False)]:
    prompt = f"Form says {value}?"
    fields = {"csrf_token": ida.token, "prompt": prompt}
    if value is not None:
        fields["required"] = value
    r = ida.post("/hub/questions", fields)
    got = question(prompt)
    t.ok(r.status == 303 and got is not None and got["required"] is want,
         f"the question form's required={value!r} is {want}", f"{r.status} {got}")
r = ida.post("/hub/questions", {"csrf_token": ida.token, "prompt": "Form says yes?",
                                "required": "yes"})
t.ok(r.status == 422 and question("Form says yes?") is None,
     "a form's required=yes is 422, with nothing written", r.status)
fid = question("Form says on?")["id"]
r = ida.post(f"/hub/questions/{fid}", {"csrf_token": ida.token, "prompt": "Form says on?",
                                       "required": "on", "active": "false"})
got = question("Form says on?")
t.ok(r.status == 303 and got["required"] is True and got["active"] is False,
     "the question form's active=false retires it", f"{r.status} {got}")

# -- booleans: reason codes -------------------------------------------------
code = policy(ida)["reason_codes"][0]["code"]
r = send(ida, f"/api/v1/reason-codes/{code}", {"label": "L", "template": "T", "active": False},
         method="PUT")
t.ok(r.status == 200 and r.json()["active"] is False, "active: false (JSON)", r.text)
r = send(ida, f"/api/v1/reason-codes/{code}", {"label": "L", "template": "T", "active": True},
         method="PUT")
t.ok(r.status == 200 and r.json()["active"] is True, "active: true (JSON)", r.text)
t.eq(err(send(ida, f"/api/v1/reason-codes/{code}",
              {"label": "L", "template": "T", "active": "false"}, method="PUT")),
     (422, "invalid", "active"), "active: \"false\" (text in JSON) is 422 naming active")


def reason(c):
    return [x for x in policy(ida)["reason_codes"] if x["code"] == c][0]


for value, want in [("false", False), ("on", True), ("0", False), ("true", True)]:
    r = ida.post(f"/hub/reasons/{code}", {"csrf_token": ida.token, "label": "L",
                                          "template": "T", "active": value})
    t.ok(r.status == 303 and reason(code)["active"] is want,
         f"the reason form's active={value} is {want}", f"{r.status} {reason(code)}")

# -- booleans: the approval policy ------------------------------------------
for value in [True, False]:
    r = send(ida, "/api/v1/approval-policy", {"delegate_to_parent_owners": value}, method="PUT")
    t.ok(r.status == 200 and policy(ann)["delegate_to_parent_owners"] is value,
         f"delegate_to_parent_owners: {str(value).lower()} (JSON)", r.text)
t.eq(err(send(ida, "/api/v1/approval-policy", {"delegate_to_parent_owners": "true"},
              method="PUT")),
     (422, "invalid", "delegate_to_parent_owners"), "text in JSON is 422 naming the field")
for value, want in [("on", True), ("false", False), ("true", True), (None, False)]:
    fields = {"csrf_token": ida.token, "mode": "manual", "match": "any", "domains": ""}
    if value is not None:
        fields["delegate"] = value
    r = ida.post("/hub/policy", fields)
    t.ok(r.status == 303 and policy(ann)["delegate_to_parent_owners"] is want,
         f"the policy form's delegate={value!r} is {want}", r.status)
r = ida.post("/hub/policy", {"csrf_token": ida.token, "mode": "manual", "match": "any",
                             "domains": "", "delegate": "maybe"})
t.ok(r.status == 422 and policy(ann)["delegate_to_parent_owners"] is False,
     "a form's delegate=maybe is 422, the policy unchanged", r.status)
