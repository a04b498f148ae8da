"""Data samplers registered in MMAction2's ``DATA_SAMPLERS`` registry."""
from .resumable_sampler import ResumableSampler, SampleIndex

__all__ = ['ResumableSampler', 'SampleIndex']
