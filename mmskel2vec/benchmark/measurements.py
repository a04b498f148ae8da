"""What the pretraining benchmark measures besides wall time.

Peak and current memory, other processes' CPU load, minor page faults,
phase boundaries inside one training step (``PhaseTimer`` and
``instrument``) and the FLOPs of a step (``count_flops``).
"""
import os
import platform
import resource
import sys
import time
from typing import Any, Callable, Dict, Optional, Tuple

import torch
from torch import nn

from mmskel2vec.utils.matmul_rate import synchronize

PHASES = ('preprocess', 'targets', 'student_fwd', 'decoder_loss_fwd',
          'backward', 'optimizer', 'ema')
PHASE_LABELS = {
    'preprocess': 'data preprocessor',
    'targets': 'targets (teacher)',
    'student_fwd': 'student forward',
    'decoder_loss_fwd': 'decoder + loss forward',
    'backward': 'backward',
    'optimizer': 'optimizer step (clip + AdamW)',
    'ema': 'EMA update',
}


def device_name(device: torch.device) -> str:
    """Human-readable name of the device."""
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    if device.type == 'cpu':
        try:
            with open('/proc/cpuinfo') as f:
                for line in f:
                    if line.startswith('model name'):
                        return line.split(':', 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or 'cpu'
    return device.type


def peak_rss_mb() -> float:
    """High-water resident set size of this process (``ru_maxrss``), MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == 'darwin' else peak / 2**10


def current_rss_mb() -> float:
    """Current resident set size of this process, MiB."""
    try:
        with open('/proc/self/statm') as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf('SC_PAGE_SIZE') / 2**20
    except (OSError, ValueError):
        return peak_rss_mb()


def busy_cpu_seconds() -> Optional[float]:
    """CPU seconds all processes of the machine have used (``/proc/stat``).

    Compared with this process's own CPU time over the same interval, it
    tells how busy other processes kept the machine during the benchmark.
    """
    try:
        with open('/proc/stat') as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != 'cpu':
        return None
    # user nice system idle iowait irq softirq steal (guest is in user)
    values = [int(v) for v in fields[1:9]]
    busy = sum(values) - values[3] - values[4]
    return busy / os.sysconf('SC_CLK_TCK')


def minor_faults() -> int:
    """Minor page faults of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


class PhaseTimer:
    """Wall-clock phase marks taken after synchronizing the device.

    ``mark(name)`` closes the phase ``name`` that began at the previous mark;
    marks outside ``start()`` / ``stop()`` are ignored, so hooks may stay
    registered during untimed steps.
    """

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.active = False
        self.last = 0.0
        self.durations: Dict[str, float] = {}

    def start(self) -> None:
        """Begin a step."""
        synchronize(self.device)
        self.durations = {}
        self.active = True
        self.last = time.perf_counter()

    def mark(self, name: str) -> None:
        """End phase ``name`` now."""
        if not self.active:
            return
        synchronize(self.device)
        now = time.perf_counter()
        self.durations[name] = self.durations.get(name, 0.0) + now - self.last
        self.last = now

    def stop(self) -> Dict[str, float]:
        """End the step; returns the phase durations in seconds."""
        self.active = False
        return dict(self.durations)


def instrument(model: nn.Module, optim_wrapper, timer: PhaseTimer) -> None:
    """Put phase marks on the model's submodules and the optimizer wrapper.

    Phase ends: the data preprocessor's output, the target generator's
    output, the head's input (the student has finished), the start and end
    of ``optim_wrapper.backward``.
    """
    def post(name):
        return lambda module, args, output: timer.mark(name)

    if isinstance(getattr(model, 'data_preprocessor', None), nn.Module):
        model.data_preprocessor.register_forward_hook(post('preprocess'))
    if isinstance(getattr(model, 'target_generator', None), nn.Module):
        model.target_generator.register_forward_hook(post('targets'))
    if isinstance(getattr(model, 'head', None), nn.Module):
        model.head.register_forward_pre_hook(
            lambda module, args: timer.mark('student_fwd'))
    backward = optim_wrapper.backward

    def timed_backward(loss, **kwargs):
        timer.mark('decoder_loss_fwd')
        backward(loss, **kwargs)
        timer.mark('backward')

    optim_wrapper.backward = timed_backward


def sdpa_flop_mapping() -> Dict[Any, Callable]:
    """FLOP formulas for SDPA kernels ``FlopCounterMode`` does not know."""
    from torch.utils import flop_counter as fc
    mapping = {}
    aten = torch.ops.aten
    forward = getattr(aten, '_scaled_dot_product_flash_attention_for_cpu',
                      None)
    backward = getattr(aten,
                       '_scaled_dot_product_flash_attention_for_cpu_backward',
                       None)
    # self-attention: the real queries are the keys (the model pads the
    # queries of the CPU kernel with zero rows, which are not counted)
    if forward is not None:
        mapping[forward] = lambda q, k, v, *args, out_shape=None, **kw: \
            fc.sdpa_flop_count(k, k, v)
    if backward is not None:
        mapping[backward] = lambda grad, q, k, v, *args, out_shape=None, \
            **kw: fc.sdpa_backward_flop_count(v, k, k, v)
    return mapping


def count_flops(step: Callable[[], Any]) -> Tuple[int, float]:
    """FLOPs of one call of ``step`` and the share of attention in them."""
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False,
                              custom_mapping=sdpa_flop_mapping())
    with counter:
        step()
    total = counter.get_total_flops()
    attention = sum(
        count for op, count in counter.get_flop_counts().get(
            'Global', {}).items() if 'attention' in str(op))
    return int(total), attention / total if total else 0.0
