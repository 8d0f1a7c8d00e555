"""stack.py: bring up and take down a private Chapterhouse stack.

One module serves both `tools/dev up/down` (the stack lives in ./var,
nginx on 127.0.0.1:8080) and the integration tests (a throwaway stack in a
temporary directory on a free port).  A stack is: a PostgreSQL 15 cluster
listening only on a unix socket in <root>/run, the chapterhouse FastCGI
server on <root>/run/app.sock, nginx in front of it, the job worker
(`chapterhouse worker`), and an SMTP catcher (tools/mailcatcher.py) on
127.0.0.1 that keeps every message the worker sends in <root>/mail/.

initdb refuses to run as root, so when run as root every server runs as
the unprivileged account "chapterhouse" (created when missing), which owns
<root>; nginx's master stays root and its workers use that account.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time

PG_BIN = "/usr/lib/postgresql/15/bin"
ACCOUNT = "chapterhouse"
NGINX = "/usr/sbin/nginx"
MAILCATCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mailcatcher.py")


def mail_python():
    """A Python that has aiosmtpd: Debian's (python3-aiosmtpd), which the
    unprivileged account can also run, else the one running this."""
    if os.path.exists("/usr/bin/python3"):
        return "/usr/bin/python3"
    return sys.executable


def _wait_line(path, offset, text, proc, timeout, what):
    """Wait until text appears in path after offset; raise if proc exits."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                if text.encode() in f.read():
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}; see {path}:\n"
                               + Stack.tail(path))
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not come up; see {path}:\n" + Stack.tail(path))


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not alive for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _read_pid(path):
    try:
        with open(path) as f:
            return int(f.readline().strip())
    except (OSError, ValueError):
        return None


def children(pid):
    """Pids of the live children of pid (scans /proc)."""
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            kids.append(int(d))
    return sorted(kids)


