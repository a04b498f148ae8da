"""Target generators: what the pretraining head regresses."""
from .contextual_target import ContextualTargetGenerator

__all__ = ['ContextualTargetGenerator']
