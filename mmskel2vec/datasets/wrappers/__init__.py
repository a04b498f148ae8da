"""Dataset wrappers registered in MMAction2's ``DATASETS`` registry."""
from .label_fraction_dataset import LabelFractionDataset, stratified_subset
from .per_sample_seed_dataset import PerSampleSeedDataset

__all__ = ['LabelFractionDataset', 'PerSampleSeedDataset', 'stratified_subset']
