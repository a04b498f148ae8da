# Skeleton2vec pretraining on N-UCLA (cross-view training views 1-2, labels
# unused) with the small encoder (4 blocks, width 128, 4 heads) on 64-frame
# clips of 20 joints (16 x 20 tokens), a 2-block decoder and top-4 targets; the
# dataset base's `masking` (the authors' additive motion prior); the schedule
# base's EMA teacher (held at 0.996 for 40 epochs, then 0.97 -> 1.0); a kNN
# monitor every 10 epochs.
# Downstream: ../benchmarks/*_nucla-xview-keypoint-3d.py.
_base_ = [
    '../_base_/models/skeleton2vec_stt-4x128.py',
    '../_base_/datasets/nucla_xview_3d.py',
    '../_base_/schedules/adamw_cosine_100e.py',
    '../_base_/default_runtime.py'
]

model = dict(
    backbone=dict(num_joints={{_base_.num_joints}}),
    head=dict(num_joints={{_base_.num_joints}}))

# ResumableSampler: a resume continues inside an epoch without reloading
# what was trained, and each sample's augmentation and mask are seeded
# from (seed, epoch, index) (docs/reliability.md)
train_dataloader = dict(
    batch_size=32, sampler=dict(type='ResumableSampler'),
    dataset=dict(pipeline={{_base_.pretrain_pipeline}}))
# pretraining has no labels to evaluate on (the kNN monitor scores the
# encoders on labelled clips), so no val/test loop: the dataset base's
# loaders are dropped (loops and evaluator come only with the downstream
# protocols)
val_dataloader = None
test_dataloader = None

custom_hooks = [*_base_.custom_hooks, _base_.ema_hook, _base_.knn_monitor]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=1))
