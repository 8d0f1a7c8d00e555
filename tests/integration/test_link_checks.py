"""test_link_checks.py: the links rule, through real nginx, the FastCGI
server, PostgreSQL and the real job worker, against an HTTP server this
test runs on loopback.  A save whose unit meets a links rule queues one
job for the revision (none without links, none when the rule is muted);
the worker checks each distinct URL once: 200, a redirect to 200 and an
answer past the size cap are live, a 404, a redirect to a private
address (refused) and a server that never answers (timeout) are dead and
become suggestions from "Guidelines" with the links rule's id and what
failed.  A declined dead link is not raised again on an unchanged save;
a revision replaced before its check returns gets nothing raised.  The
results are read by the post's readers only.
"""

import http.server
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, send, approved_unit)

t = TAP()
s = new_stack()
s.worker_stop()     # this test runs the worker itself, with --once

# -- the links' server on loopback -------------------------------------------
hits = {}
sent = {"huge": 0}
HUGE = 50 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, headers=(), body=b""):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def route(self):
        path = self.path.split("?")[0]
        hits[(self.command, path)] = hits.get((self.command, path), 0) + 1
        if path == "/ok":
            return self.answer(200, body=b"fine")
        if path == "/gone":
            return self.answer(404, body=b"gone")
        if path == "/moved":
            return self.answer(302, [("Location", "/ok")])
        if path == "/to-private":
            return self.answer(302, [("Location", "http://10.255.255.1/secret")])
        if path == "/slow":
            time.sleep(20)
            return None
        if path == "/huge":
            if self.command == "HEAD":
                return self.answer(405)
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while sent["huge"] < HUGE:
                    self.wfile.write(chunk)
                    sent["huge"] += len(chunk)
            except OSError:
                pass
            return None
        return self.answer(404)

    do_GET = route
    do_HEAD = route


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
threading.Thread(target=srv.serve_forever, daemon=True).start()
BASE = f"http://127.0.0.1:{srv.server_address[1]}"

WORKER_ENV = {"CHAPTERHOUSE_LINK_CHECK_ALLOW": "loopback",
              "CHAPTERHOUSE_LINK_CHECK_TIMEOUT": "2",
              "CHAPTERHOUSE_LINK_CHECK_MAX_BYTES": "64k"}


def once(env=WORKER_ENV):
    """Run `worker --once`; its exit status and the seconds it took."""
    start = time.time()
    p = s.worker_spawn("--once", env=env)
    return p.wait(timeout=120), time.time() - start


def q(sql):
    return q_on(s, sql)


def put(c, pid, body, rev):
    return send(c, f"/api/v1/posts/{pid}", {"title": "Links", "body": body},
                "PUT", {"If-Match": f'"{rev}"'})


def guide(c, pid):
    r = c.get(f"/api/v1/posts/{pid}/suggestions")
    return [x for x in r.json()["suggestions"]
            if x.get("source") == "guidelines" and x["state"] == "open"]


def jobs():
    return int(q("SELECT count(*) FROM jobs WHERE kind = 'links.check'"))


ida = person(s, "ida@example.org", "admin")
ann = person(s, "ann@example.org")        # owner of north
pat = person(s, "pat@example.org")        # an author in north: writes the post
red = person(s, "red@example.org")        # another author of north: reads it
rem = person(s, "rem@example.org")        # a member of north, removed
bob = person(s, "bob@example.org")        # owner of south
stranger = person(s, "str@example.org")
anon = Client(s.port)

for slug, who in (("north", ann), ("south", bob)):
    approved_unit(t, who, ida, slug)
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, m.role "
  "FROM (VALUES ('pat@example.org', 'author'), ('red@example.org', 'author'), "
  "('rem@example.org', 'author')) m (email, role) JOIN people p ON p.email = m.email "
  "JOIN units u ON u.slug = 'north'")

r = send(pat, "/api/v1/units/north/posts", {"title": "Before", "body": f"[a]({BASE}/gone)"})
t.eq((r.status, jobs()), (201, 0), "without a links rule a save queues no check")

r = send(ida, "/api/v1/guidelines/rules", {"kind": "links",
                                           "message": "This link does not work."})
t.eq(r.status, 201, "the hub adds a links rule")
LINKS = r.json()["id"]

# -- one job per revision ----------------------------------------------------
BODY = (f"Read [this]({BASE}/ok), [that]({BASE}/gone) and <{BASE}/gone> again.\n\n"
        f"Also [moved]({BASE}/moved), [inside]({BASE}/to-private), "
        f"[slow]({BASE}/slow), [big]({BASE}/huge) and `[code]({BASE}/code)`, "
        f"bare {BASE}/bare.\n")
