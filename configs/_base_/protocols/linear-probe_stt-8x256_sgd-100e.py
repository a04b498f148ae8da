# Linear evaluation of a pretrained Skeleton2vec encoder (MAMP's protocol):
# the encoder is frozen (no gradients, eval mode) and loaded from the
# pretraining checkpoint; pooled features go through a BatchNorm without
# affine and one linear layer (LinearProbeHead), trained with SGD (lr 0.1,
# momentum 0.9, no weight decay) for 100 epochs with a cosine schedule, no
# warm-up, plain cross-entropy; global batch 256 (MAMP: 2 GPUs x 128).
#
# Children set the checkpoint and the classes:
#   model = dict(backbone=dict(init_cfg=dict(checkpoint='.../epoch_800.pth')),
#                cls_head=dict(num_classes=60))
# prefix 'teacher.' loads the frozen EMA teacher, as the authors probe it;
# --cfg-options model.backbone.init_cfg.prefix=backbone. loads the student
# (and is the prefix of a file written by tools/misc/export_backbone.py).
# Missing or unexpected keys raise (strict=True, mmskel2vec's strict loader).
_base_ = ['../models/recognizer_stt-8x256.py', '../default_runtime.py']

model = dict(
    backbone=dict(
        frozen=True,
        init_cfg=dict(type='Pretrained', checkpoint=None, prefix='teacher.',
                      strict=True)),
    cls_head=dict(type='LinearProbeHead', in_channels=256))

max_epochs = 100
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs,
        eta_min=0.0,
        by_epoch=True,
        begin=0,
        end=max_epochs,
        convert_to_iter_based=True)
]
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
    val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator

default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best='acc/top1'))
auto_scale_lr = dict(enable=False, base_batch_size=256)
