"""test_account_guards.py: the guards around accounts, over real nginx,
the real binary and a real PostgreSQL: a sign-up binds the password to
whoever proves the mailbox (no pre-hijacking), throttling keyed on the
account and the client address with a growing delay and a mail to the
owner, cooldowns on the mail a sign-up sends, the password-change form
throttled like login, a User-Agent that is not UTF-8, log lines a client
cannot forge, and the same login time for every kind of account.

Clients connect from several loopback addresses (127.0.0.N) so that
nginx passes each its own REMOTE_ADDR.  E-mail is read as the SMTP
catcher received it from the job worker.
"""

import email
import email.policy
import http.client
import json
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, Response, new_stack, raw, raw_status, q  # noqa: E402

PW = "copper kettle lantern 42"
PW_A = "quiet pebble orbit 77"
PW_V = "marmalade tundra fig 9"

t = TAP()
s = new_stack()
s.write_conf(login_failures_account="3", login_failures_address="1000")
s.app_stop()
s.app_start()


class From(Client):
    """A Client whose connections come from the loopback address src."""

    def __init__(self, port, src="127.0.0.1"):
        super().__init__(port)
        self.src = src

    def send(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = self._cookie_header()
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                       source_address=(self.src, 0))
        try:
            c.putrequest(method, path, skip_accept_encoding=True)
            if body is not None:
                body = body.encode() if isinstance(body, str) else body
                h.setdefault("Content-Length", str(len(body)))
            for k, v in h.items():
                c.putheader(k, v)
            c.endheaders(body)
            resp = c.getresponse()
            r = Response(resp.status, resp.getheaders(), resp.read())
            r.raw_headers = resp.getheaders()
        finally:
            c.close()
        self._keep(r)
        return r

    def login(self, addr, pw):
        return self.post_json("/api/v1/session", {"email": addr, "password": pw})


def mails_to(to):
    """Every message delivered to `to` (lower case), oldest first, once
    all queued for that address are delivered."""
    n = int(q(s, "SELECT count(*) FROM jobs WHERE lower(payload->>'to') = '%s'" % to))
    deadline = time.time() + 20
    got = []
    while time.time() < deadline:
        got = []
        for path in s.mails():
            with open(path, "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            if str(m["To"]).lower() == to:
                got.append({"subject": str(m["Subject"]),
                            "body": m.get_body(("plain",)).get_content()})
        if len(got) >= n:
            break
        time.sleep(0.1)
    return got


def link_token(mail, path):
    m = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_-]{43})", mail["body"])
    return m.group(1) if m else None


def user_add(*args, pw=None):
    argv = [s.binary, "--config", s.conf, "user", "add", *args]
    if pw is not None:
        argv.append("--password-stdin")
    return s.sh(argv, check=False, capture=True,
                input=(pw + "\n") if pw is not None else None)


def signup(c, name, addr, pw):
    return c.post_json("/api/v1/signup", {"name": name, "email": addr, "password": pw})


def confirm(c, tok):
    if tok is None:
        return Response(0, [], b"no link")
    r = c.get("/confirm?token=" + tok)
    if r.status != 200:
        return r
    return c.post("/confirm", {"csrf_token": c.csrf(r.text), "token": tok})


# --- a User-Agent that is not UTF-8 (item 10) ----------------------------------
p = user_add("--email", "ua@example.org", "--name", "Uma", pw=PW)
t.eq(p.returncode, 0, "an account to log in with")
body = json.dumps({"email": "ua@example.org", "password": PW}).encode()
resp = raw(s.port, b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"User-Agent: Mozilla/5.0 (Caf\xe9; \xff\xfe)\r\n"
           b"Content-Type: application/json\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\n"
           b"Connection: close\r\n\r\n" + body)
t.eq(raw_status(resp), 200, "a login with a Latin-1 User-Agent succeeds (no 500)")
t.eq(q(s, "SELECT user_agent FROM sessions s JOIN people p ON p.id = s.person_id "
       "WHERE p.email = 'ua@example.org'"), "Mozilla/5.0 (Caf\ufffd; \ufffd\ufffd)",
     "and the header is stored with its bad bytes replaced by U+FFFD")

