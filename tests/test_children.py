"""automaker_kg.children: work in a child process that is killed at its deadline.

The runaway children here sleep or spin; each test ends as soon as the kill lands, so the
suite pays the deadline (a fraction of a second), never the runaway's own time.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

import pytest

from automaker_kg.children import Child, ChildError, ChildTimeout, call, isolate_network, watch
from automaker_kg.errors import StoreError


def _forever() -> None:
    while True:
        time.sleep(1)


def _raise_store_error() -> None:
    raise StoreError("the store is damaged")


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickling calls Exception(args) with one
        super().__init__(f"{a}/{b}")


def _raise_unpicklable() -> None:
    raise _Unpicklable(1, 2)


def _allocate(size: int) -> int:
    return len(bytearray(size))


def test_a_function_answers_from_its_child():
    assert call(sorted, [3, 1, 2], seconds=30) == [1, 2, 3]


def test_a_child_past_its_deadline_is_killed():
    """No answer within the deadline: ChildTimeout, and the child is gone (SIGKILL)."""
    with pytest.raises(ChildTimeout, match="was killed"):
        call(_forever, seconds=0.2)


def test_an_exception_travels_back_with_its_type():
    with pytest.raises(ChildError) as info:
        call(_raise_store_error, seconds=30)
    assert isinstance(info.value.original, StoreError)
    assert str(info.value) == "StoreError: the store is damaged"


def test_an_exception_that_cannot_be_pickled_still_names_itself():
    with pytest.raises(ChildError) as info:
        call(_raise_unpicklable, seconds=30)
    assert info.value.original is None
    assert str(info.value) == "_Unpicklable: 1/2"


def test_a_memory_limit_stops_an_allocation_past_it():
    limit = 512 << 20  # address space: the forked interpreter itself fits under it
    assert call(_allocate, 1 << 20, seconds=30, memory_limit=limit) == 1 << 20
    with pytest.raises(ChildError, match="MemoryError"):
        call(_allocate, 2 * limit, seconds=30, memory_limit=limit)


def test_a_command_past_its_time_is_killed_and_reaped():
    child = Child.spawn([sys.executable, "-c", "import time; time.sleep(60)"])
    assert child.finish(0.2) is True
    assert child.returncode == -signal.SIGKILL
    assert child.peak_mb is not None and child.peak_mb > 0
    assert child.kill() == -signal.SIGKILL  # killing twice is harmless
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)


def test_a_command_that_ends_gives_its_exit_code():
    child = Child.spawn([sys.executable, "-c", "raise SystemExit(3)"])
    assert child.finish(60) is False
    assert child.returncode == 3


def test_watch_renews_the_deadline_at_each_mark_and_kills_a_silent_child():
    """Each mark buys the child another `limit`; the step after the last mark overruns."""
    script = "import time\nfor _ in range(3):\n    print('@', flush=True); time.sleep(0.05)\n"
    script += "print('{\"done\": 1}', flush=True)\ntime.sleep(60)\n"
    read, write = os.pipe()
    child = Child.spawn([sys.executable, "-c", script], stdout=write)
    os.close(write)
    marks: list[int] = []
    out, timed_out = watch(child, read, 2.0, 30.0, b"@", lambda: marks.append(1))
    assert timed_out and child.returncode == -signal.SIGKILL
    assert len(marks) == 3 and b'{"done": 1}' in out


def _connect_after_isolation(port: int) -> str:
    reason = isolate_network()
    if reason is not None:
        return f"skip: {reason}"
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError as error:
        return f"refused: {error}"
    return "connected"


def test_an_isolated_child_cannot_reach_a_server_on_this_machine():
    """A listening socket of the parent is out of reach once the child left the network."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert call(_connect_to, port, seconds=30) == "connected"  # reachable without isolation
        answer = call(_connect_after_isolation, port, seconds=30)
    if answer.startswith("skip: "):
        pytest.skip(answer)
    assert answer.startswith("refused: ")


def _connect_to(port: int) -> str:
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    return "connected"
