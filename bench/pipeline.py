#!/usr/bin/env python3
# Copyright 2026 The qmpsh authors
# SPDX-License-Identifier: GPL-2.0-or-later
"""Pipelining throughput: qmpsh against raw socat, on the same QEMU.

Each timed run starts a fresh QEMU (untimed), then times one client sending
N query-status commands and a final quit.  qmpsh gets its own command
language on stdin; socat gets the equivalent raw QMP JSON.  Both inputs end
in `quit`, so QEMU closes the connection and each client exits on its own:
the wall time covers the client from spawn to exit, nothing else.

Exit status: 0 measured (and within the limits given), 1 a limit was
exceeded, 2 nothing could be measured (missing tool, broken run, usage).
"""

import argparse
import ctypes
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

QEMU = "qemu-system-x86_64"
SOCAT = "socat"
PROG = "pipeline.py"
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>

# Same command line for every QEMU, whichever client it serves.
QEMU_ARGS = ["-M", "none", "-nodefaults", "-display", "none"]

# Untimed warm-up size: enough to pull both binaries and their libraries
# into the page cache before the first timed run.
WARMUP_COUNT = 100


class BenchError(Exception):
    """A run that cannot be trusted; the message says why."""


class Client:
    """One contender: how to call it, what to feed it, what it must answer."""

    def __init__(self, name, argv_for, input_lines, check):
        self.name = name
        self._argv_for = argv_for  # socket path -> argv
        self._input_lines = input_lines  # count -> list of lines
        self._check = check  # (count, output lines) -> None, or raises
        self.walls = []
        self.cpus = []
        self.rss_kib = []

    def argv(self, sock):
        return self._argv_for(sock)

    def write_input(self, path, count):
        path.write_text("".join(line + "\n" for line in self._input_lines(count)))

    def check(self, count, lines):
        self._check(count, lines)


def parse_json_lines(name, lines):
    """Every output line must be one JSON object; anything else is a failure."""
    messages = []
    for lineno, line in enumerate(lines, 1):
        try:
            message = json.loads(line)
        except ValueError as e:
            raise BenchError(f"{name}: output line {lineno} is not JSON ({e}): {line[:80]!r}")
        if not isinstance(message, dict):
            raise BenchError(f"{name}: output line {lineno} is not a JSON object: {line[:80]!r}")
        messages.append(message)
    return messages


def is_status_reply(message):
    ret = message.get("return")
    return isinstance(ret, dict) and "status" in ret


def expect(name, what, got, want):
    if got != want:
        raise BenchError(f"{name}: expected {want} {what}, got {got}")


# With oob negotiated, QEMU 7.2 may exit on quit before it flushes quit's
# reply: both checks accept that reply missing, and count the N answers.
def check_qmpsh(count, lines):
    # qmpsh negotiates by itself and prints replies only (no greeting, and
    # no events without --events): N query-status replies, then quit's.
    messages = parse_json_lines("qmpsh", lines)
    expect("qmpsh", "query-status replies", sum(map(is_status_reply, messages)), count)
    if len(messages) not in (count, count + 1) or (
            len(messages) == count + 1 and messages[-1] != {"return": {}}):
        raise BenchError(f"qmpsh: {len(messages)} lines, the last {lines[-1][:80]!r}")


def check_socat(count, lines):
    # socat passes everything through: the greeting, then replies to
    # qmp_capabilities, the N commands and quit.  quit also raises a
    # SHUTDOWN event, which may or may not beat the close; it is not counted.
    messages = parse_json_lines("socat", lines)
    errors = [m for m in messages if "error" in m]
    if errors:
        raise BenchError(f"socat: QEMU answered with an error: {errors[0]}")
    expect("socat", "greetings", sum("QMP" in m for m in messages), 1)
    if "QMP" not in messages[0]:
        raise BenchError("socat: the first line is not the greeting")
    replies = sum("return" in m for m in messages)
    if replies not in (count + 1, count + 2):
        raise BenchError(f"socat: expected {count + 1} or {count + 2} replies, got {replies}")
    expect("socat", "query-status replies", sum(map(is_status_reply, messages)), count)