# --- log lines cannot be forged (item 13) --------------------------------------
forged = "a addr=198.51.100.7 account=known"
r = From(s.port).login(forged, "whatever it is")
t.eq(r.status, 401, "a login with a hostile address is refused")
line = [ln for ln in open(s.app_log, encoding="utf-8", errors="replace")
        if "event=login_failure" in ln and "198.51.100.7" in ln]
t.ok(len(line) == 1, "and logged once", line)
msg = re.search(r'msg="((?:[^"\\]|\\.)*)"', line[0]).group(1) if line else ""
fields = [f.split("=", 1)[0] for f in msg.split(" ") if "=" in f]
t.eq(fields, ["event", "email", "addr", "account"],
     "the address typed stays inside its own field: nothing is planted")
addr = [f for f in msg.split(" ") if f.startswith("addr=")]
t.eq(addr, ["addr=127.0.0.1"], "the logged client address is the real one")

# --- the same time for every kind of account (item 14) --------------------------
p = user_add("--email", "nopw@example.org", "--name", "No Password Yet")
t.ok(p.returncode == 0 and "/password/reset?token=" in p.stdout,
     "user add without a password makes an account waiting for its link")


def timed(addr, src):
    c = From(s.port, src)
    t0 = time.monotonic()
    r = c.login(addr, "not the password at all")
    return r.status, time.monotonic() - t0


runs = {"nopw@example.org": [], "nobody@example.org": [], "ua@example.org": []}
for i in range(2):
    for a in runs:
        runs[a].append(timed(a, "127.0.0.%d" % (20 + i)))
t.ok(all(st == 401 for a in runs for st, _ in runs[a]),
     "every one is refused with 401", runs)
med = {a: statistics.median(d for _, d in runs[a]) for a in runs}
t.ok(med["nopw@example.org"] >= 0.5 * min(med["nobody@example.org"], med["ua@example.org"]),
     "an account without a usable password takes as long as a real one "
     "(a hash is computed)", med)
q(s, "DELETE FROM login_failures")

# --- a sign-up binds the password to the mailbox (item 1) ------------------------
A = From(s.port, "127.0.0.30")
V = From(s.port, "127.0.0.31")
t.eq(signup(A, "Attacker", "victim@example.org", PW_A).status, 201,
     "an attacker signs up first with the victim's address")
t.eq(signup(V, "Victim", "Victim@example.org", PW_V).status, 201,
     "the victim signs up later with their own password")
got = mails_to("victim@example.org")
t.eq(len(got), 2, "the mailbox has a link for each sign-up")
old_link, new_link = (link_token(m, "/confirm") for m in got) if len(got) == 2 else (None, None)
t.eq(confirm(From(s.port, "127.0.0.32"), old_link).status, 410,
     "the link of the attacker's sign-up no longer confirms anything")
r = confirm(V, new_link)
t.eq(r.status, 303, "the victim confirms from their mailbox and is signed in")
t.eq(From(s.port, "127.0.0.33").login("victim@example.org", PW_A).status, 401,
     "the attacker's password does not log in")
t.eq(From(s.port, "127.0.0.33").login("victim@example.org", PW_V).status, 200,
     "the victim's does")
t.eq(q(s, "SELECT name FROM people WHERE lower(email) = 'victim@example.org'"), "Victim",
     "and the name is the victim's")

# The other order: a later sign-up must not ride on the earlier link.
V = From(s.port, "127.0.0.37")
t.eq(signup(V, "Vera", "vera@example.org", PW_V).status, 201, "Vera signs up")
t.eq(signup(A, "Vera", "vera@example.org", PW_A).status, 201,
     "then an attacker with her address and another password")
got = mails_to("vera@example.org")
t.eq(confirm(From(s.port, "127.0.0.32"), link_token(got[0], "/confirm") if got else None).status,
     410,
     "Vera's earlier link cannot confirm the attacker's password")
