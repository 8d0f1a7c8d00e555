"""test_accounts.py: accounts end to end over real nginx, the real binary
and a real PostgreSQL: sign up, confirm, use rules, log in and out,
sessions and their expiry, CSRF, throttling, password reset and change,
the JSON API, chapterhouse user add, and bad input on every form.

E-mail is read as the SMTP catcher received it from the job worker.
"""

import base64
import email
import email.policy
import hashlib
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, Client, new_stack, q  # noqa: E402

PW = "copper kettle lantern 42"

t = TAP()
s = new_stack()
s.write_conf(login_failures_account="3", login_failures_address="1000",
             max_hashes="4")
s.app_stop()
s.app_start()


def last_mail(to):
    """The newest message to `to` as the SMTP server received it, once
    every message queued for that address has been delivered."""
    n = int(q(s, "SELECT count(*) FROM jobs WHERE payload->>'to' = '%s'" % to))
    deadline = time.time() + 20
    while n and time.time() < deadline:
        got = []
        for path in s.mails():
            with open(path, "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            if m["To"] == to:
                got.append(m)
        if len(got) >= n:
            return {"subject": str(got[-1]["Subject"]),
                    "body": got[-1].get_body(("plain",)).get_content()}
        time.sleep(0.1)
    return None


def link_token(mail, path):
    m = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_-]{43})", mail["body"])
    return m.group(1) if m else None


def field_error(html, field):
    m = re.search(r'id="%s-error">([^<]*)<' % re.escape(field), html)
    return m.group(1) if m else None


def signup(c, name, email, pw=PW, again=None):
    r = c.get("/signup")
    return c.post("/signup", {"csrf_token": c.csrf(r.text), "name": name,
                              "email": email, "password": pw,
                              "password_confirm": pw if again is None else again})


# --- sign up, confirm, use rules, log out, log in --------------------------
c = Client(s.port)
r = signup(c, "Ada Lovelace", "ada@example.org")
t.eq(r.status, 201, "sign-up answers 201 with a page")
t.ok("ada@example.org" in r.text and "Check your e-mail" in r.text,
     "the page says where the link went")
t.eq(q(s, "SELECT confirmed_at IS NULL FROM people WHERE email = 'ada@example.org'"),
     "t", "the account exists, unconfirmed")
t.ok(q(s, "SELECT password_hash FROM people WHERE email = 'ada@example.org'")
     .startswith("$s1$100802$"), "the password is stored as scrypt N=2^16 r=8 p=2")
mail = last_mail("ada@example.org")
tok = link_token(mail, "/confirm") if mail else None
t.ok(tok is not None, "a confirmation mail with a link is queued", mail)
t.ok(q(s, "SELECT count(*) FROM email_tokens WHERE token_hash = sha256('%s'::bytea)" % tok) == "1",
     "only the token's SHA-256 is stored")

r = c.post("/login", {"csrf_token": c.csrf(c.get("/login").text),
                      "email": "ada@example.org", "password": PW})
t.eq(r.status, 403, "an unconfirmed account cannot log in yet")
t.ok("confirm your e-mail address first" in r.text, "and is told why")

r = c.get("/confirm?token=" + tok)
t.eq(r.status, 200, "the link opens a page with a button (scanners do not confirm)")
t.eq(q(s, "SELECT confirmed_at IS NULL FROM people WHERE email = 'ada@example.org'"),
     "t", "opening the link alone confirms nothing")
r = c.post("/confirm", {"csrf_token": c.csrf(r.text), "token": tok})
t.eq(r.status, 303, "confirming redirects")
t.ok(any(k.endswith("ch_session") for k in c.cookies), "and signs the person in")
t.eq(q(s, "SELECT confirmed_at IS NOT NULL FROM people WHERE email = 'ada@example.org'"),
     "t", "the address is confirmed")
r = c.post("/confirm", {"csrf_token": c.csrf(c.get("/account").text), "token": tok})
t.eq(r.status, 410, "a replayed confirmation link is refused (410)")

r = c.get("/account")
t.eq(r.status, 200, "with no use rules published, pages are open")
t.eq(r.headers.get("cache-control"), "no-store", "authenticated pages are no-store")
t.ok("Ada Lovelace" in r.text and "Log out" in r.text, "the layout shows who is signed in")

