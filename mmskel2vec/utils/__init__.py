"""Small helpers shared by the datasets and the engine."""
from .distributed import shutdown_distributed
from .heap import retain_freed_memory
from .rng import derive_seed, isolated_global_rngs, seed_global_rngs

__all__ = [
    'derive_seed', 'isolated_global_rngs', 'retain_freed_memory',
    'seed_global_rngs', 'shutdown_distributed'
]
