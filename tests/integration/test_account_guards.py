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
from harness import TAP, Client, Response, new_stack, raw, raw_status  # noqa: E402

PW = "copper kettle lantern 42"
PW_A = "attacker chose this 77"
PW_V = "victim picked marmalade 9"

t = TAP()
s = new_stack()
s.write_conf(login_failures_account="3", login_failures_address="1000")
s.app_stop()
s.app_start()


def q(sql):
    return s.psql(sql).stdout.strip()


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
    """Every message delivered to `to`, oldest first, once all queued
    for that address are delivered."""
    n = int(q("SELECT count(*) FROM jobs WHERE payload->>'to' = '%s'" % to))
    deadline = time.time() + 20
    got = []
    while time.time() < deadline:
        got = []
        for path in s.mails():
            with open(path, "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            if m["To"] == to:
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
t.eq(q("SELECT user_agent FROM sessions s JOIN people p ON p.id = s.person_id "
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
q("DELETE FROM login_failures")
