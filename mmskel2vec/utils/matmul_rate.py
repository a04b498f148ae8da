"""Bounded matrix-multiply rate probes (is a dtype native on this device?).

A CPU without native bf16 (no AVX512-BF16 or AMX) emulates bf16 matmuls
about 100x slower than fp32; a probe of a few milliseconds tells which kind
of CPU this is before anything commits to bf16.
"""
import contextlib
import time
from typing import Dict, Iterator, Optional

import torch

#: A dtype whose small-matmul rate is below this share of fp32's counts as
#: emulated (native bf16 runs at 1-10x the fp32 rate, emulated at ~1/100).
EMULATED_BELOW = 0.5


def synchronize(device: torch.device) -> None:
    """Wait for the device's queued work (a no-op on CPU)."""
    if device.type == 'cpu':
        return
    module = getattr(torch, device.type, None)
    if module is not None and hasattr(module, 'synchronize'):
        module.synchronize(device)


def matmul_rate(dtype: torch.dtype,
                device: torch.device = torch.device('cpu'),
                size: int = 256,
                budget_s: float = 0.25,
                max_repeats: int = 20) -> Optional[float]:
    """Best GFLOP/s of a square ``torch.mm``, within a time budget.

    The first product (also the warm-up) always runs; more run while the
    budget lasts, up to ``max_repeats``. So the probe takes about
    ``budget_s`` plus one product, however slow the dtype is.

    Args:
        dtype: Element type.
        device: Where to multiply.
        size: Side of the square matrices.
        budget_s: Seconds to spend after the first product.
        max_repeats: Most timed products.

    Returns:
        GFLOP/s of the fastest product, or None when the device cannot
        multiply this dtype.
    """
    try:
        a = torch.randn(size, size, device=device).to(dtype)
        b = torch.randn(size, size, device=device).to(dtype)
        start = time.perf_counter()
        out = torch.mm(a, b)
        synchronize(device)
        best = time.perf_counter() - start
        deadline = time.perf_counter() + budget_s
        for _ in range(max_repeats):
            if time.perf_counter() > deadline:
                break
            start = time.perf_counter()
            torch.mm(a, b, out=out)
            synchronize(device)
            best = min(best, time.perf_counter() - start)
    except RuntimeError:  # dtype not supported by this device's BLAS
        return None
    return 2.0 * size**3 / max(best, 1e-9) / 1e9


def cpu_bf16_flags() -> Dict[str, bool]:
    """The CPU's bf16 instruction flags from ``/proc/cpuinfo`` (Linux)."""
    try:
        with open('/proc/cpuinfo') as f:
            flags = set()
            for line in f:
                if line.startswith('flags'):
                    flags.update(line.split(':', 1)[1].split())
                    break
    except OSError:
        return {}
    return {name: name in flags for name in ('avx512_bf16', 'amx_bf16')}


@contextlib.contextmanager
def one_cpu_thread(device: torch.device) -> Iterator[None]:
    """Run CPU probes on one intra-op thread, then restore the setting.

    With more OpenMP threads than free cores (other jobs on the machine),
    a multi-threaded fp32 product waits on descheduled threads and runs
    far below its rate: measured on the 2-core VM beside three training
    jobs, 1.5 GFLOP/s on 2 threads against 92 on one, while emulated bf16
    stayed at 1.0 and 0.9 -- the ratio then says "native". On one thread
    both dtypes are timed alike.
    """
    if device.type != 'cpu':
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def dtype_is_emulated(dtype: torch.dtype,
                      device: torch.device = torch.device('cpu'),
                      rates: Optional[Dict[str, Optional[float]]] = None
                      ) -> bool:
    """Whether ``dtype`` matmuls run far below fp32 (emulated) on ``device``.

    Args:
        dtype: The dtype in question.
        device: The device.
        rates: Filled with the small probes' GFLOP/s under ``'fp32'`` and
            the dtype's name, if given.

    Returns:
        True when the dtype's probe is below :data:`EMULATED_BELOW` of the
        fp32 probe (or the device cannot multiply it at all). On CPU both
        probes run on one thread (:func:`one_cpu_thread`).
    """
    with one_cpu_thread(device):
        fp32 = matmul_rate(torch.float32, device)
        other = matmul_rate(dtype, device)
    if rates is not None:
        rates['fp32'] = fp32
        rates[str(dtype).split('.')[-1]] = other
    if dtype == torch.float32:
        return False
    return other is None or (fp32 is not None
                             and other < EMULATED_BELOW * fp32)