t.eq(q(s, "SELECT confirmed_at IS NULL FROM people WHERE email = 'vera@example.org'"), "t",
     "the account stays unconfirmed")

# chapterhouse user add on a row someone else signed up.
t.eq(signup(A, "Support Desk", "boss@example.org", PW_A).status, 201,
     "an attacker signs up with the future admin's address")
got = mails_to("boss@example.org")
stale = link_token(got[-1], "/confirm") if got else None
p = user_add("--email", "boss@example.org", "--name", "Boss", "--hub-role", "admin")
reset = re.search(r"/password/reset\?token=([A-Za-z0-9_-]{43})", p.stdout)
t.ok(p.returncode == 0 and reset, "user add without a password confirms it and prints a link",
     (p.stdout or "") + (p.stderr or ""))
t.eq(From(s.port, "127.0.0.34").login("boss@example.org", PW_A).status, 401,
     "the password the attacker chose is gone")
t.eq(q(s, "SELECT name FROM people WHERE email = 'boss@example.org'"), "Boss",
     "and so is the name")
t.eq(confirm(From(s.port, "127.0.0.34"), stale).status, 410,
     "the attacker's confirmation link is revoked")
b = From(s.port, "127.0.0.35")
r = b.get("/password/reset?token=" + reset.group(1)) if reset else None
r = b.post("/password/reset", {"csrf_token": b.csrf(r.text), "token": reset.group(1),
                               "password": PW_V, "password_confirm": PW_V}) if r else None
t.eq(r.status if r else None, 303, "the printed link sets the password")
t.eq(From(s.port, "127.0.0.35").login("boss@example.org", PW_V).status, 200,
     "which then logs in")
t.eq(signup(A, "Mallory", "admin2@example.org", PW_A).status, 201,
     "an attacker signs up with another address")
p = user_add("--email", "admin2@example.org", pw=PW)
t.eq(p.returncode, 0, "user add --password-stdin takes that row over")
t.eq(From(s.port, "127.0.0.36").login("admin2@example.org", PW_A).status, 401,
     "with the attacker's password gone")
t.eq(From(s.port, "127.0.0.36").login("admin2@example.org", PW).status, 200,
     "and the given one working")

# Unconfirmed rows expire with their links.
q(s, "INSERT INTO people (email, name, password_hash, created_at) VALUES "
  "('old@example.org', 'Old', 'x', now() - interval '25 hours'), "
  "('new@example.org', 'New', 'x', now() - interval '23 hours')")
w = s.sh([s.binary, "--config", s.conf, "worker", "--once"], check=False, capture=True)
t.eq(q(s, "SELECT string_agg(email, ',') FROM people WHERE email IN "
       "('old@example.org', 'new@example.org')"), "new@example.org",
     "housekeeping deletes an account unconfirmed for longer than its link lives",
     )

# --- mail that anyone can trigger has a cooldown (item 8) -------------------------
for i in range(3):
    signup(From(s.port, "127.0.0.4%d" % i), "Someone", "ua@example.org", PW_A)
exists = [m for m in mails_to("ua@example.org") if "already have an account" in m["body"]]
t.eq(len(exists), 1, "three sign-ups with a confirmed address mail its owner once")
for i in range(5):
    signup(From(s.port, "127.0.0.4%d" % i), "Flood", "flood@example.org",
           PW_A + str(i))
t.eq(q(s, "SELECT count(*) FROM jobs WHERE payload->>'to' = 'flood@example.org'"), "3",
     "five sign-ups for an unconfirmed address send at most three links an hour")
r = From(s.port, "127.0.0.45").login("flood@example.org", PW_A + "4")
t.ok(r.status == 403 and q(s, "SELECT count(*) FROM jobs WHERE payload->>'to' = "
                           "'flood@example.org'") == "3",
     "and a login asking for a fresh link sends none beyond that", r.status)

