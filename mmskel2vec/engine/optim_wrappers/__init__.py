"""Optimizer wrappers registered in MMAction2's ``OPTIM_WRAPPERS``."""
from .divergence_guard import (DivergenceError, DivergenceGuardOptimWrapper,
                               total_grad_norm)

__all__ = ['DivergenceError', 'DivergenceGuardOptimWrapper', 'total_grad_norm']
