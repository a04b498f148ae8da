"""Optimizer wrapper constructors."""
from .layer_decay_constructor import (LayerDecayOptimWrapperConstructor,
                                      count_layers, get_layer_depth)

__all__ = [
    'LayerDecayOptimWrapperConstructor', 'count_layers', 'get_layer_depth'
]
