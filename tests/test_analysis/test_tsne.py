"""The report's t-SNE wrapper (scikit-learn)."""
import numpy as np
import pytest

from mmskel2vec.analysis.tsne import tsne


def test_separates_clusters_and_reduces_wide_inputs():
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 80)) * 10
    x = np.concatenate([c + rng.normal(size=(20, 80)) for c in centers])
    labels = np.repeat(np.arange(3), 20)
    y, kl = tsne(x, perplexity=10.0)
    assert y.shape == (60, 2) and np.isfinite(kl)
    dist = ((y[:, None] - y[None]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    assert (labels[dist.argmin(1)] == labels).mean() > 0.95
    again, _ = tsne(x, perplexity=10.0)
    np.testing.assert_allclose(again, y)  # seeded


def test_small_sets_cap_the_perplexity_and_too_few_points_fail():
    y, _ = tsne(np.random.default_rng(1).normal(size=(7, 4)))
    assert y.shape == (7, 2)
    with pytest.raises(ValueError, match='at least 5'):
        tsne(np.zeros((4, 3)))
