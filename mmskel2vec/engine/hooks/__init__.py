"""Training hooks."""
from .atomic_checkpoint_hook import (AtomicCheckpointHook,
                                     NonFiniteCheckpointError)
from .ema_teacher_hook import EMATeacherHook, ema_momentum, ema_update
from .iter_seed_hook import IterSeedHook
from .knn_monitor_hook import KNNMonitorHook
from .retain_freed_memory_hook import RetainFreedMemoryHook
from .subset_record_hook import SubsetRecordHook
from .weight_sync_check_hook import WeightSyncCheckHook

__all__ = [
    'AtomicCheckpointHook', 'EMATeacherHook', 'IterSeedHook', 'KNNMonitorHook',
    'NonFiniteCheckpointError', 'RetainFreedMemoryHook', 'SubsetRecordHook',
    'WeightSyncCheckHook', 'ema_momentum', 'ema_update'
]
