"""Small helpers shared by the datasets and the engine."""
from .rng import derive_seed, isolated_global_rngs, seed_global_rngs

__all__ = ['derive_seed', 'isolated_global_rngs', 'seed_global_rngs']
