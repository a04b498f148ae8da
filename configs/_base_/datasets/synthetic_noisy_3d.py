# The embedded synthetic dataset of synthetic_3d.py with 3 cm of Gaussian
# noise on every coordinate (SyntheticSkeletonDataset's `variation`) in
# every loader: the training, validation and test sets and both sets of the
# kNN monitor. On the clean clips a randomly initialised encoder's kNN is
# already 96.1%, on these 74.2% (docs/benchmarks.md, twenty-second and
# twenty-third sessions), which leaves room to show what pretraining adds.
# The CPU demo pretrains on it and its downstream configs probe it.
_base_ = './synthetic_3d.py'

variation = dict(noise_std=0.03)
train_dataloader = dict(dataset=dict(variation=variation))
val_dataloader = dict(dataset=dict(variation=variation))
test_dataloader = val_dataloader
knn_dataloader = dict(dataset=dict(variation=variation))
knn_monitor = dict(
    train_dataloader=knn_dataloader,
    val_dataloader=dict(dataset=dict(variation=variation)))
