"""Keep freed memory in the process heap (glibc ``mallopt``)."""
import ctypes
import ctypes.util
import functools
from typing import Optional

# mallopt parameters, from glibc's <malloc.h>
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4


@functools.lru_cache(maxsize=None)
def _glibc() -> Optional[ctypes.CDLL]:
    """The C library if it is glibc (it has ``mallopt``), else None."""
    name = ctypes.util.find_library('c')
    try:
        libc = ctypes.CDLL(name)
        libc.gnu_get_libc_version  # noqa: B018 (glibc only)
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError, TypeError):
        return None
    return libc


def retain_freed_memory() -> bool:
    """Make glibc keep freed memory for reuse instead of returning it.

    glibc serves allocations above its mmap threshold (at most 32 MiB,
    e.g. a batch's activations on CPU) with fresh ``mmap`` calls and unmaps
    them when freed, so every training step faults in and zeroes all of its
    large tensors again (a kernel cost of several seconds per step at the
    paper's configuration). This serves every allocation from the heap
    (``M_MMAP_MAX=0``) and trims the heap only when 2 GiB are free at its
    top (``M_TRIM_THRESHOLD``), so a step reuses the memory of the previous
    one. The process then keeps about its peak heap until it exits. Affects
    the calling process and the processes it forks afterwards.

    Returns:
        bool: True if applied; False where the C library is not glibc.
    """
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_MAX, 0)) and bool(
        libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1))
