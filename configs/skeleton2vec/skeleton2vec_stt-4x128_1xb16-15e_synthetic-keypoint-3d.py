# Demo: Skeleton2vec pretraining on the embedded synthetic dataset (NTU
# 25-joint layout, generated from a seed, no download) with a small encoder
# (4 blocks, width 128) on 64-frame clips, sized to finish on 2 CPU cores in
# a few minutes; the kNN monitor logs the teacher's and the student's kNN
# top-1 on the synthetic classes before training and every 5 epochs:
#   python tools/train.py configs/skeleton2vec/skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py
_base_ = [
    '../_base_/models/skeleton2vec_stt-4x128.py',
    '../_base_/datasets/synthetic_3d.py',
    '../_base_/schedules/adamw_cosine_100e.py',
    '../_base_/default_runtime.py'
]

# ResumableSampler: a resume continues inside an epoch without reloading
# what was trained, and each sample's augmentation and mask are seeded
# from (seed, epoch, index) (docs/reliability.md)
train_dataloader = dict(
    sampler=dict(type='ResumableSampler'),
    dataset=dict(pipeline={{_base_.pretrain_pipeline}}))
# pretraining has no labels to evaluate on (the kNN monitor below scores
# the encoders on labelled clips), so no val/test loop: the dataset base's
# loaders are dropped (loops and evaluator come only with the downstream
# protocols)
val_dataloader = None
test_dataloader = None

max_epochs = 15
warmup_epochs = 2
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0,
         end=warmup_epochs, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs,
         eta_min=1e-5, by_epoch=True, begin=warmup_epochs, end=max_epochs,
         convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
# the small-data teacher (held at 0.996, then 0.97 -> 1.0) with its hold
# scaled to this run: 6 of 15 epochs, as 40 of 100 in the schedule base
custom_hooks = [
    _base_.iter_seed_hook, _base_.weight_sync_hook, _base_.freed_memory_hook,
    dict(_base_.ema_hook, hold_epochs=6), _base_.knn_monitor
]
default_hooks = dict(
    logger=dict(interval=8),
    checkpoint=dict(interval=5, max_keep_ckpts=2))
auto_scale_lr = dict(base_batch_size=16)
