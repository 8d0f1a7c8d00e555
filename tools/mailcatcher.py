#!/usr/bin/python3
"""mailcatcher.py: an SMTP server for development and tests that keeps mail.

    tools/mailcatcher.py --host 127.0.0.1 --port 2525 --dir var/mail

Every message it accepts is written to DIR/<epoch-ms>-<seq>.eml exactly as
received (after SMTP's dot-unstuffing), preceded by a Return-Path and one
Delivered-To header per recipient, as a delivering MTA would add.  A file
appears whole or not at all: it is written under a dotted temporary name
in DIR and then renamed.  The line "mailcatcher listening on HOST:PORT" is
printed once the server accepts connections; SIGTERM or SIGINT stops it
cleanly.  Nothing is ever relayed.

Needs Debian's python3-aiosmtpd (Python standard library otherwise).
"""

import argparse
import itertools
import os
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Keeper:
    """aiosmtpd handler writing each message to a file in a directory."""

    def __init__(self, directory):
        self.dir = directory
        self.seq = itertools.count(1)
        self.lock = threading.Lock()

    def _name(self):
        with self.lock:
            return f"{int(time.time() * 1000)}-{next(self.seq):06d}.eml"

    async def handle_DATA(self, server, session, envelope):
        name = self._name()
        head = f"Return-Path: <{envelope.mail_from}>\r\n"
        for rcpt in envelope.rcpt_tos:
            head += f"Delivered-To: {rcpt}\r\n"
        data = head.encode("utf-8", "surrogateescape") + envelope.original_content
        tmp = os.path.join(self.dir, f".{name}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.rename(tmp, os.path.join(self.dir, name))
        except OSError as e:
            print(f"mailcatcher: could not store a message: {e}",
                  file=sys.stderr, flush=True)
            return "451 Requested action aborted: could not store the message"
        print(f"mailcatcher: stored {name} for {', '.join(envelope.rcpt_tos)}",
              file=sys.stderr, flush=True)
        return "250 Message accepted for delivery"


def main(argv):
    ap = argparse.ArgumentParser(prog="mailcatcher.py",
                                 description="Keep every message sent to it as a file.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=2525)
    ap.add_argument("--dir", required=True, help="where the .eml files go")
    a = ap.parse_args(argv)
    os.makedirs(a.dir, exist_ok=True)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    controller = Controller(Keeper(a.dir), hostname=a.host, port=a.port,
                            data_size_limit=10 * 1024 * 1024)
    try:
        controller.start()
    except Exception as e:  # the port is taken, the address is wrong...
        print(f"mailcatcher: could not listen on {a.host}:{a.port}: {e}",
              file=sys.stderr, flush=True)
        return 1
    print(f"mailcatcher listening on {a.host}:{a.port}", flush=True)
    while not stop.wait(3600):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
