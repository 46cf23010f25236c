"""The build hands freed heap memory back to the system between its steps."""

import ctypes
import ctypes.util
import sys

import pytest

from automaker_kg.build import _malloc_trim, release_freed_memory

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or _malloc_trim() is None, reason="glibc only"
)


def _anonymous_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    raise AssertionError("no RssAnon in /proc/self/status")  # pragma: no cover


def test_freed_blocks_are_returned_to_the_system():
    """64 MB of small blocks malloc'd and freed stay resident until released."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks, keepers = [], []
    for _ in range(1024):  # runs of 64 blocks of 1 KB (below mmap's threshold: on the
        for _ in range(64):  # heap), each run followed by a small block kept in use, so
            block = libc.malloc(1024)  # that free() alone cannot give the runs back
            ctypes.memset(block, 1, 1024)  # touched: resident
            blocks.append(block)
        keepers.append(libc.malloc(16))
    for block in blocks:
        libc.free(block)
    held = _anonymous_kb()
    release_freed_memory()
    released = held - _anonymous_kb()
    for keeper in keepers:
        libc.free(keeper)
    assert released > 32 * 1024  # most of the 64 MB
