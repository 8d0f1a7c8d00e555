"""harness.py: TAP output, a throwaway stack and HTTP helpers for tests.

Integration tests import this, bring up a real stack (PostgreSQL, the
chapterhouse binary, nginx) in a temporary directory on a free port, and
drive it over real HTTP.  Each test file prints TAP; `make check` reads it.
"""

import atexit
import email
import email.policy
import http.client
import html
import json
import os
import re
import socket
import sys
import tempfile
import time
import traceback
import urllib.parse

SRCDIR = os.environ.get("CH_SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("CH_BUILDDIR") or SRCDIR
BINARY = os.environ.get("CH_BINARY") or os.path.join(BUILDDIR, "chapterhouse")

sys.path.insert(0, os.path.join(SRCDIR, "tools"))
import stack as stackmod  # noqa: E402


# Work TAP._end() does before the plan: tearing down stacks, whose
# sanitizer reports become checks of the test (see new_stack()).
_finishers = []
_tap = None


class TAP:
    """Test Anything Protocol writer; every check can fail."""

    def __init__(self):
        global _tap
        self.n = 0
        self.failed = 0
        _tap = self
        atexit.register(self._end)
        sys.excepthook = self._uncaught

    def _uncaught(self, tp, val, tb):
        self.ok(False, f"the test raised {tp.__name__}: {val}",
                "".join(traceback.format_exception(tp, val, tb)))

    def ok(self, cond, name, diag=None):
        self.n += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} - {name}", flush=True)
        if not cond:
            self.failed += 1
            if diag is not None:
                for line in str(diag).splitlines()[:40]:
                    print(f"#   {line}", flush=True)
        return cond

    def eq(self, got, want, name):
        return self.ok(got == want, name, f"got  {got!r}\nwant {want!r}")

    def skip(self, name, why):
        self.n += 1
        print(f"ok {self.n} - {name} # SKIP {why}", flush=True)

    def note(self, msg):
        for line in str(msg).splitlines():
            print(f"# {line}", flush=True)

    def _end(self):
        while _finishers:
            try:
                _finishers.pop()()
            except Exception as e:  # a teardown must not hide the plan
                self.ok(False, f"teardown raised {type(e).__name__}: {e}")
        print(f"1..{self.n}", flush=True)
        print(f"# {self.n - self.failed} passed, {self.failed} failed", flush=True)
        sys.stdout.flush()
        if self.failed:
            os._exit(1)


def tempdir(prefix):
    """A short temporary directory (unix socket paths are limited)."""
    base = "/tmp" if os.path.isdir("/tmp") else None
    return tempfile.mkdtemp(prefix=prefix, dir=base)


def _teardown(s):
    """Destroy stack s; a sanitizer report in its server or worker log
    (a sanitized build: tools/dev asan) fails the test."""
    found = s.destroy()
    if _tap is None:
        return
    _tap.ok(not found, "no sanitizer report in the server and worker logs",
            "\n".join(f"{name}:\n{text}" for name, text in found))


def new_stack(workers=2, start=True):
    """A stack in a temporary directory, destroyed when the test exits
    (before the TAP plan, so its logs' sanitizer reports are checks)."""
    root = tempdir("ch-")
    s = stackmod.Stack(root, SRCDIR, BINARY, port=stackmod.free_port(),
                       workers=workers, durable=False, quiet=True,
                       smtp_port=stackmod.free_port())
    _finishers.append(lambda: _teardown(s))
    if _tap is None:
        atexit.register(s.destroy)    # no TAP to run the finishers
    if start:
        s.up()
    return s


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body.decode())

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def request(port, method, path, body=None, headers=None, timeout=20):
    """One HTTP/1.1 request on a new connection; returns a Response."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.putrequest(method, path, skip_accept_encoding=True)
        hdrs = dict(headers or {})
        if body is not None:
            if isinstance(body, str):
                body = body.encode()
            hdrs.setdefault("Content-Length", str(len(body)))
        for k, v in hdrs.items():
            c.putheader(k, v)
        c.endheaders(body)
        r = c.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        resp.raw_headers = r.getheaders()  # repeated ones too (Set-Cookie)
        return resp
    finally:
        c.close()


def raw(port, data, timeout=10):
    """Send raw bytes, return the raw response (for malformed requests)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)


