"""Training loops registered in MMAction2's ``LOOPS`` registry."""
from .resumable_loop import (BATCHES_DONE_KEY, BATCHES_PER_EPOCH_KEY,
                             ResumableEpochBasedTrainLoop,
                             with_per_sample_seeding)

__all__ = [
    'BATCHES_DONE_KEY', 'BATCHES_PER_EPOCH_KEY',
    'ResumableEpochBasedTrainLoop', 'with_per_sample_seeding'
]