# The hub publishes use rules: everyone is asked to accept them.
p = s.sh([s.binary, "--config", s.conf, "user", "add", "--email", "root@example.org",
          "--name", "Root Admin", "--hub-role", "admin", "--password-stdin"],
         check=False, capture=True, input="kestrel harbour violin\n")
t.eq(p.returncode, 0, "chapterhouse user add creates a hub admin")
t.ok("created root@example.org" in p.stdout, "and says so", p.stdout)
t.eq(q(s, "SELECT string_agg(role, ',') FROM hub_roles JOIN people ON id = person_id "
       "WHERE email = 'root@example.org'"), "admin", "with the admin role")
p = s.sh([s.binary, "--config", s.conf, "user", "add", "--email", "weak@example.org",
          "--password-stdin"], check=False, capture=True, input="password1234\n")
t.ok(p.returncode != 0 and "too common" in p.stdout,
     "user add refuses a dictionary password", p.stdout)
p = s.sh([s.binary, "--config", s.conf, "user", "add", "--email", "link@example.org",
          "--hub-role", "hr"], check=False, capture=True)
t.ok(p.returncode == 0 and "/password/reset?token=" in p.stdout,
     "without --password-stdin it prints a one-time link to choose the password",
     p.stdout)

a = Client(s.port)
r = a.post("/login", {"csrf_token": a.csrf(a.get("/login").text),
                      "email": "root@example.org", "password": "kestrel harbour violin"})
t.eq(r.status, 303, "the admin logs in")
r = a.get("/hub/rules")
t.eq(r.status, 200, "the admin opens the use rules editor")
r = a.post("/hub/rules", {"csrf_token": a.csrf(r.text),
                          "body": "# Be kind\n\nNo <script>alert(1)</script> here."})
t.eq(r.status, 303, "and publishes version 1")
t.eq(q(s, "SELECT max(version) FROM use_rules"), "1", "version 1 is stored")

r = c.get("/account")
t.eq(r.status, 303, "a person who has not accepted is sent to the rules")
t.ok(r.headers.get("location", "").startswith("/rules?next="), "keeping where they were going")
r = c.get("/api/v1/me", {"Accept": "application/json"})
t.eq(r.status, 200, "/api/v1/me still answers before acceptance")
r = c.get("/rules")
t.ok(r.status == 200 and "<h2>Be kind</h2>" in r.text,
     "the rules are shown as HTML, their headings below the page's own")
t.ok("<script>" not in r.text, "raw HTML in the rules is not rendered")
r = c.post("/rules/accept", {"csrf_token": c.csrf(r.text), "version": "1", "next": "/account"})
t.ok(r.status == 303 and r.headers.get("location") == "/account",
     "accepting returns to where the person was going")
t.eq(q(s, "SELECT count(*) FROM use_rule_acceptances a JOIN people p ON p.id = a.person_id "
       "WHERE p.email = 'ada@example.org' AND version = 1"), "1",
     "the acceptance is recorded (person, version, time)")
t.eq(c.get("/account").status, 200, "and pages open again")

r = a.post("/rules/accept", {"csrf_token": a.csrf(a.get("/rules").text), "version": "1"})
t.eq(r.status, 303, "the admin accepts version 1 too")
r = a.post("/hub/rules", {"csrf_token": a.csrf(a.get("/hub/rules").text),
                          "body": "# Be kind\n\nVersion two."})
t.eq(r.status, 303, "the admin publishes version 2")
t.eq(c.get("/account").status, 303, "a new version asks again")
r = c.post("/rules/accept", {"csrf_token": c.csrf(c.get("/rules").text), "version": "1"})
t.eq(r.status, 409, "accepting an outdated version is refused (409)")
c.post("/rules/accept", {"csrf_token": c.csrf(c.get("/rules").text), "version": "2"})
t.eq(c.get("/account").status, 200, "accepting the current one opens the pages")

# --- log out, log in --------------------------------------------------------
old = dict(c.cookies)
r = c.post("/logout", {"csrf_token": c.csrf(c.get("/account").text)})
t.eq(r.status, 303, "logging out is a POST that redirects")
t.ok(not any(k.endswith("ch_session") for k in c.cookies), "the cookie is cleared")
stale = Client(s.port)
stale.cookies = old
t.eq(stale.get("/account").status, 303, "the old session is dead server-side")

