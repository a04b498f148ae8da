"""bf16 autocast training where MMEngine's ``AmpOptimWrapper`` needs a GPU."""
import contextlib
import copy
from typing import Dict, Optional, Union

import torch
from mmengine.logging import print_log
from torch import nn

from mmaction.registry import OPTIM_WRAPPERS

from ...utils.matmul_rate import cpu_bf16_flags, dtype_is_emulated
from .divergence_guard import DivergenceGuardOptimWrapper


def emulated_bf16_message(rates: Dict[str, Optional[float]]) -> str:
    """Why bf16 autocast is refused on this CPU, with the measured rates."""
    fp32, bf16 = rates.get('fp32'), rates.get('bfloat16')
    flags = cpu_bf16_flags()
    listed = ', '.join(name for name, on in flags.items() if on) or 'neither'
    rate = (f'a 256x256 bf16 matmul runs at {bf16:.1f} GFLOP/s against '
            f'{fp32:.1f} in fp32' if fp32 and bf16 else
            'this CPU cannot multiply bf16 matrices')
    return (f'bf16 autocast refused: this CPU has no native bf16 ({rate}; '
            f'/proc/cpuinfo lists {listed} of avx512_bf16 and amx_bf16), so '
            'bf16 training would be far slower than fp32. Train without '
            '--amp, or set optim_wrapper.allow_emulated=True to force it.')


def mixed_precision(optim_wrapper: dict,
                    device_type: str,
                    dtype: Optional[Union[str, torch.dtype]] = None) -> dict:
    """An optimizer-wrapper config switched to mixed precision.

    What ``tools/train.py --amp`` and the benchmark do: on CUDA MMEngine's
    ``AmpOptimWrapper`` (dynamic loss scaling unless the config sets one),
    elsewhere :class:`AutocastOptimWrapper` (bf16 only; it refuses a CPU
    that emulates bf16). The other keys are kept.

    Args:
        optim_wrapper (dict): The config's ``optim_wrapper``.
        device_type (str): ``'cuda'``, ``'cpu'``, ...
        dtype (str | torch.dtype, optional): Autocast dtype; None keeps each
            wrapper's default (fp16 for ``AmpOptimWrapper``, bf16 here).

    Returns:
        dict: A new config; ``optim_wrapper`` is not modified.
    """
    cfg = copy.deepcopy(optim_wrapper)
    if device_type == 'cuda':
        cfg['type'] = 'AmpOptimWrapper'
        cfg.setdefault('loss_scale', 'dynamic')
        if dtype is not None:
            cfg['dtype'] = str(dtype).split('.')[-1]
    else:
        cfg['type'] = 'AutocastOptimWrapper'
        cfg['device_type'] = device_type
        if dtype is not None:
            cfg['dtype'] = dtype
    return cfg


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(DivergenceGuardOptimWrapper):
    """``DivergenceGuardOptimWrapper`` that runs forward passes in bf16.

    ``optim_context`` enables ``torch.autocast(device_type, bfloat16)``
    around the model's forward (matmuls and attention in bf16, reductions
    and the loss in fp32; parameters, gradients and the optimizer stay
    fp32, so no loss scaling is needed). ``tools/train.py --amp`` selects it
    on machines without CUDA (MMEngine's ``AmpOptimWrapper`` asserts a
    GPU). On CPU a bounded probe (a few milliseconds) first measures the
    bf16 and fp32 matmul rates: where bf16 is emulated (no AVX512-BF16 or
    AMX; about 100x slower) construction fails with the measured rates
    unless ``allow_emulated``.

    Args:
        *args: Positional arguments of ``DivergenceGuardOptimWrapper``.
        device_type (str): Autocast device type. Defaults to ``'cpu'``.
        dtype (str | torch.dtype): Only bfloat16 is supported (fp16 needs
            loss scaling: use ``AmpOptimWrapper`` on GPUs). Defaults to
            ``'bfloat16'``.
        allow_emulated (bool): Train in bf16 even where it is emulated.
            Defaults to False.
        **kwargs: Keyword arguments of ``DivergenceGuardOptimWrapper``.
    """

    def __init__(self,
                 *args,
                 device_type: str = 'cpu',
                 dtype='bfloat16',
                 allow_emulated: bool = False,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(dtype, str):
            dtype = getattr(torch, dtype, None)
        if dtype is not torch.bfloat16:
            raise ValueError('AutocastOptimWrapper supports bfloat16 only, '
                             f'got {dtype!r}')
        self.device_type = device_type
        self.cast_dtype = dtype
        self.rates: Dict[str, Optional[float]] = {}
        if device_type == 'cpu':
            emulated = dtype_is_emulated(dtype, torch.device('cpu'),
                                         self.rates)
            if emulated and not allow_emulated:
                raise RuntimeError(emulated_bf16_message(self.rates))
            print_log(
                f'AutocastOptimWrapper: bf16 autocast on CPU ('
                f'{"EMULATED, " if emulated else ""}small matmul probe: '
                + ', '.join(f'{k} {v:.1f} GFLOP/s' for k, v in
                            self.rates.items() if v is not None) + ')',
                logger='current')

    @contextlib.contextmanager
    def optim_context(self, model: nn.Module):
        """The parent's context plus autocast."""
        with super().optim_context(model), torch.autocast(
                self.device_type, dtype=self.cast_dtype):
            yield
