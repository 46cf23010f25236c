"""Child processes this one can kill: a function or a command run with a deadline.

Oxigraph cannot cancel a running query and a thread cannot be killed, so work that may run
away runs in a child process. Past its deadline the child gets ``SIGKILL`` and is reaped at
once, with what it used (peak memory, CPU time). One helper for the three places that need
it: the API's ``query_in_time`` and the benchmark's measurements (a function in a forked
child, :func:`call`), the server's query pool (long-lived workers, :class:`Child`) and the
benchmark's commands (:meth:`Child.spawn` and :meth:`Child.wait`).

A child can also be cut off from the network (:func:`isolate_network`) and given a ceiling
on its address space (``RLIMIT_AS``) before it runs anything.

>>> call(sum, [1, 2, 3], seconds=30)
6
>>> call(int, "x", seconds=30)
Traceback (most recent call last):
...
automaker_kg.children.ChildError: ValueError: invalid literal for int() with base 10: 'x'
"""

from __future__ import annotations

import ctypes
import errno
import os
import pickle
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, Pipe
from typing import Any, TypeVar

__all__ = ["Child", "ChildError", "ChildTimeout", "call", "isolate_network", "limit_memory"]

T = TypeVar("T")


class ChildTimeout(Exception):
    """The child ran past its deadline and was killed."""


class ChildError(Exception):
    """The function run in a child raised: its type's name and message (and the exception
    itself when it could travel back, as ``original``)."""

    def __init__(self, kind: str, message: str, original: BaseException | None = None) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.original = kind, message, original


