"""Optimizer wrappers registered in MMAction2's ``OPTIM_WRAPPERS``."""
from .autocast_optim_wrapper import AutocastOptimWrapper
from .divergence_guard import (DivergenceError, DivergenceGuardOptimWrapper,
                               total_grad_norm)

__all__ = [
    'AutocastOptimWrapper', 'DivergenceError', 'DivergenceGuardOptimWrapper',
    'total_grad_norm'
]
