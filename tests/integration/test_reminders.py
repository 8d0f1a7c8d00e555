"""test_reminders.py: digests of waiting workspace requests, mailed to the
hub admins by the job worker.

A throwaway PostgreSQL, the real binary's `worker --once` and the aiosmtpd
catcher (tools/mailcatcher.py).  reminder_after is an hour; rows are
written as the schema owner with their times set in the past, so nothing
sleeps and nothing depends on how fast the machine is.  Covers: no digest
while nothing waits or nothing has waited long enough; one digest per hub
admin (and to nobody else) listing exactly the requests over the
threshold, oldest first, with requester, wait and links; nothing more
within 24 hours, and again after; a resubmission restarting the wait;
reminder_after = 0; the web role's view of the tables; and a second
claimant blocked by the first and left with nothing.
"""

import email
import email.policy
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, wait_until, q  # noqa: E402
import stack as stackmod  # noqa: E402

if subprocess.run([stackmod.mail_python(), "-c", "import aiosmtpd"],
                  capture_output=True).returncode != 0:
    print("1..0 # SKIP aiosmtpd is not installed (Debian: python3-aiosmtpd)")
    sys.exit(0)

t = TAP()
PUBLIC = "https://hub.example.org"

s = new_stack(workers=1, start=False)
s._dirs()
s.pg_init()
s.pg_start()
s.db_create()
s.write_conf(mail_from="Chapterhouse <noreply@chapterhouse.test>",
             public_url=PUBLIC, reminder_after="3600")
s.migrate()
s.app_role()
s.mail_start()


def once(env=None):
    p = s.worker_spawn("--once", env=env)
    return p.wait(timeout=60)


def read(path):
    with open(path, "rb") as f:
        return email.message_from_bytes(f.read(), policy=email.policy.default)


def body(msg):
    return msg.get_content().replace("\r\n", "\n")


def new_mails(seen):
    """Messages caught since seen (a list of paths), as (To, message)."""
    return [(read(p)["To"], read(p)) for p in s.mails() if p not in seen]


def log_since(offset):
    with open(s.worker_log) as fh:
        fh.seek(offset)
        return fh.read()


# People: two hub admins (one also HR), a communicator, an HR person and
# the requester.
q(s, """
INSERT INTO people (email, name, password_hash, confirmed_at) VALUES
  ('ada@example.org', 'Ada Admin', 'x', now()),
  ('abe@example.org', 'Abe Admin', 'x', now()),
  ('cory@example.org', 'Cory Comms', 'x', now()),
  ('harper@example.org', 'Harper HR', 'x', now()),
  ('rita@example.org', 'Rita Requester', 'x', now());
INSERT INTO hub_roles (person_id, role)
  SELECT id, r FROM people, (VALUES ('ada@example.org', 'admin'),
    ('abe@example.org', 'admin'), ('abe@example.org', 'hr'),
    ('cory@example.org', 'communicator'), ('harper@example.org', 'hr'))
    v(e, r) WHERE email = e;
""")
ADMINS = ["abe@example.org", "ada@example.org"]


def unit(slug, name, state, waited):
    """A unit requested by Rita, last changed `waited` ago."""
    q(s, "INSERT INTO units (slug, name, kind, purpose, audience, state, "
      "requested_by, created_at, updated_at) SELECT "
      f"'{slug}', '{name}', 'chapter', 'p', 'a', '{state}', id, "
      f"now() - interval '{waited}', now() - interval '{waited}' "
      "FROM people WHERE email = 'rita@example.org'")


# -- nothing waits -------------------------------------------------------------
t.eq(once(), 0, "worker --once with no request at all exits 0")
t.eq(s.mails(), [], "no digest when nothing waits")
t.eq(q(s, "SELECT count(*) FROM reminder_digests"), "0", "and none is recorded")

# -- requests that do not count ----------------------------------------------
unit("fresh", "Fresh Request", "requested", "10 minutes")
unit("approved-one", "Approved Long Ago", "approved", "5 days")
unit("rejected-one", "Rejected Long Ago", "rejected", "5 days")
unit("changes-one", "Changes Asked Long Ago", "changes_requested", "5 days")
unit("resubmitted", "Resubmitted Today", "changes_requested", "5 days")
# The requester edits and sends again: the trigger restarts the wait.
q(s, "UPDATE units SET state = 'requested' WHERE slug = 'resubmitted'")
t.eq(q(s, "SELECT extract(epoch FROM now() - updated_at) < 60 FROM units "
       "WHERE slug = 'resubmitted'"), "t",
     "a resubmitted request waits from its resubmission")