def raw_status(resp):
    try:
        return int(resp.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def wait_until(pred, timeout=10, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


class Client:
    """A browser-like HTTP client: keeps cookies, posts forms and JSON."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep(self, r):
        for k, v in r.raw_headers:
            if k.lower() != "set-cookie":
                continue
            pair = v.split(";", 1)[0]
            name, _, val = pair.partition("=")
            if "max-age=0" in v.lower().replace(" ", "") or val == "":
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = val.strip()

    def send(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = self._cookie_header()
        r = request(self.port, method, path, body, h)
        self._keep(r)
        return r

    def get(self, path, headers=None):
        return self.send("GET", path, headers=headers)

    def post(self, path, fields, headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.send("POST", path, urllib.parse.urlencode(fields), h)

    def post_json(self, path, obj, headers=None, method="POST"):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        body = None if obj is None else json.dumps(obj)
        return self.send(method, path, body, h)

    def csrf(self, html):
        """The csrf_token of the first form in a page."""
        m = re.search(r'name="csrf_token" value="([^"]*)"', html)
        return m.group(1) if m else None


# -- helpers the tests share ---------------------------------------------------

PERSON_PW = "harbour lantern quiet 88"     # people the tests create
DEMO_PW = stackmod.Stack.DEMO_PASSWORD    # the demo's people


def q(s, sql, user=None):
    """What one SQL statement prints on stack s (psql, unaligned, tuples
    only), without the surrounding whitespace."""
    return s.psql(sql, user=user).stdout.strip()


def mail_to(s, to, subject, timeout=20):
    """The newest message stack s's SMTP catcher received for `to` (any
    case) whose subject contains `subject`, waiting up to `timeout`
    seconds for it; None when none came."""
    end = time.time() + timeout
    while time.time() < end:
        for path in reversed(s.mails()):
            with open(path, "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            if str(m["To"]).lower() == to.lower() and subject in str(m["Subject"]):
                return m
        time.sleep(0.1)
    return None


def person(s, mail, *roles, pw=PERSON_PW):
    """A Client signed in through the JSON API as a new person `mail`
    (created with `user add`, with the given hub roles); its CSRF token
    is c.token."""
    argv = [s.binary, "--config", s.conf, "user", "add", "--email", mail,
            "--name", mail.split("@")[0].title(), "--password-stdin"]
    for r in roles:
        argv += ["--hub-role", r]
    s.sh(argv, input=pw + "\n")
    c = Client(s.port)
    r = c.post_json("/api/v1/session", {"email": mail, "password": pw})
    c.token = r.json()["csrf_token"]
    return c


def login(s, mail, pw=DEMO_PW):
    """A Client signed in as an existing person (by default one of the
    demo's), having accepted version 1 of the use rules; c.token is its
    CSRF token."""
    c = Client(s.port)
    r = c.post_json("/api/v1/session", {"email": mail, "password": pw})
    c.token = r.json()["csrf_token"]
    c.post_json("/api/v1/use-rules/accept", {"version": "1"}, {"X-CSRF-Token": c.token})
    return c


def send(c, path, obj, method="POST", headers=None):
    """obj as JSON to path by Client c, with its CSRF token (c.token) and
    any other headers."""
    h = {"X-CSRF-Token": c.token}
    h.update(headers or {})
    return c.post_json(path, obj, h, method=method)


def err(r):
    """(status, code, field) of an answer: the code and the field its
    JSON error names, None for each when it has none."""
    try:
        e = r.json()["error"]
        return r.status, e.get("code"), e.get("field")
    except (ValueError, KeyError, TypeError):
        return r.status, None, None


def approved_unit(t, owner, admin, slug):
    """Unit slug (a chapter with a blog) requested by Client owner and
    approved by Client admin, each step a test of TAP t."""
    r = send(owner, "/api/v1/units", {
        "name": slug.title(), "slug": slug, "kind": "chapter",
        "purpose": "Tell the town.", "audience": "Everyone", "channels": ["blog"]})
    t.eq(r.status, 201, f"{slug} is requested")
    r = send(admin, f"/api/v1/units/{slug}/decision", {"decision": "approve"})
    t.eq(r.status, 200, f"{slug} is approved")


def loc(r):
    """The Location of an answer, "" without one."""
    return r.headers.get("location", "")


def value_of(page, ident):
    """The value attribute (or text area content) of the control ident
    of an HTML page, None when there is no such control."""
    m = re.search(r'<input id="%s"[^>]*value="([^"]*)"' % re.escape(ident), page)
    if m:
        return html.unescape(m.group(1))
    m = re.search(r'<textarea id="%s"[^>]*>([^<]*)</textarea>' % re.escape(ident), page)
    return html.unescape(m.group(1)) if m else None


def invalid(page, ident):
    """Whether the control ident of an HTML page is marked invalid."""
    return re.search(r'id="%s"[^>]*aria-invalid="true"' % re.escape(ident), page) is not None


def error_field(r):
    """(status, field) of an answer: the field its JSON error names, or
    None."""
    try:
        return r.status, r.json()["error"]["field"]
    except (ValueError, KeyError, TypeError):
        return r.status, None
