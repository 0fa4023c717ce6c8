#!/usr/bin/env python3
# Copyright 2026 The qmpsh authors
# SPDX-License-Identifier: GPL-2.0-or-later
"""Time from starting qmpsh at a terminal to a usable prompt, against a real QEMU.

qmpsh runs in a pseudo-terminal, as a person would start it; the clock stops
when the first prompt is on the screen (it names the address; the VM's name
and state replace it when query-name and query-status answer). The schema is still
loading then, by design. The reference in the same run is the floor for any
client: socat connecting to the same monitor and receiving its greeting; and
the harness's own cost: sh printing a prompt in the same pseudo-terminal.

    python3 bench/startup.py [--reps 20] [--qmpsh build/src/qmpsh]
"""

import argparse
import os
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

# the banner, then the first prompt (readline may turn bracketed paste on first)
PROMPT = re.compile(rb"to leave\.\r?\n(?:\x1b\[\?2004h)?[^\r\n]*> ")


def wait_socket(path, timeout=10):
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            return
        except OSError:
            time.sleep(0.01)
        finally:
            s.close()
    sys.exit(f"startup.py: QEMU's socket {path} never came up")


def read_until(fd, pattern, timeout):
    """Reads from fd until pattern matches; returns the time it did."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if pattern.search(seen):
            return time.monotonic()
    raise RuntimeError(f"never saw {pattern.pattern!r}; got {seen[-200:]!r}")


def time_qmpsh(qmpsh, sock, state):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["XDG_STATE_HOME"] = state
        os.environ["TERM"] = "xterm"
        os.execv(qmpsh, [qmpsh, sock])
    start = time.monotonic()
    try:
        end = read_until(fd, PROMPT, 10)
    finally:
        os.write(fd, b"\x04")  # Ctrl-D
        os.waitpid(pid, 0)
        os.close(fd)
    return end - start


def time_printf():
    """The harness alone: a program that prints a banner and a prompt at once."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv("/bin/sh", ["sh", "-c", "printf 'Type .help, to leave.\\nx> '; exec cat"])
    start = time.monotonic()
    try:
        end = read_until(fd, PROMPT, 10)
    finally:
        os.write(fd, b"\x04")
        os.waitpid(pid, 0)
        os.close(fd)
    return end - start


def time_socat(socat, sock):
    start = time.monotonic()
    proc = subprocess.Popen([socat, "-", f"UNIX-CONNECT:{sock}"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    end = read_until(proc.stdout.fileno(), re.compile(rb'"capabilities"'), 10)
    proc.kill()
    proc.wait()
    return end - start


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "build", "src", "qmpsh")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--qmpsh", default=default if os.path.exists(default) else shutil.which("qmpsh"))
    ap.add_argument("--max-ms", type=float, help="exit 1 if the median is slower")
    args = ap.parse_args()
    socat = shutil.which("socat")
    qemu = shutil.which("qemu-system-x86_64")
    if not (socat and qemu and args.qmpsh):
        sys.exit("startup.py: needs socat, qemu-system-x86_64 and a built qmpsh "
                 "(apt-get install socat qemu-system-x86)")

    with tempfile.TemporaryDirectory(prefix="qmpsh-bench-") as tmp:
        # a monitor each, and a pause between runs: QEMU serves one client per
        # monitor and greets the next only once it has seen the last one go
        sock = os.path.join(tmp, "qmp.sock")
        other = os.path.join(tmp, "other.sock")
        vm = subprocess.Popen([qemu, "-M", "none", "-nodefaults", "-display", "none",
                               "-name", "bench", "-qmp", f"unix:{sock},server=on,wait=off",
                               "-qmp", f"unix:{other},server=on,wait=off"])
        try:
            wait_socket(sock)
            wait_socket(other)
            qmpsh_times, socat_times, printf_times = [], [], []
            for i in range(args.reps + 1):
                # alternate, and throw the first of each away (cold caches)
                time.sleep(0.1)
                q = time_qmpsh(args.qmpsh, sock, os.path.join(tmp, "state"))
                s = time_socat(socat, other)
                p = time_printf()
                if i > 0:
                    qmpsh_times.append(q)
                    socat_times.append(s)
                    printf_times.append(p)
        finally:
            vm.send_signal(signal.SIGTERM)
            vm.wait()

    q = statistics.median(qmpsh_times) * 1000
    s = statistics.median(socat_times) * 1000
    print(f"qmpsh: start to prompt   median {q:6.1f} ms  (min {min(qmpsh_times) * 1000:.1f}, "
          f"max {max(qmpsh_times) * 1000:.1f}, {args.reps} runs)")
    print(f"socat: start to greeting median {s:6.1f} ms  (min {min(socat_times) * 1000:.1f}, "
          f"max {max(socat_times) * 1000:.1f})")
    p = statistics.median(printf_times) * 1000
    print(f"sh:    printf a prompt   median {p:6.1f} ms  (the pty harness alone)")
    print(f"ratio qmpsh prompt / socat greeting: {q / s:.2f}   qmpsh prompt: {q:.1f} ms, "
          f"{q - p:.1f} ms more than the harness alone")
    if args.max_ms is not None and q > args.max_ms:
        sys.exit(1)


if __name__ == "__main__":
    main()