t.eq(once(), 0, "worker --once exits 0")
t.eq(s.mails(), [], "no digest while the waiting requests are under the "
     "threshold and the old ones are decided or sent back")
t.eq(q(s, "SELECT count(*) FROM reminder_digests"), "0", "and none is recorded")

# -- requests over the threshold ---------------------------------------------
unit("old-one", "Old One", "requested", "3 hours 5 minutes")
unit("old-two", "Old Two", "requested", "2 days 1 hour")
offset = os.path.getsize(s.worker_log)
t.eq(once(), 0, "worker --once with two requests over the threshold")
got = new_mails([])
t.eq(sorted(to for to, _ in got), ADMINS,
     "one digest to each hub admin, none to the communicator, HR or the "
     "requester")
t.ok(all(m["Delivered-To"] == to for to, m in got),
     "each delivered to its admin alone", [m["Delivered-To"] for _, m in got])
for to, m in sorted(got, key=lambda x: x[0]):
    text = body(m)
    name = "Ada Admin" if to.startswith("ada") else "Abe Admin"
    t.eq(str(m["Subject"]), "2 workspace requests waiting for a decision "
         "on Chapterhouse", f"{to}: the subject counts the requests")
    t.ok(text.startswith(f"Hello {name},\n"), f"{to}: greets the admin",
         text)
    want = ("Old Two (old-two)\n"
            "requested by Rita Requester <rita@example.org>, waiting 2 days\n"
            f"{PUBLIC}/units/old-two\n\n"
            "Old One (old-one)\n"
            "requested by Rita Requester <rita@example.org>, waiting 3 hours\n"
            f"{PUBLIC}/units/old-one\n")
    t.ok(want in text, f"{to}: lists both requests, oldest first, with "
         "name, slug, requester, wait and link", text)
    t.ok(f"{PUBLIC}/hub/queue\n" in text, f"{to}: links to the queue")
    t.ok("longer than 60 minutes" in text, f"{to}: says the threshold")
    for slug in ("fresh", "approved-one", "rejected-one", "changes-one",
                 "resubmitted"):
        t.ok(slug not in text, f"{to}: does not list {slug}")
t.eq(q(s, "SELECT string_agg(p.email, ',' ORDER BY p.email) FROM "
       "reminder_digests d JOIN people p ON p.id = d.person_id"),
     ",".join(ADMINS), "a digest is recorded for each admin")
t.eq(q(s, "SELECT count(*) FROM jobs WHERE state = 'done'"), "2",
     "the digests went through the job queue and were delivered")
t.ok("queued 2 reminder digests" in log_since(offset),
     "the worker logs how many digests it queued")

# -- at most one a day -------------------------------------------------------
seen = s.mails()
t.eq(once(), 0, "worker --once again")
t.eq(new_mails(seen), [], "no second digest within 24 hours")
unit("old-three", "Old Three", "requested", "4 hours")
t.eq(once(), 0, "worker --once after one more request went over")
t.eq(new_mails(seen), [], "still none: a new request waits for the next "
     "day's digest")
q(s, "UPDATE reminder_digests SET sent_at = sent_at - interval '24 hours' "
  "WHERE person_id = (SELECT id FROM people WHERE email = 'ada@example.org')")
t.eq(once(), 0, "worker --once once Ada's digest is a day old")
got = new_mails(seen)
t.eq([to for to, _ in got], ["ada@example.org"],
     "Ada alone is sent a new digest")
text = body(got[0][1]) if got else ""
t.ok("(old-three)" in text and "(old-two)" in text and "(old-one)" in text,
     "listing the three requests still waiting", text)
t.eq(str(got[0][1]["Subject"]) if got else "", "3 workspace requests "
     "waiting for a decision on Chapterhouse", "subject counts three")

# -- a decision takes a request out ------------------------------------------
q(s, "UPDATE units SET state = 'approved' WHERE slug IN ('old-one', 'old-two')")
q(s, "UPDATE reminder_digests SET sent_at = sent_at - interval '25 hours'")
seen = s.mails()
t.eq(once(), 0, "worker --once after two of them were approved")
got = new_mails(seen)
t.eq(sorted(to for to, _ in got), ADMINS, "both admins get a digest")
texts = [body(m) for _, m in got]
t.ok(all("(old-three)" in x and "(old-one)" not in x and "(old-two)" not in x
         for x in texts), "listing only the request still waiting", texts)
t.ok(all(str(m["Subject"]).startswith("1 workspace request waiting ")
         for _, m in got), "and the subject says one")

