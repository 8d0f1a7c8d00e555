"""test_apache.py: conf/apache.conf in front of the real binary.

Runs Debian's Apache 2.4 with the shipped virtual host (paths rewritten
for a throwaway stack) and checks that it serves the same application
as nginx does: pages, JSON, errors, static files.
"""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, request, wait_until  # noqa: E402
import stack as stackmod  # noqa: E402

t = TAP()
APACHE = "/usr/sbin/apache2"
MODS = "/usr/lib/apache2/modules"
if not os.path.exists(APACHE):
    t.skip("Apache 2.4 serves the application", "apache2 is not installed")
    sys.exit(0)

s = new_stack(workers=2)
port = stackmod.free_port()
with open(os.path.join(s.srcdir, "conf", "apache.conf")) as f:
    site = (f.read()
            .replace("<VirtualHost *:80>", f"<VirtualHost 127.0.0.1:{port}>")
            .replace("unix:/run/chapterhouse/chapterhouse.sock", f"unix:{s.app_sock}")
            .replace("/usr/local/share/chapterhouse/static/", os.path.join(s.srcdir, "static") + "/"))
adir = os.path.join(s.root, "apache")
os.makedirs(adir, exist_ok=True)
mods = ["mpm_event", "authz_core", "alias", "mime", "headers", "unique_id", "proxy", "proxy_fcgi"]
main = "\n".join([
    f"ServerRoot {adir}",
    f"PidFile {adir}/apache.pid",
    f"DefaultRuntimeDir {adir}",
    f"Mutex file:{adir}",
    f"Listen 127.0.0.1:{port}",
    "ServerName 127.0.0.1",
    *[f"LoadModule {m}_module {MODS}/mod_{m}.so" for m in mods],
    "TypesConfig /etc/mime.types",
    f"ErrorLog {s.log}/apache-error.log",
    "LogLevel warn",
    *([f"User {stackmod.ACCOUNT}", f"Group {stackmod.ACCOUNT}"] if s.as_root else []),
    site,
]) + "\n"
conf = os.path.join(adir, "httpd.conf")
with open(conf, "w") as f:
    f.write(main)
if s.as_root:
    os.chown(adir, *s._ids())

p = subprocess.run([APACHE, "-f", conf, "-t"], capture_output=True, text=True,
                   env=dict(os.environ, APACHE_RUN_DIR=adir))
t.ok(p.returncode == 0, "conf/apache.conf passes apache2 -t", p.stdout + p.stderr)
p = subprocess.run([APACHE, "-f", conf, "-k", "start"], capture_output=True, text=True,
                   env=dict(os.environ, APACHE_RUN_DIR=adir))
pidfile = os.path.join(adir, "apache.pid")
started = p.returncode == 0 and wait_until(lambda: os.path.exists(pidfile), timeout=10)
t.ok(started, "Apache starts", p.stdout + p.stderr + stackmod.Stack.tail(f"{s.log}/apache-error.log"))


def stop_apache():
    pid = stackmod._read_pid(pidfile)
    if pid and stackmod._alive(pid):
        os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not stackmod._alive(pid), timeout=10)


import atexit  # noqa: E402
atexit.register(stop_apache)
if started:
    wait_until(lambda: request(port, "GET", "/healthz").status == 200, timeout=5)
    r = request(port, "GET", "/healthz")
    t.eq((r.status, r.json().get("db")), (200, "ok"), "GET /healthz through Apache")
    r = request(port, "GET", "/")
    t.ok(r.status == 200 and "<title>Home · Chapterhouse</title>" in r.text, "the front page through Apache")
    t.ok("frame-ancestors 'none'" in r.headers.get("content-security-policy", ""),
         "the application's security headers pass through")
    r = request(port, "GET", "/static/style.css")
    t.ok(r.status == 200 and "public" in r.headers.get("cache-control", ""), "Apache serves static/ with caching",
         (r.status, r.headers))
    r = request(port, "GET", "/api/v1/none")
    t.eq((r.status, r.json()["error"]["code"]), (404, "not_found"), "JSON 404 through Apache")
    r = request(port, "GET", "/?q=%zz", headers={"Accept": "application/json"})
    t.eq((r.status, r.json()["error"]["field"]), (400, "q"), "the raw query reaches the application")
    r = request(port, "POST", "/healthz", body='{"a":', headers={"Content-Type": "application/json",
                                                               "Accept": "application/json"})
    t.eq((r.status, r.json()["error"]["code"]), (400, "invalid_json"), "request bodies reach the application")
    r = request(port, "DELETE", "/healthz")
    t.eq((r.status, r.headers.get("allow")), (405, "GET, HEAD"), "405 with Allow through Apache")
    time.sleep(0.1)