class Stack:
    """A PostgreSQL cluster, the FastCGI server and nginx under root."""

    def __init__(self, root, srcdir, binary, port=8080, workers="auto",
                 durable=True, quiet=False, smtp_port=2525):
        self.root = os.path.abspath(root)
        self.srcdir = os.path.abspath(srcdir)
        self.binary = os.path.abspath(binary)
        self.port = port
        self.workers = workers
        self.durable = durable
        self.quiet = quiet
        self.run = os.path.join(self.root, "run")
        self.auth_rate = "6000r/m"
        self.log = os.path.join(self.root, "log")
        self.pgdata = os.path.join(self.root, "pg", "data")
        self.ngdir = os.path.join(self.root, "nginx")
        self.conf = os.path.join(self.root, "chapterhouse.conf")
        self.app_sock = os.path.join(self.run, "app.sock")
        self.app_pidfile = os.path.join(self.run, "app.pid")
        self.app_log = os.path.join(self.log, "app.log")
        self.smtp_port = smtp_port
        self.maildir = os.path.join(self.root, "mail")
        self.mail_pidfile = os.path.join(self.run, "mail.pid")
        self.mail_log = os.path.join(self.log, "mail.log")
        self.worker_pidfile = os.path.join(self.run, "worker.pid")
        self.worker_log = os.path.join(self.log, "worker.log")
        self.as_root = os.geteuid() == 0
        self.user = ACCOUNT if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        if len(os.path.join(self.run, ".s.PGSQL.5432")) > 100:
            raise SystemExit(f"stack: {self.root} is too deep for a unix "
                             "socket path (over 100 bytes); use a shorter path")

    # -- helpers ---------------------------------------------------------

    def say(self, msg):
        if not self.quiet:
            print(msg, flush=True)

    def _ids(self):
        pw = pwd.getpwnam(self.user)
        return pw.pw_uid, pw.pw_gid

    def _demote(self):
        """Keyword arguments for subprocess to run as the account."""
        if not self.as_root:
            return {}
        uid, gid = self._ids()
        return {"user": uid, "group": gid, "extra_groups": []}

    def sh(self, argv, check=True, capture=False, env=None, **kw):
        """Run argv as the account; raise with its output on failure."""
        full_env = dict(os.environ)
        if self.as_root:
            full_env["HOME"] = self.root
        full_env.update(env or {})
        p = subprocess.run(argv, env=full_env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           cwd=self.root, **self._demote(), **kw)
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({p.returncode}):\n{p.stdout}")
        return p if capture or not check else p

    def _ensure_account(self):
        if not self.as_root:
            return
        try:
            pwd.getpwnam(ACCOUNT)
        except KeyError:
            subprocess.run(["useradd", "--system", "--user-group",
                            "--no-create-home", "--home-dir", "/nonexistent",
                            "--shell", "/usr/sbin/nologin", ACCOUNT], check=True)
            self.say(f"created the unprivileged account {ACCOUNT} (initdb refuses root)")

    def _ensure_traversable(self):
        """Let the account reach the stack, the sources and the binary.

        Adds o+x (search, not listing) to each directory on the way that
        lacks it, and says so: a checkout in a mktemp directory is 0700.
        """
        if not self.as_root:
            return
        for path in (self.root, self.srcdir, os.path.dirname(self.binary)):
            d = path
            while d and d != "/":
                st = os.stat(d)
                if not st.st_mode & 0o001:
                    os.chmod(d, st.st_mode | 0o001)
                    self.say(f"note: made {d} traversable (o+x) for {ACCOUNT}")
                d = os.path.dirname(d)

    def _dirs(self):
        self._ensure_account()
        for d in (self.root, self.run, self.log, os.path.dirname(self.pgdata),
                  self.ngdir, os.path.join(self.ngdir, "tmp"), self.maildir):
            os.makedirs(d, exist_ok=True)
        os.chmod(self.run, 0o700)
        if self.as_root:
            uid, gid = self._ids()
            for base, dirs, files in os.walk(self.root):
                os.chown(base, uid, gid)
                for f in files:
                    os.lchown(os.path.join(base, f), uid, gid)
            self._ensure_traversable()

    # -- PostgreSQL ------------------------------------------------------

    @property
    def superuser(self):
        return self.user

    def conninfo(self, user=None, dbname="chapterhouse"):
        return f"host={self.run} dbname={dbname} user={user or 'chapterhouse_app'}"

    def pg_running(self):
        p = self.sh([f"{PG_BIN}/pg_ctl", "status", "-D", self.pgdata], check=False)
        return p.returncode == 0

    def pg_init(self):
        if os.path.exists(os.path.join(self.pgdata, "PG_VERSION")):
            return False
        self.say("initializing PostgreSQL cluster")
        self.sh([f"{PG_BIN}/initdb", "-D", self.pgdata, "-U", self.superuser,
                 "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
        extra = [
            "listen_addresses = ''",
            f"unix_socket_directories = '{self.run}'",
            "unix_socket_permissions = 0700",
            "max_connections = 100",
            "shared_buffers = 128MB",
            "log_min_messages = warning",
            "log_line_prefix = '%m [%p] %q%u@%d '",
        ]
        if not self.durable:
            extra += ["fsync = off", "synchronous_commit = off",
                      "full_page_writes = off"]
        with open(os.path.join(self.pgdata, "postgresql.conf"), "a") as f:
            f.write("\n# chapterhouse stack\n" + "\n".join(extra) + "\n")
        return True

    def pg_start(self):
        if self.pg_running():
            return False
        self.say("starting PostgreSQL")
        self.sh([f"{PG_BIN}/pg_ctl", "start", "-w", "-t", "60", "-D", self.pgdata,
                 "-l", os.path.join(self.log, "postgresql.log")])
        return True

    def pg_stop(self, mode="fast"):
        if self.pg_running():
            self.say("stopping PostgreSQL")
            self.sh([f"{PG_BIN}/pg_ctl", "stop", "-w", "-t", "60", "-m", mode,
                     "-D", self.pgdata], check=False)

    def psql(self, sql, dbname="chapterhouse", user=None, check=True):
        return self.sh(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At",
                        "-h", self.run, "-U", user or self.superuser,
                        "-d", dbname, "-c", sql], check=check)

    def db_create(self):
        have = self.psql("SELECT 1 FROM pg_database WHERE datname = 'chapterhouse'",
                         dbname="postgres").stdout.strip()
        if not have:
            self.say("creating database chapterhouse")
            self.psql("CREATE DATABASE chapterhouse", dbname="postgres")

    # The login role of each process and the group role (created by the
    # migrations) it is a member of: the web server (database), the job
    # worker (worker_database), "chapterhouse user" (cli_database).
    LOGINS = (("chapterhouse_app", "chapterhouse_web"),
              ("chapterhouse_jobs", "chapterhouse_worker"),
              ("chapterhouse_admin", "chapterhouse_cli"))

    def app_role(self):
        """The login roles of the processes (LOGINS); after migrate."""
        for login, group in self.LOGINS:
            self.psql(f"""DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{login}') THEN
                    CREATE ROLE {login} LOGIN NOSUPERUSER NOCREATEDB
                        NOCREATEROLE NOBYPASSRLS IN ROLE {group};
                END IF; END $$""")

    # -- the application -------------------------------------------------

    def write_conf(self, **overrides):
        keys = {
            "listen": self.app_sock,
            "socket_mode": "0660",
            "workers": str(self.workers),
            "database": self.conninfo(),
            "worker_database": self.conninfo(user="chapterhouse_jobs"),
            "cli_database": self.conninfo(user="chapterhouse_admin"),
            "migrate_database": self.conninfo(user=self.superuser),
            "sql_dir": os.path.join(self.srcdir, "sql"),
            "templates_dir": os.path.join(self.srcdir, "templates"),
            "log_level": "info",
            "shutdown_timeout": "10",
            "db_connect_timeout": "2",
            "smtp_url": f"smtp://127.0.0.1:{self.smtp_port}",
            "public_url": f"http://127.0.0.1:{self.port}",
        }
        keys.update(overrides)
        with open(self.conf, "w") as f:
            f.write("# written by tools/stack.py; edit conf/chapterhouse.conf for docs\n")
            for k, v in keys.items():
                f.write(f'{k} = "{v}"\n')
        if self.as_root:
            os.chown(self.conf, *self._ids())

    def chapterhouse(self, *args, check=True, env=None):
        return self.sh([self.binary, "--config", self.conf, *args], check=check, env=env)

    def migrate(self):
        p = self.chapterhouse("migrate")
        self.say(p.stdout.strip())

    def app_pid(self):
        pid = _read_pid(self.app_pidfile)
        return pid if pid and _alive(pid) else None

    def app_workers(self):
        pid = self.app_pid()
        return children(pid) if pid else []

    def app_start(self, wait=True, env=None):
        if self.app_pid():
            return False
        self.say("starting the FastCGI server")
        full_env = dict(os.environ)
        full_env.update(env or {})
        logf = open(self.app_log, "ab")
        p = subprocess.Popen([self.binary, "--config", self.conf, "serve"],
                             stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                             cwd=self.root, env=full_env, start_new_session=True,
                             **self._demote())
        logf.close()
        with open(self.app_pidfile, "w") as f:
            f.write(f"{p.pid}\n")
        self._app_proc = p
        if wait:
            deadline = time.time() + 20
            n = None
            while time.time() < deadline:
                if p.poll() is not None:
                    raise RuntimeError(f"chapterhouse serve exited with {p.returncode}; see {self.app_log}:\n"
                                       + self.tail(self.app_log))
                n = len(self.app_workers())
                if os.path.exists(self.app_sock) and n > 0:
                    return True
                time.sleep(0.05)
            raise RuntimeError(f"chapterhouse serve did not come up; see {self.app_log}")
        return True

    def app_stop(self, timeout=30):
        pid = self.app_pid()
        if not pid:
            return None
        self.say("stopping the FastCGI server")
        os.kill(pid, signal.SIGTERM)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if getattr(self, "_app_proc", None) is not None:
                if self._app_proc.poll() is not None:
                    return self._app_proc.returncode
            elif not _alive(pid):
                return 0
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        return -9

    # -- the SMTP catcher ------------------------------------------------

    def mail_pid(self):
        pid = _read_pid(self.mail_pidfile)
        return pid if pid and _alive(pid) else None

    def mail_start(self):
        """Start tools/mailcatcher.py on 127.0.0.1:smtp_port, writing to
        maildir; returns once it accepts connections."""
        if self.mail_pid():
            return False
        self.say(f"starting the SMTP catcher on 127.0.0.1:{self.smtp_port} "
                 f"(messages in {os.path.relpath(self.maildir)}/)")
        os.makedirs(self.maildir, exist_ok=True)
        if self.as_root:
            os.chown(self.maildir, *self._ids())
        offset = _size(self.mail_log)
        logf = open(self.mail_log, "ab")
        p = subprocess.Popen([mail_python(), MAILCATCHER, "--host", "127.0.0.1",
                              "--port", str(self.smtp_port), "--dir", self.maildir],
                             stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                             cwd=self.root, start_new_session=True, **self._demote())
        logf.close()
        with open(self.mail_pidfile, "w") as f:
            f.write(f"{p.pid}\n")
        self._mail_proc = p
        _wait_line(self.mail_log, offset, "mailcatcher listening on", p, 20,
                   "the SMTP catcher")
        return True

    def mail_stop(self, timeout=10):
        pid = self.mail_pid()
        if not pid:
            return None
        self.say("stopping the SMTP catcher")
        return self._stop(pid, getattr(self, "_mail_proc", None), timeout)

    def _stop(self, pid, proc, timeout):
        """SIGTERM pid, wait for it, SIGKILL after timeout; its status."""
        os.kill(pid, signal.SIGTERM)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc is not None and proc.pid == pid:
                if proc.poll() is not None:
                    return proc.returncode
            elif not _alive(pid):
                return 0
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        if proc is not None:
            proc.wait()
        return -9

    def mails(self):
        """Paths of the messages caught so far, oldest first."""
        try:
            names = os.listdir(self.maildir)
        except OSError:
            return []
        return [os.path.join(self.maildir, n) for n in sorted(names)
                if n.endswith(".eml") and not n.startswith(".")]

    # -- the job worker --------------------------------------------------

    def worker_spawn(self, *args, env=None):
        """Start `chapterhouse worker ARGS` (as the account), logging to
        worker.log; returns the Popen.  For tests that need several."""
        full_env = dict(os.environ)
        full_env.update(env or {})
        logf = open(self.worker_log, "ab")
        p = subprocess.Popen([self.binary, "--config", self.conf, "worker", *args],
                             stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                             cwd=self.root, env=full_env, start_new_session=True,
                             **self._demote())
        logf.close()
        return p

    def worker_pid(self):
        pid = _read_pid(self.worker_pidfile)
        return pid if pid and _alive(pid) else None

    def worker_start(self, env=None):
        """Start the job worker; returns once it listens for jobs."""
        if self.worker_pid():
            return False
        self.say("starting the job worker")
        offset = _size(self.worker_log)
        p = self.worker_spawn(env=env)
        with open(self.worker_pidfile, "w") as f:
            f.write(f"{p.pid}\n")
        self._worker_proc = p
        _wait_line(self.worker_log, offset, "listening for jobs", p, 20,
                   "chapterhouse worker")
        return True

    def worker_stop(self, timeout=30):
        pid = self.worker_pid()
        if not pid:
            return None
        self.say("stopping the job worker")
        return self._stop(pid, getattr(self, "_worker_proc", None), timeout)

    # -- nginx -----------------------------------------------------------

    def nginx_conf(self):
        """Render conf/nginx.conf for this stack and a main file around it."""
        with open(os.path.join(self.srcdir, "conf", "nginx.conf")) as f:
            server = f.read()
        server = (server
                  .replace("unix:/run/chapterhouse/chapterhouse.sock", f"unix:{self.app_sock}")
                  .replace("/usr/local/share/chapterhouse/static/",
                           os.path.join(self.srcdir, "static") + "/")
                  .replace("listen 80;", f"listen 127.0.0.1:{self.port};")
                  .replace("/var/lib/nginx/chapterhouse",
                           os.path.join(self.ngdir, "cache")))
        if self.auth_rate:
            # Tests log in far more often than a person; one test
            # restores the real limit to check it.
            server = server.replace("rate=20r/m", f"rate={self.auth_rate}")
        tmp = os.path.join(self.ngdir, "tmp")
        main = f"""# written by tools/stack.py from conf/nginx.conf
{"user " + ACCOUNT + ";" if self.as_root else ""}
worker_processes 1;
pid {self.ngdir}/nginx.pid;
error_log {self.log}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log off;
	sendfile on;
	client_body_temp_path {tmp}/body;
	fastcgi_temp_path {tmp}/fastcgi;
	proxy_temp_path {tmp}/proxy;
	uwsgi_temp_path {tmp}/uwsgi;
	scgi_temp_path {tmp}/scgi;
	include {self.ngdir}/server.conf;
}}
"""
        with open(os.path.join(self.ngdir, "server.conf"), "w") as f:
            f.write(server)
        with open(os.path.join(self.ngdir, "nginx.conf"), "w") as f:
            f.write(main)
        return os.path.join(self.ngdir, "nginx.conf")

    def nginx_pid(self):
        pid = _read_pid(os.path.join(self.ngdir, "nginx.pid"))
        return pid if pid and _alive(pid) else None

    def nginx_start(self):
        if self.nginx_pid():
            return False
        self.say(f"starting nginx on http://127.0.0.1:{self.port}/")
        conf = self.nginx_conf()
        argv = [NGINX, "-p", self.ngdir, "-e", f"{self.log}/nginx-error.log", "-c", conf]
        # The master stays root (if we are) so the user directive applies.
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"nginx failed to start:\n{p.stdout}")
        deadline = time.time() + 10
        while time.time() < deadline and not self.nginx_pid():
            time.sleep(0.05)
        return True

    def nginx_stop(self):
        pid = self.nginx_pid()
        if not pid:
            return
        self.say("stopping nginx")
        os.kill(pid, signal.SIGQUIT)
        deadline = time.time() + 10
        while time.time() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)

    # -- the whole -------------------------------------------------------

    def up(self):
        self._dirs()
        self.pg_init()
        self.pg_start()
        self.db_create()
        self.write_conf()
        self.migrate()
        self.app_role()
        self.app_start()
        self.mail_start()
        self.worker_start()
        self.nginx_start()
        return f"http://127.0.0.1:{self.port}/"

    # Demo people, all with the password DEMO_PASSWORD; owner@ owns the
    # approved unit north-chapter and author@ writes in it.
    DEMO_PASSWORD = "chapterhouse-demo"
    DEMO_PEOPLE = [
        ("admin@demo.test", "Ada Admin", ["admin"]),
        ("comms@demo.test", "Cory Communicator", ["communicator"]),
        ("hr@demo.test", "Harper HR", ["hr"]),
        ("owner@demo.test", "Olu Owner", []),
        ("author@demo.test", "Avery Author", []),
        ("editor@demo.test", "Eden Editor", []),
        ("guest@demo.test", "Gale Guest", []),
        ("region@demo.test", "Remy Region", []),
    ]
    DEMO_RULES = """# Use rules

These rules apply to everyone who publishes through this hub.

1. **Write as yourself.** Posts carry your name; speak for your unit only
   where your unit agreed.
2. **Respect people.** No harassment, no personal data of others without
   their consent.
3. **Be accurate.** Correct mistakes openly; link your sources.
4. **Suggestions are suggestions.** Reviewers and checks propose; the
   author decides.
"""

    def demo(self):
        """Load the demo data (never done by migrations); idempotent."""
        for email, name, roles in self.DEMO_PEOPLE:
            argv = [self.binary, "--config", self.conf, "user", "add",
                    "--email", email, "--name", name, "--password-stdin"]
            for r in roles:
                argv += ["--hub-role", r]
            self.sh(argv, input=self.DEMO_PASSWORD + "\n")
        # The confederation: ten units in every state (tools/demo.sql).
        with open(os.path.join(self.srcdir, "tools", "demo.sql")) as f:
            self.psql("BEGIN;\n" + f.read() + "\nCOMMIT;")
        # The training catalog (tools/demo_training.sql), after demo.sql.
        with open(os.path.join(self.srcdir, "tools", "demo_training.sql")) as f:
            self.psql("BEGIN;\n" + f.read() + "\nCOMMIT;")
        body = self.DEMO_RULES.replace("'", "''")
        self.psql("INSERT INTO use_rules (version, body, published_by) "
                  "SELECT 1, '%s', id FROM people WHERE email = 'admin@demo.test' "
                  "ON CONFLICT DO NOTHING" % body)

    def down(self):
        self.nginx_stop()
        self.worker_stop()
        self.mail_stop()
        self.app_stop()
        self.pg_stop()

    @staticmethod
    def tail(path, n=30):
        try:
            with open(path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    # What AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer
    # write to standard error (the logs) when they find something.
    SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                       "runtime error:")

    def sanitizer_reports(self):
        """The sanitizer reports in the server's and the job worker's logs,
        as (log name, excerpt) pairs.  Leaks are reported as a process
        exits, so read it after down()."""
        found = []
        for path in (self.app_log, self.worker_log):
            try:
                with open(path, errors="replace") as f:
                    lines = f.readlines()
            except OSError:
                continue
            for i, line in enumerate(lines):
                if any(m in line for m in self.SANITIZER_MARKS):
                    # The summary first: the excerpt may be cut short.
                    summary = [x for x in lines[i:] if "SUMMARY:" in x][:1]
                    found.append((os.path.basename(path),
                                  "".join(summary + lines[max(i - 2, 0):i + 30])))
                    break
        return found

    def destroy(self):
        """Stop everything and remove root (tests only); idempotent.
        Returns the sanitizer reports of the logs (sanitizer_reports()),
        read once everything has stopped and before root goes."""
        if not os.path.isdir(self.root):
            return []
        found = []
        try:
            self.down()
            found = self.sanitizer_reports()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
        return found


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(prog="stack.py")
    ap.add_argument("command", choices=["up", "down", "status"])
    ap.add_argument("--root", default="var")
    ap.add_argument("--srcdir", default=".")
    ap.add_argument("--binary", default="./chapterhouse")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--smtp-port", type=int, default=2525)
    a = ap.parse_args(argv)
    s = Stack(a.root, a.srcdir, a.binary, port=a.port, smtp_port=a.smtp_port)
    if a.command == "up":
        url = s.up()
        s.demo()
        print(f"\nChapterhouse is up: {url}")
        print(f"  logs: {os.path.relpath(s.log)}/  (app.log, worker.log, mail.log, "
              "postgresql.log, nginx-error.log)")
        print(f"  e-mail: caught on 127.0.0.1:{s.smtp_port}, one file per message in "
              f"{os.path.relpath(s.maildir)}/")
        print(f"  demo logins (password {Stack.DEMO_PASSWORD}): " +
              ", ".join(e for e, _, _ in Stack.DEMO_PEOPLE))
        print("  stop with: tools/dev down")
    elif a.command == "down":
        s.down()
        print("Chapterhouse is down.")
    else:
        print(f"postgresql: {'up' if s.pg_running() else 'down'}")
        print(f"app:        {'up, %d workers' % len(s.app_workers()) if s.app_pid() else 'down'}")
        print(f"worker:     {'up' if s.worker_pid() else 'down'}")
        print(f"mail:       {'up, 127.0.0.1:%d, %d messages in %s/' % (s.smtp_port, len(s.mails()), os.path.relpath(s.maildir)) if s.mail_pid() else 'down'}")
        print(f"nginx:      {'up' if s.nginx_pid() else 'down'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