class Child:
    """A process this one started: it can be waited for with a deadline, killed and reaped.

    Reaping goes through ``os.wait4``, so the child's peak resident memory and CPU time are
    known once it has ended (:attr:`peak_mb`, :attr:`cpu_seconds`); :attr:`returncode` is
    its exit code, negative for the signal that ended it (``-9`` once killed).
    """

    def __init__(self, pid: int, popen: subprocess.Popen[bytes] | None = None) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.peak_mb: float | None = None
        self.cpu_seconds: float | None = None
        self._popen = popen
        self.stdout = popen.stdout if popen is not None else None  # with stdout=PIPE
        self.stderr = popen.stderr if popen is not None else None  # with stderr=PIPE
        self._lock = threading.Lock()  # one reaper at a time (the pool's threads share workers)

    @classmethod
    def spawn(cls, argv: Sequence[str], **popen: Any) -> Child:
        """Start ``argv`` (``subprocess.Popen`` keywords: ``stdout``, ``env``, ``pass_fds``...)."""
        process = subprocess.Popen(list(argv), **popen)
        return cls(process.pid, process)

    @classmethod
    def fork(cls, body: Callable[[], int]) -> Child:
        """Fork; the child runs ``body`` and exits with what it returns (1 if it raises).

        Call it before the process starts threads (a forked child has only the calling one).
        """
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller
            code = 1
            try:
                code = body()
            finally:
                os._exit(code)
        return cls(pid)

    def poll(self) -> int | None:
        """The exit code if the child has ended (reaping it), else ``None``."""
        with self._lock:
            if self.returncode is None:
                self._reap(os.WNOHANG)
            return self.returncode

    def wait(self, seconds: float | None = None) -> int | None:
        """Wait up to ``seconds`` (``None``: for ever) for the child to end; its exit code, or
        ``None`` while it still runs."""
        if self.poll() is None:
            self._until_ended(seconds)
            self.poll()
        return self.returncode

    def _until_ended(self, seconds: float | None) -> None:
        """Sleep until the child ends (a pidfd turns readable) or ``seconds`` pass."""
        try:
            fd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):  # no pidfd (an old kernel, or reaped): poll
            deadline = None if seconds is None else time.monotonic() + seconds
            while self.poll() is None and (deadline is None or time.monotonic() < deadline):
                time.sleep(0.01)
            return
        try:
            select.select([fd], [], [], seconds)
        finally:
            os.close(fd)

    def kill(self) -> int:
        """``SIGKILL`` the child (if it still runs) and reap it; its exit code."""
        with self._lock:
            if self.returncode is None:
                self._reap(os.WNOHANG)
            if self.returncode is None:
                os.kill(self.pid, signal.SIGKILL)  # not reaped yet: the pid is still ours
                self._reap(0)
            assert self.returncode is not None
            return self.returncode

    def finish(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the child to end, then kill it; whether it ran out of time."""
        if self.wait(seconds) is None:
            self.kill()
            return True
        return False

    def _reap(self, options: int) -> None:
        try:
            pid, status, usage = os.wait4(self.pid, options)
        except ChildProcessError:  # reaped elsewhere: its figures are lost, its end is not
            self._ended(0, None)
            return
        if pid:
            self._ended(os.waitstatus_to_exitcode(status), usage)

    def _ended(self, code: int, usage: resource.struct_rusage | None) -> None:
        self.returncode = code
        if usage is not None:
            self.peak_mb = usage.ru_maxrss / 1024
            self.cpu_seconds = usage.ru_utime + usage.ru_stime
        if self._popen is not None:
            self._popen.returncode = code  # so Popen neither waits again nor warns


def call(
    fn: Callable[..., T],
    *args: Any,
    seconds: float,
    isolate: bool = False,
    memory_limit: int = 0,
) -> T:
    """``fn(*args)`` in a forked child (sharing what is loaded), killed past ``seconds``.

    ``isolate`` moves the child into a network namespace of its own first (best effort: a
    system without them runs it on the network); ``memory_limit`` caps its address space.
    The result travels back pickled.

    Raises
    ------
    ChildTimeout
        no answer within ``seconds``: the child was killed.
    ChildError
        ``fn`` raised (or the child died without answering).
    """
    receive, send = Pipe(duplex=False)

    def body() -> int:
        receive.close()
        if isolate:
            isolate_network()
        if memory_limit:
            limit_memory(memory_limit)
        try:
            _send(send, fn, args)
        finally:
            send.close()
        return 0

    child = Child.fork(body)
    send.close()
    try:
        if not receive.poll(seconds):
            child.kill()
            raise ChildTimeout(f"no answer within {seconds:g} s: the child was killed")
        try:
            kind, value = receive.recv()
        except EOFError:
            code = child.kill()
            raise ChildError("ChildDied", f"the child ended ({code}) without answering") from None
    finally:
        receive.close()
        child.kill()
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    raise ChildError(*value)


def _send(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - the parent raises it
        try:
            original: BaseException | None = pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an exception that cannot travel: its words do
            original = None
        conn.send(("raised", (type(exc).__name__, str(exc), original)))


def limit_memory(size: int) -> None:
    """Cap this process's address space at ``size`` bytes (``RLIMIT_AS``)."""
    resource.setrlimit(resource.RLIMIT_AS, (size, size))


_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_network() -> str | None:
    """Move this process into a new, empty network namespace; ``None`` once done.

    As root a network namespace alone; otherwise a user namespace with it (unprivileged
    user namespaces must be enabled). The new namespace has only a loopback device, and
    that one is down: no connection can be opened, not even to 127.0.0.1. Call it before
    the process starts threads. Returns why it could not be done, or ``None``.
    """
    if not sys.platform.startswith("linux"):
        return f"network namespaces are a Linux feature (this is {sys.platform})"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
        if libc.unshare(flags) != 0:
            code = ctypes.get_errno()
            return f"unshare() failed: {os.strerror(code)}"
    except (OSError, AttributeError) as error:
        return f"unshare() is not available: {error}"
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:  # lo is down in a fresh namespace: this must fail at once with ENETUNREACH
        probe.settimeout(1)
        probe.connect(("127.0.0.1", 9))
    except OSError as error:
        if error.errno == errno.ENETUNREACH:
            return None
        return f"the network namespace still reaches 127.0.0.1 ({error})"
    finally:
        probe.close()
    return "the network namespace still reaches 127.0.0.1"


def watch(
    child: Child, fd: int, limit: float, startup: float, mark: bytes, on_mark: Callable[[], None]
) -> tuple[bytes, bool]:
    """Read ``child``'s output on ``fd`` until it ends; kill it once one step overruns.

    The child has ``startup`` seconds before it first writes ``mark``, then ``limit`` seconds
    from each ``mark`` (``on_mark`` is called as each new one arrives). Returns what it wrote
    and whether it was killed for time; the child is reaped either way and ``fd`` closed.
    """
    deadline = time.monotonic() + startup
    buffer, timed_out, seen = b"", False, 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        marks = buffer.count(mark)
        if marks > seen:
            seen, deadline = marks, time.monotonic() + limit
            on_mark()
    os.close(fd)
    if timed_out:
        child.kill()
    else:
        child.wait()
    return buffer, timed_out