# --- throttling: per account and address, a delay, a mail (item 6) ----------------
p = user_add("--email", "owner@example.org", "--name", "Olu Owner", pw=PW)
att = From(s.port, "127.0.0.50")
codes = [att.login("owner@example.org", "guess %d is wrong" % i).status for i in range(3)]
t.eq(codes, [401, 401, 401], "three wrong passwords from one address are 401")
r = att.login("owner@example.org", PW)
t.ok(r.status == 429 and r.headers.get("retry-after") == "900",
     "then that address is refused for that account, even with the right password",
     (r.status, r.headers.get("retry-after")))
t.eq(From(s.port, "127.0.0.51").login("owner@example.org", PW).status, 200,
     "the owner still logs in from another address")
att2 = From(s.port, "127.0.0.52")


def failed_ago(secs):
    """Date the last failure of att2 secs seconds back: the delay counts
    from it, and a loaded machine must not stretch the test's timing."""
    q(s, "UPDATE login_failures SET at = now() - make_interval(secs => %d) "
         "WHERE address = '127.0.0.52' AND at = (SELECT max(at) FROM "
         "login_failures WHERE address = '127.0.0.52')" % secs)


t.eq(att2.login("owner@example.org", "another wrong guess").status, 401,
     "a second attacking address gets a first try")
failed_ago(0)
r = att2.login("owner@example.org", "yet another wrong guess")
t.ok(r.status == 429 and r.headers.get("retry-after") in ("1", "2"),
     "then must wait a growing delay after its own failure (2 s)",
     (r.status, r.headers.get("retry-after")))
failed_ago(3)
t.eq(att2.login("owner@example.org", "yet another wrong guess").status, 401,
     "once it has passed, it may try again")
failed_ago(0)
r = att2.login("owner@example.org", "and another")
t.ok(r.status == 429 and r.headers.get("retry-after") in ("3", "4") and
     r.json()["error"]["code"] == "too_many_attempts",
     "and the delay doubles with the account's failures (4 s)",
     (r.status, r.headers.get("retry-after"), r.text))
t.eq(From(s.port, "127.0.0.51").login("owner@example.org", PW).status, 200,
     "while the owner still logs in at once")
got = [m for m in mails_to("owner@example.org") if "Failed logins" in m["subject"]]
t.eq(len(got), 1, "the owner is told of the failures, once in the window")
t.ok(got and "5 failed attempts" not in got[0]["body"] and "3 failed attempts" in got[0]["body"],
     "with their number", got)

# --- the password-change form is throttled like login (item 9) -------------------
user_add("--email", "changer@example.org", "--name", "Chang", pw=PW)
c = From(s.port, "127.0.0.60")
t.eq(c.login("changer@example.org", PW).status, 200, "a person logs in")
c.post_json("/api/v1/session", {"email": "changer@example.org", "password": PW})
c = From(s.port, "127.0.0.60")
r = c.get("/login")
c.post("/login", {"csrf_token": c.csrf(r.text), "email": "changer@example.org",
                  "password": PW})
codes = []
for i in range(3):
    r = c.post("/account/password", {"csrf_token": c.csrf(c.get("/account/password").text),
                                     "current_password": "guess %d wrong" % i,
                                     "password": PW_V, "password_confirm": PW_V})
    codes.append(r.status)
t.eq(codes, [422, 422, 422], "three wrong current passwords are refused (422)")
r = c.post("/account/password", {"csrf_token": c.csrf(c.get("/account/password").text),
                                 "current_password": PW,
                                 "password": PW_V, "password_confirm": PW_V})
t.ok(r.status == 429 and r.headers.get("retry-after") and "too many failed" in r.text,
     "then the form refuses with 429 and Retry-After, before any hash", r.status)
t.eq(From(s.port, "127.0.0.61").login("changer@example.org", PW).status, 200,
     "the password was not changed")

log = open(s.app_log, encoding="utf-8", errors="replace").read()
t.ok("level=error" not in log, "no request failed with an error",
     [ln for ln in log.splitlines() if "level=error" in ln])