r = c.post("/login", {"csrf_token": c.csrf(c.get("/login").text),
                      "email": "ada@example.org", "password": "wrong password here"})
t.eq(r.status, 401, "a wrong password is 401")
t.eq(field_error(r.text, "password"), "the e-mail address or the password is wrong",
     "with a clear message on the field")
t.ok('value="ada@example.org"' in r.text, "the address typed is kept")
r = c.post("/login", {"csrf_token": c.csrf(c.get("/login?next=/account").text),
                      "email": "ADA@example.org", "password": PW, "next": "/account"})
t.eq(r.status, 303, "the right password logs in (address case does not matter)")
t.eq(r.headers.get("location"), "/account", "to the page asked for")
sc = [v for k, v in r.raw_headers if k.lower() == "set-cookie" and "ch_session=" in v]
t.ok(sc and "HttpOnly" in sc[0] and "SameSite=Lax" in sc[0] and "Path=/" in sc[0],
     "the session cookie is HttpOnly, SameSite=Lax", sc)
t.ok(c.cookies.get("ch_session") != old.get("ch_session"), "a new session id at each login")
t.eq(q(s, "SELECT count(*) FROM login_failures WHERE email = 'ada@example.org'"), "0",
     "a successful login clears the failures")

r = c.post("/login", {"email": "ada@example.org", "password": PW})
t.eq(r.status, 403, "a form without its CSRF token is refused (403)")
t.ok("reload the page" in r.text, "with a clear message")
r = c.post("/account", {"name": "Eve"})
t.eq(r.status, 403, "a signed-in form without its token is refused")
r = c.post("/account", {"name": "Eve", "csrf_token": "A" * 43})
t.eq(r.status, 403, "and with a wrong token")

# --- throttling ---------------------------------------------------------------
t2 = Client(s.port)
tok2 = t2.csrf(t2.get("/login").text)
codes = [t2.post("/login", {"csrf_token": tok2, "email": "ada@example.org",
                            "password": "not the password"}).status for _ in range(3)]
t.eq(codes, [401, 401, 401], "three wrong passwords are 401")
r = t2.post("/login", {"csrf_token": tok2, "email": "ada@example.org", "password": PW})
t.eq(r.status, 429, "then the account is throttled, even with the right password")
t.ok(r.headers.get("retry-after") == "900" and "too many failed logins" in r.text,
     "with Retry-After and a clear message")
r = t2.post_json("/api/v1/session", {"email": "ada@example.org", "password": PW})
t.eq(r.status, 429, "the API is throttled too")
q(s, "DELETE FROM login_failures")

# --- sessions expire ----------------------------------------------------------
q(s, "UPDATE sessions SET last_seen_at = now() - interval '31 minutes'")
t.eq(c.get("/account").status, 303, "a session idle for 31 minutes is over")
c.post("/login", {"csrf_token": c.csrf(c.get("/login").text),
                  "email": "ada@example.org", "password": PW})
q(s, "UPDATE sessions SET created_at = now() - interval '13 hours'")
t.eq(c.get("/account").status, 303, "a session older than 12 hours is over")
c.post("/login", {"csrf_token": c.csrf(c.get("/login").text),
                  "email": "ada@example.org", "password": PW})
q(s, "UPDATE sessions SET last_seen_at = now() - interval '5 minutes'")
c.get("/account")
t.eq(q(s, "SELECT count(*) FROM sessions WHERE last_seen_at > now() - interval '1 minute'"),
     "1", "a read records activity (after the response)")

# --- profile and XSS ----------------------------------------------------------
evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>'
r = c.post("/account", {"csrf_token": c.csrf(c.get("/account").text), "name": evil})
t.eq(r.status, 303, "the name can be changed")
r = c.get("/account")
t.ok("<script>alert(1)" not in r.text and "<img src=x" not in r.text and
     "&lt;script&gt;" in r.text, "a hostile name comes out inert in the page and layout")
r = c.post("/account", {"csrf_token": c.csrf(r.text), "name": "x" * 10000})
t.eq(r.status, 422, "a 10 kB name is refused")
t.ok(field_error(r.text, "name") == "your name must be at most 100 characters",
     "with the field marked", field_error(r.text, "name"))
