"""test_mail.py: the job worker delivering e-mail through a real SMTP server.

A throwaway PostgreSQL, the real binary's `worker` command and the
aiosmtpd catcher (tools/mailcatcher.py): jobs are inserted with psql, the
test reads the .eml files the catcher wrote and the jobs table.  Covers
delivery and composition, retries with backoff while the SMTP server is
down, giving up after job_max_attempts, permanent failures, two workers
at once, LISTEN/NOTIFY wake-up, SIGTERM during a delivery, a killed
worker's lease, a PostgreSQL restart under a running worker, and
housekeeping.
"""

import email
import email.policy
import email.utils
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, wait_until, q  # noqa: E402
import stack as stackmod  # noqa: E402

if subprocess.run([stackmod.mail_python(), "-c", "import aiosmtpd"],
                  capture_output=True).returncode != 0:
    print("1..0 # SKIP aiosmtpd is not installed (Debian: python3-aiosmtpd)")
    sys.exit(0)

t = TAP()
START = time.time()
FROM_ADDR = "noreply@chapterhouse.test"
LEASE = 10

s = new_stack(workers=1, start=False)
s._dirs()
s.pg_init()
s.pg_start()
s.db_create()
s.write_conf(mail_from=f"Chapterhouse <{FROM_ADDR}>", job_max_attempts="3",
             job_retry_base="1", job_retry_max="2", job_lease=str(LEASE),
             smtp_timeout="3", session_idle_timeout="60",
             session_max_age="300")
s.migrate()
s.app_role()
s.mail_start()


def enqueue(to, subject, body, kind="mail"):
    payload = json.dumps({"to": to, "subject": subject, "body": body})
    return int(q(s, f"INSERT INTO jobs (kind, payload) VALUES ('{kind}', "
                 f"$j${payload}$j$) RETURNING id"))


def job(jid):
    row = q(s, "SELECT state, attempts, coalesce(last_error, ''), "
            "extract(epoch FROM run_at - now()), payload ? 'body', "
            "lease_until IS NULL, done_at IS NOT NULL, "
            "(extract(epoch FROM created_at) * 1000000)::bigint, "
            "coalesce(locked_by, ''), extract(epoch FROM run_at), "
            "coalesce(extract(epoch FROM lease_until), 0) "
            f"FROM jobs WHERE id = {jid}").split("|")
    return {"state": row[0], "attempts": int(row[1]), "error": row[2],
            "due_in": float(row[3]), "has_body": row[4] == "t",
            "no_lease": row[5] == "t", "finished": row[6] == "t",
            "created": row[7], "locked_by": row[8], "run_at": float(row[9]),
            "lease_until": float(row[10])}


def once(env=None, timeout=30):
    p = s.worker_spawn("--once", env=env)
    return p.wait(timeout=timeout)


def parse(path):
    with open(path, "rb") as f:
        raw = f.read()
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def msgid(jid):
    return f"<job-{jid}.{job(jid)['created']}@chapterhouse.test>"


def mails_for(jid):
    want = msgid(jid)
    return [p for p in s.mails() if parse(p)[1]["Message-ID"] == want]


def log_since(offset):
    with open(s.worker_log) as fh:
        fh.seek(offset)
        return fh.read()


def text(msg):
    return msg.get_content().replace("\r\n", "\n")


# -- housekeeping at start ---------------------------------------------------
s.psql("""
INSERT INTO people (email, name, password_hash) VALUES ('p@example.org', 'P', 'x');
INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at) VALUES
  (sha256('fresh'), 1, now(), now()),
  (sha256('idle'), 1, now() - interval '3 minutes', now() - interval '2 minutes'),
  (sha256('old'), 1, now() - interval '10 minutes', now());
INSERT INTO email_tokens (token_hash, person_id, purpose, expires_at) VALUES
  (sha256('t-long-expired'), 1, 'reset', now() - interval '2 days'),
  (sha256('t-just-expired'), 1, 'reset', now() - interval '1 hour'),
  (sha256('t-valid'), 1, 'confirm', now() + interval '1 day');
INSERT INTO login_failures (email, address, at) VALUES
  ('p@example.org', '127.0.0.1', now() - interval '2 days'),
  ('p@example.org', '127.0.0.1', now());
INSERT INTO jobs (kind, payload, state, done_at) VALUES
  ('mail', '{"to": "x@example.org", "subject": "old"}', 'done', now() - interval '31 days'),
  ('mail', '{"to": "x@example.org", "subject": "recent"}', 'done', now() - interval '29 days');
""")
t.eq(once(), 0, "worker --once with nothing due exits 0")
t.eq(q(s, "SELECT count(*) = 1 AND bool_and(token_hash = sha256('fresh')) "
       "FROM sessions"), "t",
     "housekeeping removed the idle session and the one past its maximum age")
