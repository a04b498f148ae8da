# Demo: Skeleton2vec pretraining on the embedded synthetic dataset (NTU
# 25-joint layout, generated from a seed, no download) with a small encoder
# (4 blocks, width 128) on 64-frame clips, sized to finish on 2 CPU cores in
# a few minutes:
#   python tools/train.py configs/skeleton2vec/skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py
_base_ = [
    '../_base_/models/skeleton2vec_stt-8x256.py',
    '../_base_/schedules/adamw_cosine_400e.py',
    '../_base_/default_runtime.py'
]

clip_len = 64
t_patch = 4
model = dict(
    backbone=dict(
        clip_len=clip_len, t_patch=t_patch, embed_dims=128, depth=4,
        num_heads=4),
    head=dict(
        in_channels=128, embed_dims=128, depth=2, num_heads=4,
        num_tokens_t=clip_len // t_patch),
    target_generator=dict(top_k=4))

pretrain_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='RandomTemporalCropResize', clip_len=clip_len,
         p_interval=(0.5, 1.0)),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='MotionAwareTubeMasking', t_patch=t_patch, tube_len=4,
         mask_ratio=0.9, tau=0.8),
    dict(type='PackActionInputs', algorithm_keys=('mask', ),
         meta_keys=('frame_dir', ))
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='SyntheticSkeletonDataset',
        num_samples=512,
        split='train',
        seed=0,
        pipeline=pretrain_pipeline))

max_epochs = 15
warmup_epochs = 2
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0,
         end=warmup_epochs, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs,
         eta_min=1e-5, by_epoch=True, begin=warmup_epochs, end=max_epochs,
         convert_to_iter_based=True)
]
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs)
custom_hooks = [
    dict(type='EMATeacherHook', momentum=0.996, end_momentum=0.9999)
]
default_hooks = dict(
    logger=dict(interval=8),
    checkpoint=dict(interval=5, max_keep_ckpts=2))
auto_scale_lr = dict(base_batch_size=16)