r = send(pat, "/api/v1/units/north/posts", {"title": "Links", "body": BODY})
t.eq(r.status, 201, "the author saves a draft with links: 201")
P = r.json()["id"]
t.eq(jobs(), 1, "the save queues one job for the revision, not one per link")
payload = json.loads(q("SELECT payload FROM jobs WHERE kind = 'links.check'"))
t.eq([(x["url"], x["start"], x["end"]) for x in payload["links"]],
     [(u, BODY.index(u, BODY.index(u) if n == 0 else BODY.index(u) + 1),
       BODY.index(u, BODY.index(u) if n == 0 else BODY.index(u) + 1) + len(u))
      for u, n in ((f"{BASE}/ok", 0), (f"{BASE}/gone", 0), (f"{BASE}/gone", 1),
                   (f"{BASE}/moved", 0), (f"{BASE}/to-private", 0),
                   (f"{BASE}/slow", 0), (f"{BASE}/huge", 0))],
     "its links: the CommonMark links with their spans, not code, not bare URLs")
t.eq((payload["post_id"], payload["revision"]), (P, 1), "for this post's revision 1")
r = send(pat, "/api/v1/units/north/posts", {"title": "Plain", "body": "No links here."})
t.eq((r.status, jobs()), (201, 1), "a body without links queues nothing")
t.eq(guide(pat, P), [], "nothing is raised before the worker has checked")

# -- the worker checks -------------------------------------------------------
rc, took = once()
t.eq(rc, 0, "worker --once exits 0")
t.ok(took < 60, f"the job ends within its bounds ({took:.1f} s)")
t.eq(q("SELECT state FROM jobs WHERE kind = 'links.check'"), "done", "the job is done")
t.eq(hits.get(("HEAD", "/gone")), 1, "a URL written twice is checked once")
t.ok(sent["huge"] < HUGE // 2,
     f"the huge body is cut off at the cap ({sent['huge']} bytes sent)")
t.eq(hits.get(("HEAD", "/code"), 0) + hits.get(("HEAD", "/bare"), 0), 0,
     "code and bare URLs are not visited")

r = pat.get(f"/api/v1/posts/{P}/link-checks")
t.eq(r.status, 200, "the author reads the checks")
checks = {(c["url"][len(BASE):], c["start"]): c for c in r.json()["checks"]}
got = sorted((k[0], c["status"], c["http_status"], c["error"]) for k, c in checks.items())
t.ok(got == sorted([("/ok", "ok", 200, None), ("/gone", "dead", 404, "404 Not Found"),
             ("/gone", "dead", 404, "404 Not Found"), ("/moved", "ok", 200, None),
             ("/to-private", "refused", 302, "address not allowed"),
             ("/slow", "unreachable", None, "no answer within 2 s"),
             ("/huge", "too big", 200, "answer larger than the size cap")]),
     "every link's result", r.text)

g = guide(pat, P)
dead = sorted((x["original"][len(BASE):], x["start"], x["end"], x["rule"], x["comment"])
              for x in g)
gone1 = BODY.index(f"{BASE}/gone")
gone2 = BODY.index(f"{BASE}/gone", gone1 + 1)
priv = BODY.index(f"{BASE}/to-private")
slow = BODY.index(f"{BASE}/slow")
L = len(BASE)
t.ok(dead == sorted([
    ("/gone", gone1, gone1 + L + 5, LINKS, "This link does not work. (404 Not Found)"),
    ("/gone", gone2, gone2 + L + 5, LINKS, "This link does not work. (404 Not Found)"),
    ("/to-private", priv, priv + L + 11, LINKS,
     "This link does not work. (address not allowed)"),
    ("/slow", slow, slow + L + 5, LINKS, "This link does not work. (no answer within 2 s)")]),
    "the dead links become suggestions of the links rule on their spans; the live ones do not",
    str(g))
t.ok(all(x["source"] == "guidelines" and x["advice"] is True and x["revision"] == 1
         for x in g), "from Guidelines, advice (accepting keeps the text)", str(g))
t.eq(q(f"SELECT found || ':' || raised FROM guide_fires WHERE rule_id = {LINKS}"),
     "4:4", "the dead links are counted for the rule")
t.eq(q(f"SELECT count(*) FROM inbox_items WHERE post_id = {P}"), "0",
     "nobody's inbox is filled")

