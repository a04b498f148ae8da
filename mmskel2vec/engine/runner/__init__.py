"""Training loop and log processor of the runner."""
from .mode_tagged_log_processor import ModeTaggedLogProcessor
from .resumable_loop import (BATCHES_DONE_KEY, BATCHES_PER_EPOCH_KEY,
                             ResumableEpochBasedTrainLoop)

__all__ = [
    'BATCHES_DONE_KEY', 'BATCHES_PER_EPOCH_KEY', 'ModeTaggedLogProcessor',
    'ResumableEpochBasedTrainLoop'
]