# -- reminder_after = 0 turns reminders off ----------------------------------
q(s, "UPDATE reminder_digests SET sent_at = sent_at - interval '25 hours'")
seen = s.mails()
t.eq(once(env={"CHAPTERHOUSE_REMINDER_AFTER": "0"}), 0,
     "worker --once with reminder_after = 0")
t.eq(new_mails(seen), [], "sends no digest")
t.eq(q(s, "SELECT count(*) FROM reminder_digests WHERE sent_at > now() - "
       "interval '24 hours'"), "0", "and records none")

# -- a digest that cannot be composed claims nothing ---------------------------
views = os.path.join(s.root, "views-broken")
shutil.copytree(os.path.join(s.srcdir, "templates"), views)
with open(os.path.join(views, "mail_reminder.txt"), "w") as f:
    f.write("No subject line here\n\n{{name}}\n")
before = q(s, "SELECT string_agg(sent_at::text, ',' ORDER BY person_id) "
           "FROM reminder_digests")
offset = os.path.getsize(s.worker_log)
t.eq(once(env={"CHAPTERHOUSE_TEMPLATES_DIR": views}), 0,
     "worker --once with a reminder view that lacks its Subject line")
t.eq(new_mails(seen), [], "sends no digest")
t.eq(q(s, "SELECT string_agg(sent_at::text, ',' ORDER BY person_id) "
       "FROM reminder_digests"), before,
     "and the claim is rolled back: no digest is recorded as sent")
t.ok("could not compose the reminder" in log_since(offset),
     "the worker says why", log_since(offset))
t.eq(once(env={"CHAPTERHOUSE_TEMPLATES_DIR": "/nonexistent"}), 1,
     "with reminders on and no templates, the worker refuses to start")
t.ok("reminders need the mail views" in log_since(offset), "saying why")
t.eq(once(env={"CHAPTERHOUSE_TEMPLATES_DIR": "/nonexistent",
               "CHAPTERHOUSE_REMINDER_AFTER": "0"}), 0,
     "with reminders off it needs none")

# -- what the web role (the worker's login) may do ---------------------------
APP = "chapterhouse_app"
t.eq(q(s, "SELECT count(*) FROM units WHERE state = 'requested'", user=APP), "0",
     "the web role sees no waiting request without a hub role (RLS)")
denied = s.psql("SELECT count(*) FROM reminder_digests", user=APP,
                check=False)
t.ok(denied.returncode != 0 and "permission denied" in denied.stdout,
     "and may not read reminder_digests", denied.stdout)
denied = s.psql("INSERT INTO reminder_digests VALUES (1, now())", user=APP,
                check=False)
t.ok(denied.returncode != 0 and "permission denied" in denied.stdout,
     "nor write it: only ch_claim_reminders() does", denied.stdout)

# -- two claimants at once ---------------------------------------------------
# A psql connection claims the due digests and holds its transaction open; a
# worker started meanwhile must wait for it and, once it commits, find
# nothing left to send.
q(s, "UPDATE reminder_digests SET sent_at = sent_at - interval '25 hours'")
seen = s.mails()
env = dict(os.environ)
if s.as_root:
    env["HOME"] = s.root
holder = subprocess.Popen(
    ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", s.run,
     "-U", s.superuser, "-d", "chapterhouse"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    text=True, cwd=s.root, env=env, **s._demote())
holder.stdin.write("BEGIN;\nSELECT email FROM ch_claim_reminders("
                   "interval '1 hour') ORDER BY email;\n")
holder.stdin.flush()
t.ok(wait_until(lambda: q(s, "SELECT count(*) FROM pg_stat_activity WHERE "
                          "state = 'idle in transaction'") == "1",
                timeout=20), "another connection holds a claim, uncommitted")
w = s.worker_spawn("--once")
blocked = wait_until(lambda: q(s, 
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
    "'chapterhouse worker' AND wait_event_type = 'Lock' AND query LIKE "
    "'%ch_claim_reminders%'") == "1", timeout=20)
t.ok(blocked, "a worker claiming at the same time waits for it")
holder.stdin.write("COMMIT;\n")
holder.stdin.close()
out = holder.stdout.read()
holder.wait(timeout=20)
t.eq(out.split(), ADMINS, "that connection claimed both admins' digests")
t.eq(w.wait(timeout=30), 0, "the worker then finishes with status 0")
t.eq(new_mails(seen), [], "and sends no digest: they were claimed")
t.eq(q(s, "SELECT count(*) FROM jobs WHERE state <> 'done'"), "0",
     "and queues none")
