"""Optimizer wrappers registered in MMAction2's ``OPTIM_WRAPPERS``."""
from .autocast_optim_wrapper import AutocastOptimWrapper, mixed_precision
from .divergence_guard import (DivergenceError, DivergenceGuardOptimWrapper,
                               total_grad_norm)

__all__ = [
    'AutocastOptimWrapper', 'DivergenceError', 'DivergenceGuardOptimWrapper',
    'mixed_precision', 'total_grad_norm'
]
