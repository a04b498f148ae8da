"""t-SNE of pooled features for the benchmark report (scikit-learn).

A thin wrapper around :class:`sklearn.manifold.TSNE` that fixes the choices
of the report's plots: PCA start, a perplexity capped for small sets, a
seed, and the PCA reduction of wide features that the t-SNE literature
applies first.
"""
from typing import Tuple

import numpy as np


def tsne(x: np.ndarray,
         dims: int = 2,
         perplexity: float = 30.0,
         pca_dims: int = 50,
         seed: int = 0) -> Tuple[np.ndarray, float]:
    """Embed ``x`` ``(N, D)`` in ``dims`` dimensions with t-SNE.

    Args:
        x: Feature vectors, ``N >= 5``.
        dims: Output dimensions.
        perplexity: Effective neighbour count; capped at ``(N - 1) / 3``.
        pca_dims: Wider inputs are first reduced to this many principal
            components.
        seed: Seed of scikit-learn's optimisation.

    Returns:
        The embedding ``(N, dims)`` and the final KL divergence.
    """
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE

    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    if n < 5:
        raise ValueError(f't-SNE needs at least 5 points, got {n}')
    if x.shape[1] > pca_dims:
        x = PCA(n_components=min(pca_dims, n), random_state=seed
                ).fit_transform(x)
    model = TSNE(n_components=dims, perplexity=min(perplexity, (n - 1) / 3.0),
                 init='pca', learning_rate='auto', random_state=seed)
    embedding = model.fit_transform(x)
    return embedding, float(model.kl_divergence_)
