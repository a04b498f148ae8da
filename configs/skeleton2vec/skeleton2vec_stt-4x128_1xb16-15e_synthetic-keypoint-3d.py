# Demo: Skeleton2vec pretraining on the embedded synthetic dataset (NTU
# 25-joint layout, generated from a seed, no download) with a small encoder
# (4 blocks, width 128) on 64-frame clips, sized to finish on 2 CPU cores in
# under 5 minutes; the kNN monitor logs the teacher's and the student's kNN
# top-1 on the synthetic classes before the first step and after the last:
#   python tools/train.py configs/skeleton2vec/skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py
# Measured on the 2-core CPU VM (docs/benchmarks.md, twenty-third session;
# kNN on 128 clips): the teacher's kNN ends at 86.7 / 85.9 / 82.8% and the
# student's at 82.8 / 87.5 / 78.9% (seeds 0 / 1 / 2) against 74.2% for the
# random encoder before the first step; seed 0 alone took 3 min 45 s,
# peak RSS 1.3 GB.
# The clips carry 3 cm of Gaussian noise on every coordinate, in training
# and in both kNN sets (the dataset base synthetic_noisy_3d.py): on the
# clean clips of synthetic_3d.py a random encoder's kNN is already 96.1%,
# which leaves no room to show a rise. What differs from the model and
# schedule bases, each for a measured reason:
_base_ = [
    '../_base_/models/skeleton2vec_stt-4x128.py',
    '../_base_/datasets/synthetic_noisy_3d.py',
    '../_base_/schedules/adamw_cosine_15e.py',
    '../_base_/default_runtime.py'
]

# ResumableSampler: a resume continues inside an epoch without reloading
# what was trained, and each sample's augmentation and mask are seeded
# from (seed, epoch, index) (docs/reliability.md)
train_dataloader = dict(
    sampler=dict(type='ResumableSampler'),
    dataset=dict(pipeline=_base_.pretrain_pipeline))
# pretraining has no labels to evaluate on (the kNN monitor below scores
# the encoders on labelled clips), so no val/test loop: the dataset base's
# loaders are dropped (loops and evaluator come only with the downstream
# protocols)
val_dataloader = None
test_dataloader = None

# - a decoder of width 64 instead of the model base's 128 (2 blocks, 4
#   heads). With 128 the teacher's kNN ended at 53.9 and 55.5% on seeds 1
#   and 2, the early collapse of the small real datasets
#   (./ablations/skeleton2vec-decoder128_stt-4x128_1xb16-15e_synthetic-noisy-keypoint-3d.py),
#   and needed 45 epochs to end above the random encoder on every seed
#   (./skeleton2vec_stt-4x128_1xb16-45e_synthetic-noisy-keypoint-3d.py);
#   the narrow decoder is also cheaper.
model = dict(head=dict(embed_dims=64))
# - lr 2.5e-4 instead of the schedule base's 1e-3 (with 1e-3 and the wide
#   decoder the kNN fell to 51.6% by epoch 15, twenty-second session)
optim_wrapper = dict(optimizer=dict(lr=2.5e-4))
# - the teacher at a constant momentum of 0.996, the small-data teacher's
#   hold for the whole run (with the wide decoder, seed 0: 84.4% against
#   75.8% with the earlier teacher, 0.996 for 6 epochs, then 0.97 -> 1.0;
#   twenty-second session)
custom_hooks = [
    _base_.iter_seed_hook, _base_.weight_sync_hook, _base_.freed_memory_hook,
    dict(type='EMATeacherHook', momentum=0.996, end_momentum=0.996),
    # kNN before the first step and after the last epoch only: each
    # evaluation costs 11-13 s here
    dict(_base_.knn_monitor, interval=_base_.max_epochs)
]
default_hooks = dict(
    logger=dict(interval=8),
    checkpoint=dict(interval=5, max_keep_ckpts=2))
