"""A small exact t-SNE in numpy (scikit-learn is not a dependency).

Exact O(N^2) t-SNE (van der Maaten and Hinton, 2008): Gaussian input
affinities calibrated per point to a target perplexity by bisection,
symmetrized; Student-t output affinities; gradient descent with momentum,
per-coordinate adaptive gains and early exaggeration. Meant for the few
hundred to few thousand feature vectors of a benchmark plot.
"""
from typing import Tuple

import numpy as np


def pca(x: np.ndarray, dims: int) -> np.ndarray:
    """Project centred ``x`` ``(N, D)`` on its top ``dims`` components."""
    x = x - x.mean(0, keepdims=True)
    dims = min(dims, x.shape[1], x.shape[0])
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return x @ vt[:dims].T


def _squared_distances(x: np.ndarray) -> np.ndarray:
    """Pairwise squared Euclidean distances, clipped at 0."""
    sq = (x * x).sum(1)
    return np.maximum(sq[:, None] + sq[None, :] - 2.0 * x @ x.T, 0.0)


def input_affinities(x: np.ndarray,
                     perplexity: float,
                     tol: float = 1e-5,
                     steps: int = 60) -> np.ndarray:
    """Symmetric joint probabilities ``P`` of the inputs ``(N, D)``.

    Each row's Gaussian precision is found by bisection so that the entropy
    of its conditional distribution equals ``log(perplexity)``.
    """
    n = x.shape[0]
    dist = _squared_distances(x)
    target = np.log(perplexity)
    cond = np.zeros((n, n))
    for i in range(n):
        d = np.delete(dist[i], i)
        d = d - d.min()
        lo, hi, beta = 0.0, np.inf, 1.0
        for _ in range(steps):
            p = np.exp(-d * beta)
            total = max(p.sum(), 1e-300)
            entropy = np.log(total) + beta * (d * p).sum() / total
            if abs(entropy - target) < tol:
                break
            if entropy > target:
                lo = beta
                beta = beta * 2.0 if hi == np.inf else (beta + hi) / 2.0
            else:
                hi = beta
                beta = (beta + lo) / 2.0
        cond[i, np.arange(n) != i] = p / total
    joint = (cond + cond.T) / (2.0 * n)
    return np.maximum(joint, 1e-12)


def tsne(x: np.ndarray,
         dims: int = 2,
         perplexity: float = 30.0,
         iters: int = 750,
         learning_rate: float = 200.0,
         exaggeration: float = 12.0,
         exaggeration_iters: int = 250,
         pca_dims: int = 50,
         seed: int = 0) -> Tuple[np.ndarray, float]:
    """Embed ``x`` ``(N, D)`` in ``dims`` dimensions with exact t-SNE.

    Args:
        x: Feature vectors, ``N >= 5``.
        dims: Output dimensions.
        perplexity: Effective neighbour count; capped at ``(N - 1) / 3``.
        iters: Gradient steps.
        learning_rate: Step size.
        exaggeration: Factor on ``P`` during the first steps.
        exaggeration_iters: Steps with exaggeration (momentum 0.5; 0.8
            afterwards).
        pca_dims: Inputs are first reduced to this many PCA components.
        seed: Seed of the small random jitter added to the PCA start.

    Returns:
        The embedding ``(N, dims)`` and the final KL divergence.
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    if n < 5:
        raise ValueError(f't-SNE needs at least 5 points, got {n}')
    if x.shape[1] > pca_dims:
        x = pca(x, pca_dims)
    x = x / max(np.abs(x).max(), 1e-12)
    perplexity = min(perplexity, (n - 1) / 3.0)
    p = input_affinities(x, perplexity)
    rng = np.random.default_rng(seed)
    y = pca(x, dims)
    y = 1e-4 * y / max(y[:, 0].std(), 1e-12)
    y = y + 1e-6 * rng.standard_normal(y.shape)
    update = np.zeros_like(y)
    gains = np.ones_like(y)
    kl = float('nan')
    for it in range(iters):
        early = it < exaggeration_iters
        pe = p * exaggeration if early else p
        num = 1.0 / (1.0 + _squared_distances(y))
        np.fill_diagonal(num, 0.0)
        q = np.maximum(num / num.sum(), 1e-12)
        pq = (pe - q) * num
        grad = 4.0 * (np.diag(pq.sum(1)) - pq) @ y
        same_sign = np.sign(grad) == np.sign(update)
        gains = np.where(same_sign, gains * 0.8, gains + 0.2)
        gains = np.maximum(gains, 0.01)
        momentum = 0.5 if early else 0.8
        update = momentum * update - learning_rate * gains * grad
        y = y + update
        y = y - y.mean(0, keepdims=True)
        if it == iters - 1:
            kl = float((p * np.log(p / q)).sum())
    return y, kl