# -- who else reads them -----------------------------------------------------
for who, c in (("another author of the unit, a reader of the post", red),
               ("a hub admin, who reads every unit's posts", ida)):
    r = c.get(f"/api/v1/posts/{P}/link-checks")
    t.eq((r.status, len(r.json().get("checks", []))), (200, 7), f"{who} reads them")
for who, c, want in (("another unit's owner", bob, 404), ("a stranger", stranger, 404),
                     ("an anonymous caller", anon, 401)):
    t.eq(c.get(f"/api/v1/posts/{P}/link-checks").status, want,
         f"{who} cannot read the checks ({want})")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")
t.eq(rem.get(f"/api/v1/posts/{P}/link-checks").status, 404,
     "a removed member cannot (404)")
t.eq(pat.get("/api/v1/posts/99999999/link-checks").status, 404, "a post not there: 404")
t.eq(pat.get("/api/v1/posts/x1/link-checks").status, 404, "a malformed id: 404")

# -- declined stays declined --------------------------------------------------
PRIV = [x["id"] for x in g if x["original"].endswith("/to-private")][0]
r = send(pat, f"/api/v1/suggestions/{PRIV}/decline", {})
t.eq(r.status, 200, "the author declines the private link's suggestion")
r = put(pat, P, BODY, 1)
t.eq((r.status, jobs()), (200, 2), "the same text saved again queues its check")
rc, took = once()
t.eq(rc, 0, "the worker checks revision 2")
t.eq(sorted(x["original"][len(BASE):] for x in guide(pat, P) if x["revision"] == 2),
     ["/gone", "/gone", "/slow"], "the declined link is not raised again; the others are")

# -- a newer revision before the check returns --------------------------------
r = put(pat, P, BODY, 2)
t.eq(r.status, 200, "revision 3 is saved")
r = put(pat, P, f"Only [this]({BASE}/ok) now.", 3)
t.eq((r.status, jobs()), (200, 4), "revision 4 follows before revision 3's check")
rc, took = once()
t.eq(rc, 0, "the worker checks both")
t.eq(q(f"SELECT count(*) FROM guide_link_checks WHERE post_id = {P} AND revision = 3 "
       "AND status = 'dead'"), "2", "revision 3's dead links were found")
t.eq(q(f"SELECT count(*) FROM post_suggestions WHERE post_id = {P} AND revision = 3"),
     "0", "but nothing is raised on a revision that is no longer the latest")
t.eq(guide(pat, P), [], "and the latest revision, whose link works, has none")

# -- a muted rule -------------------------------------------------------------
r = send(bob, f"/api/v1/units/south/guidelines/mutes/{LINKS}",
         {"reason": "we check our links ourselves"}, "PUT")
t.eq(r.status, 200, "south's owner mutes the links rule")
r = send(bob, "/api/v1/units/south/posts", {"title": "South", "body": f"[x]({BASE}/gone)"})
t.eq((r.status, jobs()), (201, 4), "a muted links rule queues no job")

# -- the job's deadline ---------------------------------------------------------
r = send(pat, "/api/v1/units/north/posts",
         {"title": "Late", "body": f"[slow]({BASE}/slow) then [gone]({BASE}/gone)"})
P3 = r.json()["id"]
hits.clear()
rc, took = once(env=dict(WORKER_ENV, CHAPTERHOUSE_LINK_CHECK_JOB_TIMEOUT="1"))
t.eq(rc, 0, "a worker whose jobs may take 1 s")
checks = pat.get(f"/api/v1/posts/{P3}/link-checks").json()["checks"]
t.eq([(c["status"], c["error"]) for c in checks],
     [("unreachable", "no answer within 1 s"),
      ("unchecked", "not checked within the job's deadline")],
     "the deadline shortens the link in hand and leaves the rest unchecked")
t.eq((hits.get(("HEAD", "/gone"), 0), [x["original"][len(BASE):] for x in guide(pat, P3)]),
     (0, ["/slow"]), "an unchecked link is not visited and raises nothing")

# -- the policy without loopback ------------------------------------------------
r = send(pat, "/api/v1/units/north/posts", {"title": "Here", "body": f"[x]({BASE}/ok)"})
P2 = r.json()["id"]
hits.clear()
rc, took = once(env={})
t.eq(rc, 0, "a worker with the default policy")
t.eq((hits, [x["comment"] for x in guide(pat, P2)]),
     ({}, ["This link does not work. (address not allowed)"]),
     "by default a loopback link is refused, never visited")
srv.shutdown()
