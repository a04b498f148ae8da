"""Datasets and data transforms."""
from .checked_pose_dataset import CheckedPoseDataset
from .layouts import LAYOUTS, get_layout, graph_layout_dict
from .samplers import ResumableSampler
from .synthetic_dataset import SyntheticSkeletonDataset
from .transforms import *  # noqa: F401,F403
from .wrappers import LabelFractionDataset, PerSampleSeedDataset

__all__ = [
    'LAYOUTS', 'CheckedPoseDataset', 'LabelFractionDataset',
    'PerSampleSeedDataset', 'ResumableSampler', 'SyntheticSkeletonDataset',
    'get_layout', 'graph_layout_dict'
]
