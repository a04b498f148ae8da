"""Backbones."""
from .masked_gcn_encoder import MaskedGCNEncoder
from .skeleton_transformer import SkeletonTransformer

__all__ = ['MaskedGCNEncoder', 'SkeletonTransformer']