def make_clients(qmpsh, socat):
    qmpsh_client = Client(
        "qmpsh",
        lambda sock: [qmpsh, sock],
        lambda n: ["query-status"] * n + ["quit"],
        check_qmpsh,
    )
    # socat -t: once stdin is at EOF socat gives the other direction only
    # this many seconds *of silence* before it exits.  QEMU is still busy
    # answering then, so leave it ample room; socat still exits the moment
    # QEMU closes after quit.
    socat_client = Client(
        "socat",
        lambda sock: [socat, "-t", "30", "-", f"UNIX-CONNECT:{sock}"],
        # exactly the bytes qmpsh puts on the wire (its -l transcript shows
        # them): qmp_capabilities enabling oob, which QEMU offers, and an id
        # on every command, which qmpsh always sends to match replies.  QEMU
        # itself works measurably harder for commands with an id, so socat
        # without ids would measure QEMU, not the client.
        lambda n: (['{"id":1,"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}']
                   + [f'{{"id":{i + 2},"execute":"query-status"}}' for i in range(n)]
                   + [f'{{"id":{n + 2},"execute":"quit"}}']),
        check_socat,
    )
    return qmpsh_client, socat_client


def tail(path, n=5):
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join("    " + line for line in lines[-n:])


def start_qemu(qemu, workdir, timeout):
    """Start QEMU and return it once its monitor has greeted a probe client."""
    sock = workdir / "qmp.sock"
    log = open(workdir / "qemu.log", "wb")
    proc = subprocess.Popen(
        [qemu, *QEMU_ARGS, "-qmp", f"unix:{sock},server=on,wait=off"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise BenchError(f"QEMU exited with status {proc.returncode} at start:\n"
                             + tail(workdir / "qemu.log"))
        if time.monotonic() > deadline:
            stop_qemu(proc)
            raise BenchError(f"QEMU's monitor did not answer within {timeout} s")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.settimeout(max(0.1, deadline - time.monotonic()))
                probe.connect(str(sock))
                # The greeting proves the main loop runs, not just listen().
                greeting = b""
                while not greeting.endswith(b"\n"):
                    chunk = probe.recv(4096)
                    if not chunk:
                        break
                    greeting += chunk
                if greeting.startswith(b'{"QMP"'):
                    break
        except OSError:
            pass
        time.sleep(0.01)
    # QEMU accepts one client at a time: give it a moment to notice that the
    # probe left, so the timed client is not kept waiting in the backlog.
    time.sleep(0.1)
    return proc


def stop_qemu(proc):
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def become_subreaper():
    """Adopt orphaned descendants, so that run_timed can wait4 on a grandchild."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


# Why not spawn the client straight from Python: the kernel carries the peak
# RSS of the image a process exec()s from into its ru_maxrss, and a fork or
# vfork of this interpreter is 10-13 MiB, more than the clients' own peaks,
# so every client would read as Python's size.  Instead a small /bin/sh
# starts the client in the background, reports its pid on fd 4 and exits;
# the client, a fork of that small shell, is reparented to us (we are its
# subreaper) and wait4 then gives its own rusage, exact to within the
# shell's few hundred KiB.  Redirecting from fd 3 is needed because a
# non-interactive shell points a background job's stdin at /dev/null.
SPAWN_SCRIPT = '"$@" 0<&3 3<&- 4>&- & echo $! >&4'


def run_timed(argv, stdin_path, stdout_path, stderr_path, timeout):
    """Run argv on the given files; return (wait status, wall s, CPU s, peak RSS KiB).

    The wall time runs from spawning the shell (about 2 ms, the same for
    every client) to reaping the client; CPU and RSS are the client's alone.
    """
    pid_r, pid_w = os.pipe()
    fds = [os.open(stdin_path, os.O_RDONLY),
           os.open(stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
           os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
           pid_w]
    actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in zip((3, 1, 2, 4), fds)]
    try:
        start = time.perf_counter()
        shell = os.posix_spawn("/bin/sh", ["sh", "-c", SPAWN_SCRIPT, "sh", *argv],
                               os.environ, file_actions=actions)
    finally:
        for fd in fds:
            os.close(fd)
    with os.fdopen(pid_r) as pid_file:
        os.waitpid(shell, 0)  # once the shell is gone, the client is ours
        pid = int(pid_file.read())

    # A hung client must not hang the benchmark.  The pid cannot be reused
    # before wait4 below reaps it, so killing it from the timer is safe.
    killed = threading.Event()

    def kill():
        killed.set()
        os.kill(pid, signal.SIGKILL)

    killer = threading.Timer(timeout, kill)
    killer.start()
    try:
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    finally:
        killer.cancel()
    if killed.is_set():
        raise BenchError(f"{os.path.basename(argv[0])} still ran after {timeout} s: killed it")
    return status, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def one_run(client, qemu, inputs, count, timeout, record=True):
    """Time one client against a fresh QEMU, check its output, record figures."""
    with tempfile.TemporaryDirectory(prefix="qmpsh-bench-") as tmp:
        workdir = Path(tmp)
        proc = start_qemu(qemu, workdir, timeout)
        try:
            out, err = workdir / "out", workdir / "err"
            status, wall, cpu, rss = run_timed(
                client.argv(str(workdir / "qmp.sock")), inputs[client.name, count],
                out, err, timeout)
            if os.waitstatus_to_exitcode(status) != 0:
                raise BenchError(f"{client.name} exited with status "
                                 f"{os.waitstatus_to_exitcode(status)}:\n" + tail(err))
            try:
                qemu_status = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                raise BenchError(f"QEMU still ran {timeout} s after {client.name}'s quit")
            if qemu_status != 0:
                raise BenchError(f"QEMU exited with status {qemu_status} after quit:\n"
                                 + tail(workdir / "qemu.log"))
            client.check(count, out.read_text(errors="replace").splitlines())
        finally:
            stop_qemu(proc)
    if record:
        client.walls.append(wall)
        client.cpus.append(cpu)
        client.rss_kib.append(rss)


def default_qmpsh():
    built = Path(__file__).resolve().parent.parent / "build" / "src" / "qmpsh"
    if os.access(built, os.X_OK):
        return str(built)
    return shutil.which("qmpsh")


def parse_args():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Time qmpsh and raw socat pipelining N query-status commands "
                    "to a fresh QEMU each, alternating, and compare medians.",
        epilog="Exit status: 0 ok, 1 a --max-* limit was exceeded, "
               "2 nothing could be measured.")
    parser.add_argument("--count", type=int, default=2000, metavar="N",
                        help="query-status commands per run (default 2000)")
    parser.add_argument("--reps", type=int, default=5, metavar="R",
                        help="timed runs of each client (default 5)")
    parser.add_argument("--qmpsh", metavar="PATH",
                        help="the qmpsh binary (default: ../build/src/qmpsh beside "
                             "this script, else qmpsh on PATH)")
    parser.add_argument("--max-ratio", type=float, metavar="X",
                        help="exit 1 if median wall qmpsh/socat exceeds X")
    parser.add_argument("--max-rss-mib", type=float, metavar="M",
                        help="exit 1 if qmpsh's peak RSS exceeds M MiB")
    parser.add_argument("--timeout", type=float, default=120, metavar="S",
                        help="give up on a QEMU or a client after S seconds (default 120)")
    args = parser.parse_args()
    if args.count < 1 or args.reps < 1 or args.timeout <= 0:
        parser.error("--count, --reps and --timeout must be positive")
    return args


def find_tools(args):
    for tool, package in ((SOCAT, "socat"), (QEMU, "qemu-system-x86")):
        if shutil.which(tool) is None:
            print(f"{PROG}: {tool} not found; install it: apt-get install {package}",
                  file=sys.stderr)
            sys.exit(2)
    qmpsh = args.qmpsh or default_qmpsh()
    if qmpsh is not None and os.sep not in qmpsh:
        qmpsh = shutil.which(qmpsh) or qmpsh  # a bare name, as a shell would look it up
    if qmpsh is None or not os.access(qmpsh, os.X_OK) or os.path.isdir(qmpsh):
        print(f"{PROG}: no qmpsh binary {('at ' + qmpsh) if qmpsh else 'found'}; "
              f"build it (meson setup build && ninja -C build) or pass --qmpsh PATH",
              file=sys.stderr)
        sys.exit(2)
    return os.path.abspath(qmpsh), shutil.which(SOCAT), shutil.which(QEMU)


def mib(kib):
    return kib / 1024


def report(args, clients):
    print(f"{'rep':>4}  " + "  ".join(f"{c.name + ' wall':>11}  {c.name + ' cpu':>10}  "
                                      f"{c.name + ' RSS':>10}" for c in clients))
    for i in range(args.reps):
        print(f"{i + 1:>4}  " + "  ".join(f"{c.walls[i]:>9.3f} s  {c.cpus[i]:>8.3f} s  "
                                          f"{mib(c.rss_kib[i]):>6.1f} MiB" for c in clients))
    print(f"{'med':>4}  " + "  ".join(
        f"{statistics.median(c.walls):>9.3f} s  {statistics.median(c.cpus):>8.3f} s  "
        f"{mib(max(c.rss_kib)):>6.1f} MiB" for c in clients) + "   (RSS: peak)")
    qmpsh, socat = clients
    for c in clients:
        rate = args.count / statistics.median(c.walls)
        print(f"{c.name}: {rate:,.0f} commands/s, "
              f"{statistics.median(c.cpus) / args.count * 1e6:.1f} us CPU per command")
    ratio = statistics.median(qmpsh.walls) / statistics.median(socat.walls)
    peak = mib(max(qmpsh.rss_kib))
    print(f"ratio qmpsh/socat (median wall): {ratio:.2f}   qmpsh peak RSS: {peak:.1f} MiB")
    return ratio, peak


def main():
    args = parse_args()
    qmpsh_path, socat_path, qemu_path = find_tools(args)
    clients = make_clients(qmpsh_path, socat_path)
    try:
        become_subreaper()
    except (OSError, AttributeError) as e:
        print(f"{PROG}: cannot measure each client's RSS: {e}", file=sys.stderr)
        return 2
    print(f"qmpsh: {qmpsh_path}")
    print(f"N={args.count} query-status per run, {args.reps} run(s) each, "
          f"fresh `{QEMU} {' '.join(QEMU_ARGS)}` per run")
    try:
        with tempfile.TemporaryDirectory(prefix="qmpsh-bench-in-") as tmp:
            inputs = {}
            for c in clients:
                for n in (WARMUP_COUNT, args.count):
                    inputs[c.name, n] = Path(tmp) / f"{c.name}-{n}.in"
                    c.write_input(inputs[c.name, n], n)
            run = "warm-up run"
            for c in clients:
                one_run(c, qemu_path, inputs, WARMUP_COUNT, args.timeout, record=False)
            for rep in range(args.reps):
                run = f"run {rep + 1}"
                # Swap the order every repetition so that drift in the
                # machine's load does not favour one side.
                for c in (clients if rep % 2 == 0 else clients[::-1]):
                    one_run(c, qemu_path, inputs, args.count, args.timeout)
    except BenchError as e:
        print(f"{PROG}: FAILED in {run}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 2

    ratio, peak = report(args, clients)
    status = 0
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"{PROG}: ratio {ratio:.2f} exceeds --max-ratio {args.max_ratio}", file=sys.stderr)
        status = 1
    if args.max_rss_mib is not None and peak > args.max_rss_mib:
        print(f"{PROG}: qmpsh peak RSS {peak:.1f} MiB exceeds --max-rss-mib {args.max_rss_mib}",
              file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
