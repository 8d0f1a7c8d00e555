"""test_times.py: times on pages as people read them ("27 Nov 2026, 17:19
UTC", "(5 days ago)" where it helps, a day as "27 Nov 2026"), each in a
<time datetime> element with the ISO 8601 value, on every page that shows
one, while JSON keeps ISO 8601.  On the demo data, over real nginx.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, login  # noqa: E402

t = TAP()
s = new_stack()
s.demo()


admin, owner = login(s, "admin@demo.test"), login(s, "owner@demo.test")

READ = r'\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d\d:\d\d UTC'
ISO_TEXT = re.compile(r'>\s*\d{4}-\d\d-\d\d(T[\d:]+Z)?\s*<')


def times(html):
    return re.findall(r'<time datetime="([^"]+)">([^<]*)</time>', html)


r = owner.get("/units/north-chapter")
ts = times(r.text)
t.ok(len(ts) >= 2 and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", iso) and
                          re.fullmatch(READ, txt) for iso, txt in ts[:2]),
     "unit page: requested and decided as people read them, in <time datetime>", ts)
t.ok("(40 days ago)" in r.text and "(39 days ago)" in r.text,
     "with how long ago where it helps")
g = [x for x in ts if re.fullmatch(r"\d{4}-\d\d-\d\d", x[0])]
t.ok(len(g) == 1 and re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", g[0][1]),
     "a guest's last day as a day", g)
t.ok(not ISO_TEXT.search(r.text), "no raw ISO time in the text of the page")
j = owner.get("/api/v1/units/north-chapter").json()
t.ok(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", j["created_at"]) and
     "created_at_time" not in j and "decided_at_time" not in json.dumps(j),
     "JSON keeps ISO 8601, with nothing added")
r = admin.get("/hub/audit?unit=north-chapter")
t.ok(times(r.text) and all(re.fullmatch(READ, x[1]) for x in times(r.text)) and
     not ISO_TEXT.search(r.text), "audit log: times as people read them")
r = admin.get("/hub/policy")
t.ok(any(re.fullmatch(READ, x[1]) for x in times(r.text)) and not ISO_TEXT.search(r.text),
     "policy page: when it last changed")
r = owner.get("/rules")
t.ok(len(times(r.text)) == 2 and not ISO_TEXT.search(r.text) and
     re.search(r'accepted this version on <time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:00Z">' + READ,
               r.text), "use rules: published and accepted, as people read them", times(r.text))
r = owner.get("/account")
t.ok(len(times(r.text)) == 1 and not ISO_TEXT.search(r.text), "account: member since a day")
