"""test_rls.py: row-level security proven in SQL with pgTAP.

Runs each tests/sql/*.sql file with psql against a freshly migrated
cluster and relays its TAP.  The files create pgTAP (Debian's
postgresql-15-pgtap) in a transaction they roll back.
"""

import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack  # noqa: E402

t = TAP()
if not os.path.exists("/usr/share/postgresql/15/extension/pgtap.control"):
    print("1..0 # SKIP pgTAP not installed (postgresql-15-pgtap)")
    sys.exit(0)
s = new_stack(start=False)
s._dirs()
s.pg_init()
s.pg_start()
s.db_create()
s.write_conf()
s.migrate()
s.app_role()

for path in sorted(glob.glob(os.path.join(s.srcdir, "tests", "sql", "*.sql"))):
    name = os.path.basename(path)
    p = s.sh(["psql", "-X", "-h", s.run, "-U", s.superuser, "-d", "chapterhouse",
              "-f", path], check=False)
    planned = None
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("ok ") or line.startswith("not ok "):
            ok = line.startswith("ok ")
            desc = line.split(" - ", 1)[1] if " - " in line else line
            t.ok(ok, f"{name}: {desc}")
        elif line.startswith("1.."):
            planned = int(line[3:])
        elif line.startswith("#"):
            print(line, flush=True)
    t.ok(p.returncode == 0 and planned is not None,
         f"{name}: psql ran it to the end with a plan", p.stdout[-2000:])
