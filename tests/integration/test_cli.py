"""test_cli.py: the chapterhouse command line and configuration errors."""

import atexit
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, BINARY, SRCDIR, new_stack, request, tempdir, wait_until  # noqa: E402

t = TAP()
work = tempdir("ch-cli-")
atexit.register(shutil.rmtree, work, True)
clean_env = {k: v for k, v in os.environ.items() if not k.startswith("CHAPTERHOUSE_")}


def run(*args, env=None, timeout=20):
    e = dict(clean_env)
    e.update(env or {})
    p = subprocess.run([BINARY, *args], cwd=work, env=e, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def conf(text, name="c.conf"):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


rc, out, err = run("version")
t.ok(rc == 0 and out.startswith("chapterhouse ") and out.strip().count(".") == 2, "version prints name and version",
     out + err)
t.eq(run("--version")[1], out, "--version says the same")
rc, out, err = run("--help")
t.ok(rc == 0 and all(c in out for c in ("serve", "migrate", "version", "--config")), "--help lists commands", out)
for c in ("serve", "migrate", "version"):
    rc, out, err = run(c, "--help")
    t.ok(rc == 0 and out.startswith(f"usage: chapterhouse {c}"), f"{c} --help prints its usage", out + err)
rc, out, err = run("serve", "--help")
t.ok("max_body" in out and "CHAPTERHOUSE_" in out, "serve --help documents the configuration keys", out)
rc, out, err = run("frobnicate")
t.ok(rc == 2 and 'unknown command "frobnicate"' in err, "an unknown command is refused", err)
rc, out, err = run()
t.ok(rc == 2 and "usage" in err, "no command prints usage", err)

rc, out, err = run("--config", "missing.conf", "migrate")
t.ok(rc == 1 and 'could not open configuration file "missing.conf"' in err, "a missing --config file is an error",
     err)
p = conf("# comment\n\nworkers = 4\nmystery = 1\n")
rc, out, err = run("--config", p, "serve")
t.ok(rc == 1 and f"{p}:4: unknown key \"mystery\"" in err, "an unknown key names file and line", err)
p = conf("workers = lots\n")
rc, out, err = run("--config", p, "serve")
t.ok(rc == 1 and ":1: workers: expected" in err and '"lots"' in err, "a bad number names key and value", err)
p = conf("max_body = 10q\n")
rc, out, err = run("--config", p, "serve")
t.ok(rc == 1 and "max_body" in err, "a bad size is refused", err)
p = conf("log_level = loud\n")
rc, out, err = run("--config", p, "serve")
t.ok(rc == 1 and "log_level" in err, "a bad log level is refused", err)
p = conf("workers = 2\nworkers = 3\n")
rc, out, err = run("--config", p, "serve")
t.ok(rc == 1 and "set twice" in err, "a repeated key is refused", err)
p = conf("workers\n")
rc, out, err = run("--config", p, "serve")
t.ok(rc == 1 and "key = value" in err, "a line without = is refused", err)
rc, out, err = run("--config", conf(""), "serve", env={"CHAPTERHOUSE_WORKERS": "0"})
t.ok(rc == 1 and "CHAPTERHOUSE_WORKERS" in err, "a bad environment value names the variable", err)
rc, out, err = run("--config", conf(""), "serve", env={"CHAPTERHOUSE_WROKERS": "2"})
t.ok(rc == 1 and "unknown environment variable CHAPTERHOUSE_WROKERS" in err, "a misspelt variable is refused", err)

tdir = os.path.join(work, "tpl")
os.makedirs(tdir, exist_ok=True)
with open(os.path.join(tdir, "broken.html"), "w") as f:
    f.write("<p>fine</p>\n<p>{{#open}}never closed</p>\n")
rc, out, err = run("--config", conf(f"templates_dir = {tdir}\n"), "serve")
t.ok(rc == 1 and f"{tdir}/broken.html:2:" in err and "open" in err,
     "a template that does not compile stops startup naming file, line and column", err)
rc, out, err = run("--config", conf(f"templates_dir = {work}/none\n"), "serve")
t.ok(rc == 1 and "could not open the templates directory" in err, "a missing templates directory is an error", err)

# serve: environment wins over the file; a second server may not steal the socket.
sock = os.path.join(work, "app.sock")
p = conf(f'listen = {os.path.join(work, "other.sock")}\nworkers = 1\n'
         f'templates_dir = {os.path.join(SRCDIR, "templates")}\n'
         f'database = "host={work} dbname=none connect_timeout=1"\nsocket_mode = 0600\n', "serve.conf")
env = dict(clean_env, CHAPTERHOUSE_LISTEN=sock)
first = subprocess.Popen([BINARY, "--config", p, "serve"], cwd=work, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
up = wait_until(lambda: os.path.exists(sock), timeout=10)
t.ok(up, "serve listens where CHAPTERHOUSE_LISTEN says, over the file")
if up:
    t.eq(stat.S_IMODE(os.stat(sock).st_mode), 0o600, "the socket has socket_mode")
    rc, out, err = run("--config", p, "serve", env={"CHAPTERHOUSE_LISTEN": sock})
    t.ok(rc == 1 and "another server is answering there" in err, "a second server refuses the live socket", err)
    t.ok(os.path.exists(sock) and first.poll() is None, "the first server keeps its socket")
time.sleep(0.2)
first.send_signal(signal.SIGTERM)
try:
    out = first.communicate(timeout=15)[0]
except subprocess.TimeoutExpired:
    first.kill()
    out = first.communicate()[0]
t.eq(first.returncode, 0, "SIGTERM stops serve with status 0")
t.ok("serving on" in out and "stopped" in out and "could not connect to the database" in out,
     "it logged start, the unreachable database, and stop", out)
t.ok(all(line.startswith("ts=") and " level=" in line and " msg=\"" in line
         for line in out.strip().splitlines()), "every log line is logfmt", out)
t.ok(not os.path.exists(sock), "the socket is removed on stop")

# -- serve and worker refuse a role row-level security does not hold --------
# A superuser, a BYPASSRLS role or the schema owner (here the cluster's
# superuser; a member inherits its privileges) would see every row.
s = new_stack(workers=1, start=False)
s._dirs()
s.pg_init()
s.pg_start()
s.db_create()
s.write_conf()
s.migrate()
s.app_role()
s.psql("CREATE ROLE ch_bypass LOGIN BYPASSRLS IN ROLE chapterhouse_web; "
       f"CREATE ROLE ch_heir LOGIN IN ROLE chapterhouse_web, {s.superuser}")
for who, why in ((s.superuser, f'role \\"{s.superuser}\\" is a superuser'),
                 ("ch_bypass", 'role \\"ch_bypass\\" bypasses row-level security'),
                 ("ch_heir", 'role \\"ch_heir\\" has the privileges of the schema owner')):
    p = s.sh([s.binary, "--config", s.conf, "serve"], check=False, timeout=20,
             env={"CHAPTERHOUSE_DATABASE": s.conninfo(user=who)})
    t.ok(p.returncode == 1 and "refusing to work as the database role" in p.stdout and why in p.stdout,
         f"serve as {who} exits 1 saying why", p.stdout)
    t.ok(not os.path.exists(s.app_sock), f"and never listened as {who}")
p = s.sh([s.binary, "--config", s.conf, "worker"], check=False, timeout=20,
         env={"CHAPTERHOUSE_WORKER_DATABASE": s.conninfo(user=s.superuser)})
t.ok(p.returncode == 1 and "is a superuser" in p.stdout, "the job worker refuses the superuser too, and exits 1",
     p.stdout)
p = s.sh([s.binary, "--config", s.conf, "worker"], check=False, timeout=20,
         env={"CHAPTERHOUSE_WORKER_DATABASE": s.conninfo(user="ch_bypass")})
t.ok(p.returncode == 1 and "bypasses row-level security" in p.stdout, "and a BYPASSRLS role", p.stdout)

# A running server keeps its configuration when a reload names such a role.
s.app_start()
offset = os.path.getsize(s.app_log)
workers = s.app_workers()
s.write_conf(database=s.conninfo(user="ch_bypass"))
os.kill(s.app_pid(), signal.SIGHUP)


def reload_said():
    with open(s.app_log) as f:
        f.seek(offset)
        return "reload refused" in f.read()


t.ok(wait_until(reload_said, timeout=15), "a reload to a BYPASSRLS role is refused")
t.eq(s.app_workers(), workers, "and the workers keep serving")
s.write_conf()

# Each FastCGI worker checks its role at every connection: a role given
# BYPASSRLS under a running server is refused (503) until it is taken back.
s.nginx_start()
t.eq(request(s.port, "GET", "/healthz").status, 200, "the server answers as chapterhouse_app")
s.psql("ALTER ROLE chapterhouse_app BYPASSRLS")
offset = os.path.getsize(s.app_log)
for pid in s.app_workers():
    os.kill(pid, signal.SIGKILL)
t.ok(wait_until(lambda: s.app_workers() and set(s.app_workers()).isdisjoint(workers), timeout=15),
     "a new worker replaced the killed one")
t.eq(request(s.port, "GET", "/healthz").status, 503, "a worker connecting as a BYPASSRLS role answers 503")
with open(s.app_log) as f:
    f.seek(offset)
    said = f.read()
t.ok('role \\"chapterhouse_app\\" bypasses row-level security' in said, "and logs why", said)
s.psql("ALTER ROLE chapterhouse_app NOBYPASSRLS")
t.eq(request(s.port, "GET", "/healthz").status, 200, "once the role is fixed the next request succeeds")
