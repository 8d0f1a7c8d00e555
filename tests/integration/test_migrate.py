"""test_migrate.py: chapterhouse migrate against a real PostgreSQL.

Applies in order, does nothing the second time, and a failing migration
leaves the database as it was and names the file, the line and
PostgreSQL's message.
"""

import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, q  # noqa: E402

t = TAP()
s = new_stack(start=False)
s._dirs()
s.pg_init()
s.pg_start()
s.db_create()

# Only the first real migration: the test then adds its own after it.
sqldir = os.path.join(s.root, "sql")
os.makedirs(sqldir)
shutil.copy(os.path.join(s.srcdir, "sql", "001_foundation.sql"), sqldir)
s.write_conf(sql_dir=sqldir)
if s.as_root:
    s._dirs()  # hand the copied files to the account


def migrate(*args):
    p = s.chapterhouse("migrate", *args, check=False)
    return p.returncode, p.stdout


def write(name, text):
    with open(os.path.join(sqldir, name), "w") as f:
        f.write(text)
    if s.as_root:
        os.chown(os.path.join(sqldir, name), *s._ids())


rc, out = migrate()
t.eq(rc, 0, "first run succeeds")
t.ok("applied 001_foundation" in out, "it applies 001_foundation", out)
t.eq(q(s, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"), "1",
     "schema_migrations records version 1")
t.eq(q(s, "SELECT rolbypassrls::text || rolsuper::text || rolcanlogin::text FROM pg_roles "
       "WHERE rolname = 'chapterhouse_web'"), "falsefalsefalse",
     "the web role exists, cannot log in, bypass RLS or act as superuser")

rc, out = migrate()
t.eq(rc, 0, "second run succeeds")
t.ok("nothing to do" in out and "applied" not in out.replace("already applied", ""),
     "second run changes nothing", out)

write("002_widgets.sql", "CREATE TABLE widget (id integer PRIMARY KEY);\n"
      "INSERT INTO widget VALUES (1);\n")
write("003_broken.sql", "CREATE TABLE gadget (id integer);\n"
      "INSERT INTO gadget VALUES (1);\n"
      "\n"
      "SELEKT * FROM gadget;\n")
rc, out = migrate()
t.ok(rc != 0, "a failing migration exits non-zero", out)
t.ok("003_broken.sql" in out and "line 4" in out and 'syntax error at or near "SELEKT"' in out,
     "the error names the file, the line and PostgreSQL's message", out)
t.ok("applied 002_widgets" in out, "migrations before it were applied", out)
t.eq(q(s, "SELECT count(*) FROM pg_tables WHERE tablename = 'gadget'"), "0",
     "the failing file left nothing behind (its first statement rolled back)")
t.eq(q(s, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"), "1,2",
     "the failing file is not recorded")
rc, out = migrate("--status")
t.ok(rc == 0 and "applied  002_widgets" in out and "pending  003_broken" in out,
     "--status lists applied and pending migrations", out)

write("003_broken.sql", "CREATE TABLE gadget (id integer);\n")
rc, out = migrate()
t.ok(rc == 0 and "applied 003_broken" in out, "the fixed file applies", out)

write("002_widgets.sql", "CREATE TABLE widget (id bigint PRIMARY KEY);\n")
rc, out = migrate()
t.ok(rc != 0 and "002_widgets.sql was changed after it was applied" in out,
     "editing an applied migration is refused", out)
write("002_widgets.sql", "CREATE TABLE widget (id integer PRIMARY KEY);\n"
      "INSERT INTO widget VALUES (1);\n")

write("004_commits.sql", "CREATE TABLE sneaky (id integer);\nCOMMIT;\n")
rc, out = migrate()
t.ok(rc != 0 and "ended the transaction itself" in out, "a file with its own COMMIT is refused", out)
t.eq(q(s, "SELECT count(*) FROM schema_migrations WHERE version = 4"), "0", "and is not recorded")
os.unlink(os.path.join(sqldir, "004_commits.sql"))
s.psql("DROP TABLE IF EXISTS sneaky")

write("5_Bad-Name.sql", "SELECT 1;\n")
rc, out = migrate()
t.ok(rc != 0 and "5_Bad-Name.sql" in out and "NNN_name.sql" in out, "a badly named file is refused", out)
os.unlink(os.path.join(sqldir, "5_Bad-Name.sql"))

s.write_conf(sql_dir=sqldir, migrate_database=f"host={s.run} dbname=nope user={s.superuser}")
rc, out = migrate()
t.ok(rc != 0 and "could not connect" in out and 'database "nope" does not exist' in out,
     "an unreachable database is a clear error", out)
