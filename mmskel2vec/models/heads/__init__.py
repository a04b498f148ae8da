"""Pretraining and evaluation heads."""
from .linear_probe_head import LinearProbeHead
from .skeleton2vec_head import Skeleton2VecHead

__all__ = ['LinearProbeHead', 'Skeleton2VecHead']