t.ok("x" * 200 in r.text, "and what was typed is given back")
r = c.post("/account", {"csrf_token": c.csrf(r.text), "name": "   "})
t.eq(r.status, 422, "an empty name is refused")
c.post("/account", {"csrf_token": c.csrf(c.get("/account").text), "name": "Ada Lovelace"})

# --- the JSON API -------------------------------------------------------------
j = Client(s.port)
r = j.post_json("/api/v1/session", {"email": "ada@example.org", "password": PW})
t.eq(r.status, 200, "POST /api/v1/session logs in")
body = r.json()
t.ok(body["person"]["email"] == "ada@example.org" and len(body["csrf_token"]) == 43,
     "and answers the person and a CSRF token", body)
r = j.get("/api/v1/me")
me = r.json()
t.ok(r.status == 200 and me["email"] == "ada@example.org" and me["name"] == "Ada Lovelace"
     and me["hub_roles"] == [] and me["units"] == [], "GET /api/v1/me", me)
q(s, "INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by) "
  "SELECT s, n, 'chapter', 'p', 'a', st, p.id FROM people p, (VALUES "
  "('north', 'North Chapter', 'approved'), ('south', 'South Chapter', 'requested')) "
  "v(s, n, st) WHERE p.email = 'root@example.org'")
q(s, "INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'author' "
  "FROM units u, people p WHERE u.slug = 'north' AND p.email = 'ada@example.org'")
me = j.get("/api/v1/me").json()
t.eq(me["units"], [{"slug": "north", "name": "North Chapter", "state": "approved",
                    "role": "author"}],
     "/api/v1/me lists the person's units and role (and no other unit)")
r = j.post_json("/api/v1/use-rules/accept", {"version": "2"})
t.eq(r.status, 403, "a cookie-authenticated JSON write without X-CSRF-Token is 403")
t.eq(r.json()["error"]["code"], "csrf", "with code csrf")
r = j.post_json("/api/v1/use-rules/accept", {"version": "2"},
                {"X-CSRF-Token": body["csrf_token"]})
t.eq(r.status, 200, "with the header it works")
r = j.post_json("/api/v1/session", None, {"X-CSRF-Token": body["csrf_token"]},
                method="DELETE")
t.eq(r.status, 200, "DELETE /api/v1/session logs out")
t.eq(j.get("/api/v1/me").status, 401, "after which /api/v1/me is 401")
r = j.post_json("/api/v1/session", {"email": "ada@example.org", "password": "nope nope nope"})
t.ok(r.status == 401 and r.json()["error"]["code"] == "wrong_credentials",
     "a wrong password is 401 wrong_credentials")
r = j.post_json("/api/v1/session", {"email": "nobody@example.org", "password": PW})
t.ok(r.status == 401 and r.json()["error"]["code"] == "wrong_credentials",
     "an unknown address gets the same answer")

r = j.post_json("/api/v1/signup", {"name": "Bo", "email": "bo@example.org", "password": PW})
t.ok(r.status == 201 and r.json()["status"] == "confirmation_sent",
     "POST /api/v1/signup is 201", r.text)
t.ok(last_mail("bo@example.org") is not None, "and queues the confirmation mail")
n_before = q(s, "SELECT count(*) FROM people")
r = j.post_json("/api/v1/signup", {"name": "Mallory", "email": "Ada@Example.org", "password": PW})
t.ok(r.status == 201 and r.json()["status"] == "confirmation_sent",
     "signing up with a taken address answers the same (no enumeration)")
t.eq(q(s, "SELECT count(*) FROM people"), n_before, "and creates nothing")
t.ok("already have an account" in last_mail("ada@example.org")["body"],
     "the owner of the address is told instead")

