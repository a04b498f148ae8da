# Fine-tuning of a pretrained Skeleton2vec encoder (MAMP's protocol): the
# whole RecognizerGCN trains with AdamW (lr 5e-4, weight decay 0.05, none on
# norms, biases and position embeddings), layer-wise lr decay 0.8, drop path
# 0.3, label smoothing 0.1, 5 warm-up epochs then cosine to 1e-6, 100 epochs;
# global batch 48 (MAMP: 2 GPUs x 24).
#
# Children set the checkpoint and the classes:
#   model = dict(backbone=dict(init_cfg=dict(checkpoint='.../epoch_800.pth')),
#                cls_head=dict(num_classes=60))
# The prefix 'teacher.' starts from the EMA teacher, as the authors' linear
# and semi-supervised protocols do; model.backbone.init_cfg.prefix=backbone.
# starts from the student (and loads a tools/misc/export_backbone.py file).
# Semi-supervised children wrap the training set in LabelFractionDataset.
_base_ = ['../models/recognizer_stt-8x256.py', '../default_runtime.py']

model = dict(
    backbone=dict(
        drop_path_rate=0.3,
        init_cfg=dict(type='Pretrained', checkpoint=None, prefix='teacher.',
                      strict=True)),
    cls_head=dict(label_smooth_eps=0.1))

max_epochs = 100
warmup_epochs = 5
optim_wrapper = dict(
    constructor='LayerDecayOptimWrapperConstructor',
    optimizer=dict(
        type='AdamW', lr=5e-4, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(layer_decay_rate=0.8))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - warmup_epochs,
        eta_min=1e-6,
        by_epoch=True,
        begin=warmup_epochs,
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
auto_scale_lr = dict(enable=False, base_batch_size=48)

# The semi-supervised configs train on a LabelFractionDataset: this hook
# writes the labelled subset they drew to <work_dir>/labelled_subset.json
# (with all labels it logs that there is no subset).
custom_hooks = [*_base_.custom_hooks, dict(type='SubsetRecordHook')]
