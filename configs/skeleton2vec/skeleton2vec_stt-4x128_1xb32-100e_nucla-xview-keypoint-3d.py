# Skeleton2vec pretraining on N-UCLA (cross-view training views 1-2, labels
# unused) with the small encoder (4 blocks, width 128, 4 heads) on 64-frame
# clips of 20 joints (16 x 20 tokens), a 2-block decoder and top-4 targets;
# the dataset base's `masking` (the authors' additive motion prior); a kNN
# monitor every 10 epochs.
# Downstream: ../benchmarks/*_nucla-xview-keypoint-3d.py.
_base_ = [
    '../_base_/models/skeleton2vec_stt-8x256.py',
    '../_base_/datasets/nucla_xview_3d.py',
    '../_base_/schedules/adamw_cosine_400e.py',
    '../_base_/default_runtime.py'
]

model = dict(
    backbone=dict(
        num_joints={{_base_.num_joints}}, clip_len={{_base_.clip_len}},
        t_patch={{_base_.t_patch}}, embed_dims=128, depth=4, num_heads=4, layer_scale_init=None),
    head=dict(
        in_channels=128, embed_dims=128, depth=2, num_heads=4,
        num_joints={{_base_.num_joints}}, num_tokens_t=16, layer_scale_init=None),
    target_generator=dict(top_k=4))

train_dataloader = dict(
    batch_size=32, dataset=dict(pipeline={{_base_.pretrain_pipeline}}))
# pretraining has no labels to evaluate on
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None

max_epochs = 100
warmup_epochs = 10
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
    dict(type='EMATeacherHook', momentum=0.996, end_momentum=0.9999),
    {{_base_.knn_monitor}}
]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=1))
auto_scale_lr = dict(base_batch_size=32)
