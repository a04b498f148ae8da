# Fine-tuning on the synthetic dataset of the ST-GCN pretrained by
# ../skeleton2vec_stgcn_1xb16-15e_synthetic-keypoint-3d.py: a plain MMAction2
# RecognizerGCN with STGCN + GCNHead and MMAction2's ST-GCN optimizer (SGD,
# nesterov, lr 0.1, weight decay 5e-4, cosine), loaded with the stock
# strict `Pretrained` init_cfg from the MaskedGCNEncoder's `encoder.` entries.
_base_ = [
    '../../_base_/datasets/synthetic_3d.py', '../../_base_/default_runtime.py'
]

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN',
        graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/skeleton2vec_stgcn_1xb16-15e_'
            'synthetic-keypoint-3d/epoch_15.pth',
            prefix='backbone.encoder.',
            strict=True)),
    cls_head=dict(type='GCNHead', num_classes=8, in_channels=256))

max_epochs = 10
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
    val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, T_max=max_epochs,
         by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0005, nesterov=True))
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=5, max_keep_ckpts=1, save_best='acc/top1'))
auto_scale_lr = dict(enable=False, base_batch_size=16)
