import pytest
import torch

from mmskel2vec.evaluation import weighted_knn_top1


def test_knn_separable_clusters_and_shuffled_labels():
    gen = torch.Generator().manual_seed(0)
    centers = torch.randn(4, 16, generator=gen) * 5
    labels = torch.arange(4).repeat_interleave(30)
    feats = centers[labels] + torch.randn(120, 16, generator=gen)
    assert weighted_knn_top1(feats[::2], labels[::2], feats[1::2],
                             labels[1::2]) == 100.0
    # labels unrelated to the features: near chance (25%)
    shuffled = labels[torch.randperm(120, generator=gen)]
    acc = weighted_knn_top1(feats[::2], shuffled[::2], feats[1::2],
                            shuffled[1::2])
    assert acc < 60.0


def test_knn_weights_votes_by_similarity():
    # two neighbours of class 1 far away outvoted by one very close class 0
    train = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.1, 1.0]])
    labels = torch.tensor([0, 1, 1])
    val = torch.tensor([[1.0, 0.05]])
    assert weighted_knn_top1(train, labels, val, torch.tensor([0]), k=3,
                             temperature=0.07) == 100.0
    # a flat temperature counts heads instead
    assert weighted_knn_top1(train, labels, val, torch.tensor([0]), k=3,
                             temperature=100.0) == 0.0


def test_knn_chunks_agree_and_k_is_capped():
    gen = torch.Generator().manual_seed(1)
    train, val = torch.randn(50, 8, generator=gen), torch.randn(
        37, 8, generator=gen)
    tl, vl = torch.randint(0, 5, (50, ), generator=gen), torch.randint(
        0, 5, (37, ), generator=gen)
    assert weighted_knn_top1(train, tl, val, vl, chunk=5) == \
        weighted_knn_top1(train, tl, val, vl, chunk=1000)
    assert weighted_knn_top1(train, tl, val, vl, k=500) == \
        weighted_knn_top1(train, tl, val, vl, k=50)
    with pytest.raises(ValueError):
        weighted_knn_top1(train[:0], tl[:0], val, vl)
