"""test_db.py: run t_db (the transaction layer) against a real PostgreSQL."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BUILDDIR, new_stack  # noqa: E402

s = new_stack(start=False)
s._dirs()
s.pg_init()
s.pg_start()
s.db_create()
s.write_conf()
s.migrate()
s.app_role()
s.psql("CREATE TABLE db_probe (id integer PRIMARY KEY, who text NOT NULL); "
       "GRANT SELECT, INSERT ON db_probe TO chapterhouse_web")
p = subprocess.run([os.path.join(BUILDDIR, "tests", "integration", "t_db")],
                   env=dict(os.environ, CH_TEST_DB=s.conninfo()))
sys.stdout.flush()
sys.exit(p.returncode)
