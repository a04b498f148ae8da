"""Pretraining heads."""
from .skeleton2vec_head import Skeleton2VecHead

__all__ = ['Skeleton2VecHead']