t.eq(q(s, "SELECT count(*) FROM email_tokens"), "2",
     "and the e-mail token expired over a day ago, not the others")
t.eq(q(s, "SELECT count(*) FROM login_failures"), "1",
     "and the failed login older than a day")
t.eq(q(s, "SELECT string_agg(payload->>'subject', ',') FROM jobs"), "recent",
     "and the done job older than 30 days")
q(s, "DELETE FROM jobs")
t.eq(s.mails(), [], "no mail was sent")

# -- delivery ----------------------------------------------------------------
SUBJECT = ("Réinitialisation de votre mot de passe sur Chapterhouse — "
           "lien valable une heure, ne le transmettez à personne")
BODY = ("Bonjour Ann,\n\nRéinitialisez votre mot de passe : "
        "https://chapterhouse.test/reset?token=abc=def&x=1\n"
        ".\n..\n.leading dot\nFrom here on\n"
        + "long " * 40 + "\ntrailing space \ntrailing tab\t\n"
        "— L'équipe ✉")
a = enqueue("ann@example.org", SUBJECT, BODY)
before = time.time()
t.eq(once(), 0, "worker --once delivers and exits 0")
files = s.mails()
t.eq(len(files), 1, "one message was caught")
raw, msg = parse(files[0])
t.eq(msg["Delivered-To"], "ann@example.org", "SMTP recipient is the payload's to")
t.eq(msg["Return-Path"], f"<{FROM_ADDR}>", "SMTP sender is mail_from's address")
t.eq(msg["To"], "ann@example.org", "To header")
t.eq(str(msg["From"]), f"Chapterhouse <{FROM_ADDR}>", "From header is mail_from")
t.eq(str(msg["Subject"]), SUBJECT, "Subject decodes back to the payload's")
t.ok(b"=?UTF-8?B?" in raw, "the non-ASCII subject travels as encoded-words")
t.eq(text(msg), BODY + "\n", "the quoted-printable body decodes back to the "
     "payload's, dot lines intact (libcurl stuffs, nothing stuffs twice)")
t.eq(msg["Message-ID"], msgid(a), "Message-ID is <job-ID.CREATED@sender's domain>")
date = email.utils.parsedate_to_datetime(msg["Date"]).timestamp()
t.ok(abs(date - before) < 60 and msg["Date"].endswith("+0000"),
     "Date is an RFC 5322 date of now, in UTC", msg["Date"])
t.eq(msg["Content-Transfer-Encoding"], "quoted-printable", "quoted-printable")
t.eq(msg.get_content_type() + ";" + msg.get_content_charset(),
     "text/plain;utf-8", "text/plain; charset=UTF-8")
body_start = raw.index(b"Date:")
mine = raw[body_start:]
t.ok(mine.count(b"\n") == mine.count(b"\r\n") and
     mine.count(b"\r") == mine.count(b"\r\n"), "CRLF line endings only")
head, _, qp = mine.partition(b"\r\n\r\n")
t.ok(max(len(x) for x in head.split(b"\r\n")) <= 78, "header lines within 78")
t.ok(max(len(x) for x in qp.split(b"\r\n")) <= 76, "body lines within 76")
j = job(a)
t.ok(j["state"] == "done" and j["attempts"] == 1 and j["finished"] and
     j["no_lease"], "the job is done after one attempt, lease cleared", j)
t.ok(not j["has_body"], "the body is gone from the payload")
t.eq(q(s, f"SELECT payload->>'to' FROM jobs WHERE id = {a}"), "ann@example.org",
     "the rest of the payload stays")
log = open(s.worker_log).read()
t.ok(f"job {a} attempt 1: done" in log, "the log names job, attempt and outcome")
t.ok("Bonjour" not in log and "token=abc" not in log, "the log never holds the body")

# -- retries while the SMTP server is down ------------------------------------
s.mail_stop()
b = enqueue("bob@example.org", "Retry me", "second try")
t0 = time.time()
t.eq(once(), 0, "worker --once exits 0 when a delivery fails")
t1 = time.time()
j = job(b)
t.ok(j["state"] == "queued" and j["attempts"] == 1, "the job is queued again "
     "after a failed attempt", j)
t.ok(j["error"].startswith("smtp: ") and "connect" in j["error"].lower(),
     "last_error says why", j["error"])
t.ok(t0 + 0.95 <= j["run_at"] <= t1 + 1.05, "the next attempt waits "
     "job_retry_base (1 s)", (t0, t1, j))