for obj, field, code in [
        ({"name": "", "email": "e@example.org", "password": PW}, "name", "missing"),
        ({"name": "N" * 10000, "email": "e@example.org", "password": PW}, "name", "too_long"),
        ({"name": "N", "email": "not-an-address", "password": PW}, "email", "invalid"),
        ({"name": "N", "email": "a@b.c\r\nBcc: x@y.z", "password": PW}, "email", "invalid"),
        ({"name": "N", "email": "e@example.org", "password": "short"}, "password", "weak_password"),
        ({"name": "N", "email": "e@example.org", "password": "password1234"}, "password", "weak_password"),
        ({"name": "N", "email": "e@example.org", "password": "P@ssw0rd2024!"}, "password", "weak_password"),
        ({"name": "N", "email": "e@example.org", "password": PW, "password_confirm": "other"},
         "password_confirm", "mismatch"),
        ({"name": "N", "email": "e@example.org"}, "password", "missing")]:
    r = j.post_json("/api/v1/signup", obj)
    err = r.json().get("error", {})
    t.ok(r.status == 422 and err.get("field") == field and err.get("code") == code,
         "sign-up with bad %s (%s) is 422 naming the field" % (field, code), r.text)
t.eq(q(s, "SELECT count(*) FROM people WHERE email = 'e@example.org'"), "0",
     "no half-created account")
long_pw = " ".join("%s%d" % (w, i) for i, w in enumerate(
    "amber birch cobalt delta ember fjord garnet harbor indigo juniper kelp "
    "lumen mango nectar onyx pewter quartz russet sienna topaz umber".split()))
r = j.post_json("/api/v1/signup", {"name": "Long", "email": "long@example.org",
                                   "password": long_pw})
t.ok(len(long_pw) >= 128 and r.status == 201,
     "a %d-character password is accepted" % len(long_pw), r.text)

r = j.send("POST", "/api/v1/signup", b'{"name":"\xff","email":"u@example.org","password":"x"}',
           {"Content-Type": "application/json"})
t.eq(r.status, 400, "invalid UTF-8 in JSON is 400")
r = c.send("POST", "/signup", b"name=%FF&email=u%40example.org",
           {"Content-Type": "application/x-www-form-urlencoded"})
t.eq(r.status, 400, "invalid UTF-8 in a form is 400")

# --- forms give the page back with the field marked ----------------------------
f = Client(s.port)
r = signup(f, "Cy", "cy@example.org", again="something else entirely")
t.ok(r.status == 422 and field_error(r.text, "password_confirm") == "the two passwords differ",
     "mismatched passwords mark the second field")
t.ok('value="Cy"' in r.text and 'value="cy@example.org"' in r.text,
     "name and address are kept")
t.ok('aria-invalid="true"' in r.text, "and the field is marked for assistive technology")
evil_attr = '"><script>alert(3)</script><input value="'
r = signup(f, evil_attr, "cy@@example", pw="x")
t.ok(r.status == 422 and "<script>alert(3)" not in r.text and
     'value="&quot;&gt;&lt;script&gt;' in r.text,
     "a hostile value given back in a form attribute is inert")
r = signup(f, "Cy", "cy@@example")
t.ok(r.status == 422 and field_error(r.text, "email"), "an invalid address is marked")

# --- password reset -------------------------------------------------------------
r = j.post_json("/api/v1/password-reset", {"email": "nobody@example.org"})
t.eq(r.status, 202, "a reset for an unknown address is 202")
r = j.post_json("/api/v1/password-reset", {"email": "ada@example.org"})
t.eq(r.status, 202, "and for a known one too")
mail = last_mail("ada@example.org")
rt = link_token(mail, "/password/reset")
t.ok(rt is not None, "the reset mail carries a link", mail)
t.eq(q(s, "SELECT count(*) FROM jobs WHERE payload->>'to' = 'nobody@example.org'"), "0",
     "nothing is sent to an unknown address")
other = Client(s.port)
other.post("/login", {"csrf_token": other.csrf(other.get("/login").text),
                      "email": "ada@example.org", "password": PW})
t.eq(other.get("/account").status, 200, "another session exists before the reset")
r = f.get("/password/reset?token=" + rt)
t.eq(r.status, 200, "the link opens the form")
r = f.post("/password/reset", {"csrf_token": f.csrf(r.text), "token": rt,
                               "password": "short", "password_confirm": "short"})
t.ok(r.status == 422 and field_error(r.text, "password"), "a weak new password is marked")
NEW = "marble orchard tundra 7"
r = f.post("/password/reset", {"csrf_token": f.csrf(r.text), "token": rt,
                               "password": NEW, "password_confirm": NEW})
t.eq(r.status, 303, "a strong one is set (the token survived the first, failed try)")
t.eq(other.get("/account").status, 303, "every other session was signed out")
t.eq(f.get("/account").status, 200, "and the person is signed in")
r = f.post("/password/reset", {"csrf_token": f.csrf(f.get("/account").text), "token": rt,
                               "password": NEW, "password_confirm": NEW})
