"""test_resilience.py: the server outlives what happens around it.

PostgreSQL stopped and started (and crashed) under a running server, a
worker killed with SIGKILL, configuration reloads under load, and a
graceful stop that lets an in-flight request finish.
"""

import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import TAP, new_stack, request, wait_until  # noqa: E402
import stack as stackmod  # noqa: E402

t = TAP()
s = new_stack(workers=2)
P = s.port


def health():
    try:
        return request(P, "GET", "/healthz", timeout=15)
    except Exception as e:  # a refused or reset connection is a failure
        return e


def statuses(n, path="/healthz"):
    out = []
    for _ in range(n):
        r = request(P, "GET", path, timeout=15)
        out.append(r.status)
    return out


def pg_pids():
    with open(os.path.join(s.pgdata, "postmaster.pid")) as f:
        pm = int(f.readline())
    return [pm] + stackmod.children(pm)


master = s.app_pid()
t.eq(statuses(5), [200] * 5, "healthy at start")

# -- PostgreSQL stopped, then started: 503, then 200 without a restart ------
s.pg_stop("fast")
r = health()
t.eq(getattr(r, "status", r), 503, "PostgreSQL stopped: /healthz is 503")
body = r.json() if hasattr(r, "json") else {}
t.eq((body.get("status"), body.get("db")), ("error", "down"), 'the body says "db":"down"')
t.eq(statuses(4), [503] * 4, "every worker answers 503 while it is down")
t.eq(statuses(2, "/"), [200, 200], "pages that need no database still work")
s.pg_start()
t.eq(statuses(10), [200] * 10, "PostgreSQL started: every request succeeds again")
t.eq(s.app_pid(), master, "the server was not restarted")

# -- restart while the workers sit idle on their connections ----------------
for mode in ("fast", "immediate"):
    s.pg_stop(mode)
    s.pg_start()
    got = statuses(10)
    t.eq(got, [200] * 10, f"after a '{mode}' PostgreSQL restart no request fails")

# -- a worker killed with SIGKILL is replaced --------------------------------
before = s.app_workers()
t.eq(len(before), 2, "two workers")
os.kill(before[0], signal.SIGKILL)
got = statuses(30)
t.eq(got, [200] * 30, "no request fails after a worker is killed")
after = wait_until(lambda: len(s.app_workers()) == 2 and before[0] not in s.app_workers() and s.app_workers())
t.ok(after and before[0] not in after and len(after) == 2, "the killed worker was replaced", (before, after))
with open(s.app_log) as f:
    t.ok("killed by signal 9" in f.read(), "the master logged the death")


# -- reload under load: no request dropped, new settings applied ------------
class Load(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stop = False
        self.results = []

    def run(self):
        while not self.stop:
            r = health()
            self.results.append(getattr(r, "status", repr(r)))


loads = [Load() for _ in range(3)]
for ld in loads:
    ld.start()
time.sleep(0.3)
before = s.app_workers()
s.write_conf(site_name="Reloaded Confederation")
for _ in range(3):
    os.kill(master, signal.SIGHUP)
    time.sleep(0.4)
time.sleep(0.3)
for ld in loads:
    ld.stop = True
for ld in loads:
    ld.join()
results = sum((ld.results for ld in loads), [])
bad = [x for x in results if x != 200]
t.ok(len(results) > 50 and not bad, f"{len(results)} requests during 3 reloads, none failed", bad[:10])
after = wait_until(lambda: len(s.app_workers()) == 2 and s.app_workers())
t.ok(after and not set(after) & set(before), "reload replaced every worker", (before, after))
# nginx may answer the first request with the copy it kept (STALE) while
# it asks the new workers, whose ETag names the new configuration.
r = wait_until(lambda: (lambda x: x if "Reloaded Confederation" in x.text else None)(
    request(P, "GET", "/")), timeout=1.5) or request(P, "GET", "/")
t.ok("Reloaded Confederation" in r.text, "the reloaded configuration is in effect "
     "within a second", r.headers)

# A broken configuration is refused and the running one kept.
with open(s.conf, "a") as f:
    f.write("no_such_key = 1\n")
os.kill(master, signal.SIGHUP)
time.sleep(0.5)
t.eq(statuses(4), [200] * 4, "a bad configuration on reload keeps the server serving")
with open(s.app_log) as f:
    t.ok("reload refused" in f.read(), "the refused reload is logged with its reason")
s.write_conf()


# -- graceful stop: an in-flight request finishes ---------------------------
def frozen_request(box):
    box.append(health())


pids = pg_pids()
for p in pids:
    os.kill(p, signal.SIGSTOP)     # the next query hangs in flight
box = []
th = threading.Thread(target=frozen_request, args=(box,), daemon=True)
th.start()
time.sleep(0.5)
os.kill(master, signal.SIGTERM)
time.sleep(0.5)
t.ok(stackmod._alive(master) and not box, "on SIGTERM the master waits for the in-flight request")
for p in pids:
    os.kill(p, signal.SIGCONT)
th.join(20)
r = box[0] if box else None
t.eq(getattr(r, "status", r), 200, "the in-flight request completed with 200")
code = s.app_stop(timeout=15) if s.app_pid() else s._app_proc.wait(15)
t.eq(code, 0, "the master exited cleanly")
t.ok(not os.path.exists(s.app_sock), "the socket was removed")

# -- signals that libfcgi would take for itself ------------------------------
s.app_start()
master = s.app_pid()
for p in [master] + s.app_workers():
    os.kill(p, signal.SIGUSR1)
time.sleep(0.3)
t.eq(statuses(6), [200] * 6, "SIGUSR1 to the master and the workers changes nothing")
t.ok(stackmod._alive(master) and len(s.app_workers()) == 2, "no process died of it")

