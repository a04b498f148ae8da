"""Self-supervised algorithms."""
from .skeleton2vec import Skeleton2Vec

__all__ = ['Skeleton2Vec']
