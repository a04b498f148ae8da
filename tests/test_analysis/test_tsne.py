"""The small numpy t-SNE used by the benchmark report."""
import numpy as np
import pytest

from mmskel2vec.analysis.tsne import input_affinities, tsne


def test_affinities_are_a_symmetric_distribution():
    x = np.random.default_rng(0).normal(size=(30, 5))
    p = input_affinities(x, perplexity=5.0)
    assert np.allclose(p, p.T) and p.sum() == pytest.approx(1.0, abs=1e-6)


def test_separates_clusters():
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 20)) * 10
    x = np.concatenate([c + rng.normal(size=(20, 20)) for c in centers])
    labels = np.repeat(np.arange(3), 20)
    y, kl = tsne(x, perplexity=10.0, iters=300, exaggeration_iters=100)
    assert y.shape == (60, 2) and np.isfinite(kl)
    dist = ((y[:, None] - y[None]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    assert (labels[dist.argmin(1)] == labels).mean() > 0.95
