"""Datasets and data transforms."""
from .synthetic_dataset import SyntheticSkeletonDataset
from .transforms import *  # noqa: F401,F403

__all__ = ['SyntheticSkeletonDataset']
