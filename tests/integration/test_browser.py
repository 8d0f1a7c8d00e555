"""test_browser.py: the site in a real browser.

Starts a stack (PostgreSQL, the real binary, real nginx), makes sure the
locked npm packages of tests/browser/ (playwright-core, axe-core) are
installed (`npm ci` when node_modules is missing or package-lock.json
changed since it was installed), and runs tests/browser/run.mjs: every
flow of tests/browser/flows/ in Debian's Chromium.  Its TAP is relayed
here, renumbered, followed by checks of our own: the run finished with
its plan, and no worker of the application died meanwhile.  Screenshots
and axe-core reports are left in $CH_BROWSER_ARTIFACTS (default
tests/browser/artifacts/ of the build directory).

Without Chromium or Node.js the whole file is skipped, visibly;
`tools/dev test` installs both.  Arguments are passed to run.mjs, so
`python3 tests/integration/test_browser.py 10-pages` runs one flow.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BUILDDIR, SRCDIR, TAP, new_stack  # noqa: E402

CHROMIUM = os.environ.get("CH_CHROMIUM", "/usr/bin/chromium")
BDIR = os.path.join(SRCDIR, "tests", "browser")
LOCK = os.path.join(BDIR, "package-lock.json")
STAMP = os.path.join(BDIR, "node_modules", ".chapterhouse-lock.sha256")
RUN_TIMEOUT = 900       # seconds; run.mjs stops itself after 600


def skip_all(why):
    print(f"1..0 # SKIP {why}", flush=True)
    sys.exit(0)


def node_major(node):
    try:
        out = subprocess.run([node, "--version"], capture_output=True,
                             text=True, timeout=30).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


if not os.access(CHROMIUM, os.X_OK):
    skip_all("chromium not installed")
NODE, NPM = shutil.which("node"), shutil.which("npm")
if NODE is None or NPM is None:
    skip_all("node or npm not installed")
if node_major(NODE) < 18:
    skip_all("playwright-core needs Node.js 18 or later")

t = TAP()


def lock_digest():
    with open(LOCK, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def installed_digest():
    try:
        with open(STAMP) as f:
            return f.read().strip()
    except OSError:
        return None


# -- the npm packages, exactly as locked ------------------------------------
want = lock_digest()
present = all(os.path.exists(os.path.join(BDIR, "node_modules", f)) for f in
              ("playwright-core/package.json", "axe-core/axe.min.js"))
if installed_digest() == want and present:
    t.ok(present, "the locked npm packages are installed (package-lock.json unchanged)")
else:
    p = subprocess.run([NPM, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                        "--loglevel=error"], cwd=BDIR, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    if not t.ok(p.returncode == 0, "npm ci installs the locked playwright-core and axe-core",
                p.stdout[-3000:]):
        sys.exit(1)
    with open(STAMP, "w") as f:
        f.write(want + "\n")

# -- the stack and the browser ------------------------------------------------
s = new_stack(workers=2)
workers = s.app_workers()
# The accounts flow accepts the hub's use rules: publish version 1.
s.psql("INSERT INTO use_rules (version, body) VALUES "
       "(1, '# Use rules\n\nBe kind, be accurate, write as yourself.')")
# The workspaces flow: a requester and a hub admin who accepted the rules.
PERSON_PW = "tundra violet harbor 31"
for who, roles in (("ws-owner@example.org", []), ("ws-admin@example.org", ["admin"]),
                   ("ws-member@example.org", []), ("ws-comms@example.org", ["communicator"])):
    argv = [s.binary, "--config", s.conf, "user", "add", "--email", who,
            "--password-stdin"]
    for role in roles:
        argv += ["--hub-role", role]
    s.sh(argv, input=PERSON_PW + "\n")
s.psql("INSERT INTO use_rule_acceptances (person_id, version) "
       "SELECT id, 1 FROM people WHERE email LIKE 'ws-%'")
# The members flow: the approved unit "harbour", owned by mb-owner, with
# members to manage; all have accepted the rules.
MEMBERS = (("mb-owner", "Mira Owner", "owner"), ("mb-author", "Otto Author", "author"),
           ("mb-editor", "Edda Editor", "editor"), ("mb-remove", "Remy Removed", "author"),
           ("mb-leaver", "Lea Leaver", "author"))
for who, name, _ in MEMBERS:
    s.sh([s.binary, "--config", s.conf, "user", "add", "--email", f"{who}@example.org",
          "--name", name, "--password-stdin"], input=PERSON_PW + "\n")
s.psql("INSERT INTO use_rule_acceptances (person_id, version) "
       "SELECT id, 1 FROM people WHERE email LIKE 'mb-%'")
s.psql("INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by) "
       "SELECT 'harbour', 'Harbour Chapter', 'chapter', 'News of the harbour.', "
       "'Boat owners', 'approved', id FROM people WHERE email = 'mb-owner@example.org'")
s.psql("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, v.role "
       "FROM units u, people p JOIN (VALUES " +
       ", ".join(f"('{who}@example.org', '{role}')" for who, _, role in MEMBERS) +
       ") v(email, role) ON v.email = p.email WHERE u.slug = 'harbour'")
# The home flow: an invitation to "harbour" waiting for ws-comms, addressed
# in another case.
s.psql("INSERT INTO invitations (token_hash, unit_id, email, role, invited_by, expires_at) "
       "SELECT sha256('home flow'::bytea), u.id, 'WS-Comms@Example.org', 'author', p.id, "
       "now() + interval '7 days' FROM units u, people p "
       "WHERE u.slug = 'harbour' AND p.email = 'mb-owner@example.org'")
# The preview flow: pv-author writes a draft in "harbour".
s.sh([s.binary, "--config", s.conf, "user", "add", "--email", "pv-author@example.org",
      "--name", "Pia Author", "--password-stdin"], input=PERSON_PW + "\n")
s.psql("INSERT INTO use_rule_acceptances (person_id, version) "
       "SELECT id, 1 FROM people WHERE email = 'pv-author@example.org'")
s.psql("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'author' "
       "FROM units u, people p WHERE u.slug = 'harbour' AND p.email = 'pv-author@example.org'")
s.psql("INSERT INTO posts (unit_id, author_id) SELECT u.id, p.id FROM units u, people p "
       "WHERE u.slug = 'harbour' AND p.email = 'pv-author@example.org'")
s.psql("INSERT INTO post_revisions (unit_id, post_id, author_id, title, body) "
       "SELECT unit_id, id, author_id, 'Regatta on Sunday', "
       "E'# Regatta\\n\\nBoats leave the **harbour** at ten.' FROM posts "
       "WHERE author_id = (SELECT id FROM people WHERE email = 'pv-author@example.org')")
# The posts flow: the approved unit "pier", owned by po-owner, who writes;
# all have accepted the rules.
for who, name in (("po-owner", "Pia Owner"), ("po-phone", "Pat Phone")):
    s.sh([s.binary, "--config", s.conf, "user", "add", "--email", f"{who}@example.org",
          "--name", name, "--password-stdin"], input=PERSON_PW + "\n")
s.psql("INSERT INTO use_rule_acceptances (person_id, version) "
       "SELECT id, 1 FROM people WHERE email LIKE 'po-%'")
s.psql("INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by) "
       "SELECT 'pier', 'Pier Chapter', 'chapter', 'News of the pier.', "
       "'Anglers', 'approved', id FROM people WHERE email = 'po-owner@example.org'")
s.psql("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'owner' "
       "FROM units u, people p WHERE u.slug = 'pier' AND p.email LIKE 'po-%'")
# The review flow: the approved unit "quay", where rv-author wrote a post
# that rv-editor reviews.
for who, name in (("rv-author", "Rhea Author"), ("rv-editor", "Rolf Editor")):
    s.sh([s.binary, "--config", s.conf, "user", "add", "--email", f"{who}@example.org",
          "--name", name, "--password-stdin"], input=PERSON_PW + "\n")
s.psql("INSERT INTO use_rule_acceptances (person_id, version) "
       "SELECT id, 1 FROM people WHERE email LIKE 'rv-%'")
s.psql("INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by) "
       "SELECT 'quay', 'Quay Chapter', 'chapter', 'News of the quay.', 'Sailors', "
       "'approved', id FROM people WHERE email = 'rv-author@example.org'")
s.psql("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, "
       "CASE p.email WHEN 'rv-author@example.org' THEN 'owner' ELSE 'editor' END "
       "FROM units u, people p WHERE u.slug = 'quay' AND p.email LIKE 'rv-%'")
REVIEW_POST = s.psql("INSERT INTO posts (unit_id, author_id) SELECT u.id, p.id FROM units u, "
                     "people p WHERE u.slug = 'quay' AND p.email = 'rv-author@example.org' "
                     "RETURNING id").stdout.split()[0]
s.psql("INSERT INTO post_revisions (unit_id, post_id, author_id, title, body) "
       "SELECT unit_id, id, author_id, 'Opening day', 'The café opens at nine.' || "
       "chr(10) || chr(10) || 'The quick brown fox jumps over the lazy dog.' "
       f"FROM posts WHERE id = {REVIEW_POST}")
# The guidelines flow: the hub communicator gs-hub adds a rule; gs-author
# owns the approved unit "dock" and has a draft there.
for who, name, roles in (("gs-hub", "Gil Hub", ["--hub-role", "communicator"]),
                         ("gs-author", "Gus Author", [])):
    s.sh([s.binary, "--config", s.conf, "user", "add", "--email", f"{who}@example.org",
          "--name", name, "--password-stdin", *roles], input=PERSON_PW + "\n")
s.psql("INSERT INTO use_rule_acceptances (person_id, version) "
       "SELECT id, 1 FROM people WHERE email LIKE 'gs-%'")
s.psql("INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by) "
       "SELECT 'dock', 'Dock Chapter', 'chapter', 'News of the dock.', 'Fishers', "
       "'approved', id FROM people WHERE email = 'gs-author@example.org'")
s.psql("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'owner' "
       "FROM units u, people p WHERE u.slug = 'dock' AND p.email = 'gs-author@example.org'")
GUIDE_POST = s.psql("INSERT INTO posts (unit_id, author_id) SELECT u.id, p.id FROM units u, "
                    "people p WHERE u.slug = 'dock' AND p.email = 'gs-author@example.org' "
                    "RETURNING id").stdout.split()[0]
s.psql("INSERT INTO post_revisions (unit_id, post_id, author_id, title, body) "
       "SELECT unit_id, id, author_id, 'Market day', 'Fresh fish every morning.' "
       f"FROM posts WHERE id = {GUIDE_POST}")
# The training flow: tr-hr writes a course and assigns it to the approved
# unit "wharf", where tr-member (who has a draft) and tr-editor work.
for who, name, roles in (("tr-hr", "Tara HR", ["--hub-role", "hr"]),
                         ("tr-member", "Tom Member", []),
                         ("tr-editor", "Tess Editor", [])):
    s.sh([s.binary, "--config", s.conf, "user", "add", "--email", f"{who}@example.org",
          "--name", name, "--password-stdin", *roles], input=PERSON_PW + "\n")
s.psql("INSERT INTO use_rule_acceptances (person_id, version) "
       "SELECT id, 1 FROM people WHERE email LIKE 'tr-%'")
s.psql("INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by) "
       "SELECT 'wharf', 'Wharf Chapter', 'chapter', 'News of the wharf.', 'Dockers', "
       "'approved', id FROM people WHERE email = 'tr-editor@example.org'")
s.psql("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, "
       "CASE p.email WHEN 'tr-member@example.org' THEN 'author' ELSE 'editor' END "
       "FROM units u, people p WHERE u.slug = 'wharf' AND p.email IN "
       "('tr-member@example.org', 'tr-editor@example.org')")
TRAIN_POST = s.psql("INSERT INTO posts (unit_id, author_id) SELECT u.id, p.id FROM units u, "
                    "people p WHERE u.slug = 'wharf' AND p.email = 'tr-member@example.org' "
                    "RETURNING id").stdout.split()[0]
s.psql("INSERT INTO post_revisions (unit_id, post_id, author_id, title, body) "
       "SELECT unit_id, id, author_id, 'Regatta', 'Boats at ten.' "
       f"FROM posts WHERE id = {TRAIN_POST}")
artifacts = os.environ.get("CH_BROWSER_ARTIFACTS") or os.path.join(
    BUILDDIR, "tests", "browser", "artifacts")
env = dict(os.environ,
           CH_BASE_URL=f"http://127.0.0.1:{s.port}",
           CH_BROWSER_ARTIFACTS=artifacts,
           CH_CHROMIUM=CHROMIUM,
           CH_SRCDIR=SRCDIR,
           CH_BUILDDIR=BUILDDIR,
           CH_MAIL_DIR=s.maildir,
           CH_PERSON_PW=PERSON_PW,
           CH_REVIEW_POST=REVIEW_POST,
           CH_GUIDE_POST=GUIDE_POST,
           CH_TRAIN_POST=TRAIN_POST,
           CH_WORKER_ONCE=json.dumps([s.binary, "--config", s.conf, "worker", "--once"]))

proc = subprocess.Popen([NODE, os.path.join(BDIR, "run.mjs"), *sys.argv[1:]],
                        cwd=BDIR, env=env, stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True, start_new_session=True)
timed_out = threading.Event()


def stop_run():
    # The run's own process group: node and the Chromium it started.
    timed_out.set()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


timer = threading.Timer(RUN_TIMEOUT, stop_run)
timer.start()
POINT = re.compile(r"^(ok|not ok) \d+(?: - (.*))?$")
plan = None
relayed = failed = 0
bailed = None
for line in proc.stdout:
    line = line.rstrip("\n")
    m = POINT.match(line)
    if m:
        relayed += 1
        desc = m.group(2) or ""
        if " # SKIP" in desc and m.group(1) == "ok":
            name, why = desc.split(" # SKIP", 1)
            t.skip(name, why.strip())
        else:
            failed += m.group(1) != "ok"
            t.ok(m.group(1) == "ok", desc)
    elif re.match(r"^1\.\.\d+$", line):
        plan = int(line[3:])
    elif line.startswith("Bail out!"):
        bailed = line
        print(f"# {line}", flush=True)
    elif line.startswith("#"):
        print(line, flush=True)
    elif line.strip():
        print(f"# {line}", flush=True)
rc = proc.wait()
timer.cancel()

finished = (not timed_out.is_set() and bailed is None and relayed > 0 and
            plan == relayed and rc == (1 if failed else 0))
t.ok(finished, "the browser run finished: its plan, every result and a matching exit status",
     f"exit status {rc}, plan {plan}, {relayed} results of which {failed} failed"
     + (f", {bailed}" if bailed else "")
     + (f", killed after {RUN_TIMEOUT} s" if timed_out.is_set() else ""))
t.eq(s.app_workers(), workers, "no worker of the application died while the browser visited")
t.note(f"screenshots and axe-core reports: {artifacts}")