t.eq(r.status, 410, "the link works once")
q(s, "UPDATE email_tokens SET expires_at = now() - interval '1 second'")
r = f.get("/password/reset?token=" + "B" * 43)
t.eq(r.status, 410, "an unknown or expired link is 410")
r = f.get("/password/reset?token=short")
t.eq(r.status, 400, "a malformed link is 400")

# --- change password ------------------------------------------------------------
other.post("/login", {"csrf_token": other.csrf(other.get("/login").text),
                      "email": "ada@example.org", "password": NEW})
before = f.cookies.get("ch_session")
r = f.post("/account/password", {"csrf_token": f.csrf(f.get("/account/password").text),
                                 "current_password": "wrong wrong wrong",
                                 "password": PW, "password_confirm": PW})
t.ok(r.status == 422 and field_error(r.text, "current_password") ==
     "the current password is wrong", "a wrong current password is marked")
r = f.post("/account/password", {"csrf_token": f.csrf(r.text),
                                 "current_password": NEW, "password": PW,
                                 "password_confirm": PW})
t.eq(r.status, 303, "the password is changed")
t.ok(f.cookies.get("ch_session") not in (None, before), "the session id is rotated")
t.eq(f.get("/account").status, 200, "the person stays signed in")
t.eq(other.get("/account").status, 303, "other sessions are signed out")

# --- weaker hashes are upgraded at login -----------------------------------------
# libscrypt's format with N=2^14, p=1 (below ASVS), made with Python's scrypt.
salt = os.urandom(16)
dk = hashlib.scrypt(PW.encode(), salt=salt, n=2 ** 14, r=8, p=1, dklen=64)
weak = "$s1$0e0801$%s$%s" % (base64.b64encode(salt).decode(), base64.b64encode(dk).decode())
q(s, "UPDATE people SET password_hash = '%s' WHERE email = 'ada@example.org'" % weak)
u = Client(s.port)
r = u.post("/login", {"csrf_token": u.csrf(u.get("/login").text),
                      "email": "ada@example.org", "password": PW})
t.eq(r.status, 303, "a password hashed with weaker parameters still logs in")
t.ok(q(s, "SELECT password_hash FROM people WHERE email = 'ada@example.org'")
     .startswith("$s1$100802$"), "and is re-hashed at the current parameters")

# --- at most max_hashes password hashes at once -----------------------------------
s.write_conf(max_hashes="1", login_failures_account="1000")
s.app_stop()
s.app_start()
import threading  # noqa: E402
results = []


def attempt():
    cl = Client(s.port)
    results.append(cl.post_json("/api/v1/session",
                                {"email": "ada@example.org", "password": PW}))


threads = [threading.Thread(target=attempt) for _ in range(4)]
for th in threads:
    th.start()
for th in threads:
    th.join()
busy = [r for r in results if r.status == 503]
t.ok(any(r.status == 200 for r in results) and busy and
     all(r.json()["error"]["code"] == "busy" and r.headers.get("retry-after") == "2"
         for r in busy),
     "with max_hashes = 1, concurrent logins past the cap get 503 busy with Retry-After",
     [r.status for r in results])

# --- nginx limits auth requests per address ------------------------------------
s.auth_rate = None
s.nginx_stop()
s.nginx_start()
codes = [c.post("/login", {"email": "x@example.org", "password": "y"}).status
         for _ in range(45)]
t.ok(codes.count(429) >= 1 and codes[0] == 403,
     "nginx answers 429 past 20 auth requests a minute from one address (limit_req)",
     codes)
t.ok(c.get("/login").status == 200, "pages stay open meanwhile")

log = open(s.app_log, encoding="utf-8", errors="replace").read()
t.ok("auth event=login_failure" in log and "auth event=login_success" in log
     and "auth event=password_reset" in log and "auth event=password_changed" in log
     and "auth event=login_throttled" in log,
     "authentication events are logged")
t.ok(PW not in log and NEW not in log and tok not in log and rt not in log,
     "without passwords or tokens")
for line in log.splitlines():
    if "level=error" in line or "level=warn" in line:
        print("# " + line)
