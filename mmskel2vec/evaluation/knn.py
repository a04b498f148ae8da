"""Weighted k-nearest-neighbour classification of frozen features."""
import torch
import torch.nn.functional as F


@torch.no_grad()
def weighted_knn_top1(train_feats: torch.Tensor,
                      train_labels: torch.Tensor,
                      val_feats: torch.Tensor,
                      val_labels: torch.Tensor,
                      k: int = 20,
                      temperature: float = 0.07,
                      chunk: int = 1024) -> float:
    """Top-1 accuracy (%) of the weighted kNN classifier.

    The protocol of the self-supervised literature (InstDisc, DINO):
    features are L2-normalised, each validation sample takes its ``k``
    most cosine-similar training samples, and each neighbour votes for its
    class with weight ``exp(similarity / temperature)``.

    Args:
        train_feats (torch.Tensor): ``(N, C)`` training features.
        train_labels (torch.Tensor): ``(N,)`` integer labels.
        val_feats (torch.Tensor): ``(M, C)`` validation features.
        val_labels (torch.Tensor): ``(M,)`` integer labels.
        k (int): Neighbours (at most ``N``). Defaults to 20.
        temperature (float): Vote temperature. Defaults to 0.07.
        chunk (int): Validation samples per similarity block.

    Returns:
        float: Top-1 accuracy in percent.
    """
    if len(train_feats) == 0 or len(val_feats) == 0:
        raise ValueError('kNN needs at least one training and one '
                         'validation sample')
    train = F.normalize(train_feats.float(), dim=1)
    val = F.normalize(val_feats.float(), dim=1)
    train_labels = train_labels.long()
    num_classes = int(max(train_labels.max(), val_labels.max())) + 1
    k = min(k, len(train))
    correct = 0
    for start in range(0, len(val), chunk):
        sim = val[start:start + chunk] @ train.T
        top_sim, top_idx = sim.topk(k, dim=1)
        votes = torch.zeros(len(sim), num_classes)
        votes.scatter_add_(1, train_labels[top_idx],
                           (top_sim / temperature).exp())
        pred = votes.argmax(1)
        correct += int((pred == val_labels[start:start + chunk]).sum())
    return 100.0 * correct / len(val)