t.ok(j["no_lease"] and j["locked_by"] == "", "the lease is released")
s.mail_start()
# A slow machine may take longer than the 1 s backoff to start the SMTP
# server again: the next attempt is moved a minute ahead, so "not before
# its run_at" does not depend on how fast this test runs.
q(s, f"UPDATE jobs SET run_at = now() + interval '60 seconds' WHERE id = {b}")
t.eq(once(), 0, "worker --once again at once")
t.eq(job(b)["attempts"], 1, "the job is not tried before its run_at")
q(s, f"UPDATE jobs SET run_at = now() WHERE id = {b}")
t.eq(once(), 0, "and once it is due")
j = job(b)
t.ok(j["state"] == "done" and j["attempts"] == 2, "the second attempt "
     "delivers it", j)
t.eq(len(mails_for(b)), 1, "exactly one message arrived")
t.ok(j["error"].startswith("smtp: "), "the earlier error stays on record")

# -- giving up after job_max_attempts ----------------------------------------
s.mail_stop()
c = enqueue("carol@example.org", "Never delivered", "nobody listens")
t0 = time.time()
once()
t1 = time.time()
j = job(c)
t.ok(t0 + 0.95 <= j["run_at"] <= t1 + 1.05, "first retry after 1 s", j)
time.sleep(max(0, j["due_in"]) + 0.1)
t0 = time.time()
once()
t1 = time.time()
j = job(c)
t.ok(j["state"] == "queued" and j["attempts"] == 2 and
     t0 + 1.95 <= j["run_at"] <= t1 + 2.05,
     "second retry after 2 s (doubled, capped by job_retry_max)", j)
time.sleep(max(0, j["due_in"]) + 0.1)
once()
j = job(c)
t.ok(j["state"] == "failed" and j["attempts"] == 3,
     "after job_max_attempts (3) the job is failed", j)
t.ok(j["error"].startswith("smtp: ") and j["finished"] and j["no_lease"],
     "with its last error, finished, lease cleared", j)
t.ok(not j["has_body"], "a failed job loses its body too")
s.mail_start()

# -- permanent failures at once ----------------------------------------------
bad_json = int(q(s, "INSERT INTO jobs (kind, payload) VALUES ('mail', "
                 "'{\"to\": 5, \"subject\": \"s\", \"body\": \"b\"}') RETURNING id"))
no_body = int(q(s, "INSERT INTO jobs (kind, payload) VALUES ('mail', "
                "'{\"to\": \"a@example.org\", \"subject\": \"s\"}') RETURNING id"))
inject = enqueue("dan@example.org", "Hi\r\nBcc: eve@example.org", "x")
rcpt = enqueue("Dan <dan@example.org>", "s", "x")
smuggle = enqueue("dan@example.org>\r\nRCPT TO:<eve@example.org", "s", "x")
# A newer schema may know kinds this worker does not.
s.psql("ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check")
fax = enqueue("dan@example.org", "s", "x", kind="fax")
n_before = len(s.mails())
t.eq(once(), 0, "worker --once over jobs that cannot succeed")
for jid, what, err in ((bad_json, "a non-string field", "malformed payload"),
                       (no_body, "a missing body", "malformed payload"),
                       (inject, "CRLF in the subject", "CR or LF"),
                       (rcpt, "a display name as recipient", "recipient"),
                       (smuggle, "an SMTP command in the recipient", "CR or LF"),
                       (fax, "an unknown kind", 'unknown job kind "fax"')):
    j = job(jid)
    t.ok(j["state"] == "failed" and j["attempts"] == 1 and err in j["error"],
         f"{what} fails the job at once, saying so", j)
t.eq(len(s.mails()), n_before, "and nothing was sent for them")
s.psql("DELETE FROM jobs WHERE kind <> 'mail'; ALTER TABLE jobs ADD CONSTRAINT "
       "jobs_kind_check CHECK (kind IN ('mail'))")

# -- two workers at once -----------------------------------------------------
offset = os.path.getsize(s.worker_log)
w1 = s.worker_spawn()
w2 = s.worker_spawn()
t.ok(wait_until(lambda: log_since(offset).count("listening for jobs") == 2,
                timeout=10), "two workers listen for jobs")
N = 24
ids = [int(x) for x in q(s, 
    "INSERT INTO jobs (kind, payload) SELECT 'mail', jsonb_build_object("
    "'to', 'n' || i || '@example.org', 'subject', 'Batch ' || i, 'body', "
    f"'number ' || i) FROM generate_series(1, {N}) AS i RETURNING id").split()]
done = wait_until(lambda: q(s, "SELECT count(*) FROM jobs WHERE state = 'done' "
                            f"AND id >= {min(ids)}") == str(N), timeout=20)
