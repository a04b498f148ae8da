"""Weight initializers registered in MMAction2's ``WEIGHT_INITIALIZERS``."""
from .strict_pretrained import (PretrainedKeyError, StrictPretrainedInit,
                                compare_state_dicts, select_prefix)

__all__ = [
    'PretrainedKeyError', 'StrictPretrainedInit', 'compare_state_dicts',
    'select_prefix'
]
