"""Building blocks shared by the models."""
from .transformer import (LayerScale, MultiheadSelfAttention,
                          SpatioTemporalPosEmbed, TransformerBlock,
                          build_blocks)

__all__ = [
    'LayerScale', 'MultiheadSelfAttention', 'SpatioTemporalPosEmbed',
    'TransformerBlock', 'build_blocks'
]
