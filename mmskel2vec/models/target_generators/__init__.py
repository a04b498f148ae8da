"""Target generators: what the pretraining head regresses."""
from .contextual_target import ContextualTargetGenerator
from .low_level_target import LowLevelTargetGenerator

__all__ = ['ContextualTargetGenerator', 'LowLevelTargetGenerator']