t.ok(done, f"two workers delivered all {N} jobs")
by = q(s, f"SELECT string_agg(n::text, ' ') FROM (SELECT count(*) AS n FROM jobs "
       f"WHERE id >= {min(ids)} GROUP BY locked_by) AS w")
t.note(f"jobs per worker: {by}")
ms = [parse(p)[1] for p in s.mails()]
got = sorted(m["Message-ID"] for m in ms if m["Subject"].startswith("Batch "))
want = sorted(f"<job-{x}@chapterhouse.test>" for x in q(s, 
    "SELECT id || '.' || (extract(epoch FROM created_at) * 1000000)::bigint "
    f"FROM jobs WHERE id >= {min(ids)}").split())
t.eq(got, want, "each exactly once")
t.eq(q(s, f"SELECT max(attempts) FROM jobs WHERE id >= {min(ids)}"), "1",
     "each in one attempt")
w1.send_signal(signal.SIGTERM)
w2.send_signal(signal.SIGTERM)
t.eq((w1.wait(timeout=10), w2.wait(timeout=10)), (0, 0),
     "SIGTERM stops idle workers with status 0")

# -- LISTEN/NOTIFY wakes a sleeping worker -----------------------------------
s.worker_start()
time.sleep(1.0)         # asleep: nothing is due, the cap is 60 s
sent = time.time()
d = enqueue("erin@example.org", "Wake up", "now")
arrived = wait_until(lambda: mails_for(d), timeout=10, step=0.02)
took = time.time() - sent
t.ok(arrived and took < 3, f"a new job wakes the sleeping worker: mail in "
     f"{took:.2f} s", took)
t.eq(s.worker_stop(), 0, "the worker stops on SIGTERM with status 0")

# -- SIGTERM during a delivery lets it finish --------------------------------
stall = socket.socket()
stall.bind(("127.0.0.1", 0))
stall.listen(16)        # accepts connections, never greets: SMTP hangs
stall_env = {"CHAPTERHOUSE_SMTP_URL": f"smtp://127.0.0.1:{stall.getsockname()[1]}"}
hostname = socket.gethostname()
w = s.worker_spawn(env=stall_env)
e = enqueue("frank@example.org", "Stalled", "waiting")
t.ok(wait_until(lambda: job(e)["locked_by"] == f"{hostname}:{w.pid}", timeout=10),
     "a worker claimed the job and is delivering it")
w.send_signal(signal.SIGTERM)
rc = w.wait(timeout=15)
t.eq(rc, 0, "SIGTERM during a delivery: the worker exits 0")
j = job(e)
t.ok(j["state"] == "queued" and j["attempts"] == 1 and "timeout" in j["error"].lower(),
     "after the attempt ran its course (smtp_timeout) and was recorded, "
     "not left running", j)

# -- a killed worker's job is claimed again after its lease -------------------
time.sleep(max(0, job(e)["due_in"]) + 0.1)
w = s.worker_spawn(env=stall_env)
t.ok(wait_until(lambda: job(e)["locked_by"] == f"{hostname}:{w.pid}", timeout=10),
     "another worker claims the job and hangs in SMTP")
lease_until = job(e)["lease_until"]
w.kill()
w.wait()
s.worker_start()
delivered = wait_until(lambda: mails_for(e), timeout=LEASE + 10, step=0.1)
t.ok(delivered, "after SIGKILL the job is claimed again and delivered")
# the catcher names files after the time it accepted them, in ms
at = int(os.path.basename(delivered[0]).split("-")[0]) / 1000 if delivered else 0
t.ok(lease_until <= at < lease_until + 5, f"once the lease ({LEASE} s) "
     f"expired: {at - lease_until:.2f} s after it", (lease_until, at))
j = job(e)
t.ok(j["state"] == "done" and j["attempts"] == 3, "on its third attempt", j)
t.eq(len(mails_for(e)), 1, "delivered exactly once")

# -- PostgreSQL goes away under a running worker -----------------------------
offset = os.path.getsize(s.worker_log)
s.pg_stop()
time.sleep(1.5)
s.pg_start()
f = enqueue("gina@example.org", "After the outage", "still here")
t.ok(wait_until(lambda: mails_for(f), timeout=20, step=0.1),
     "after a PostgreSQL restart the worker reconnects and delivers")
t.ok(s.worker_pid() is not None, "without exiting")
tail = log_since(offset)
warns = [x for x in tail.splitlines() if "level=warn" in x]
t.eq(len(warns), 1, "the outage is logged once")
t.ok(tail.count("connected to the database") == 1, "and the recovery once", tail)
t.eq(s.worker_stop(), 0, "the worker stops with status 0")

elapsed = time.time() - START
t.note(f"test_mail took {elapsed:.1f} s")
stall.close()
