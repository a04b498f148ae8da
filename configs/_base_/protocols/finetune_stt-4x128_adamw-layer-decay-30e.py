# The fine-tuning protocol of finetune_stt-8x256_adamw-layer-decay-100e.py
# for the small encoder (4 blocks, width 128, 4 heads, 4-frame tokens of
# 64-frame clips, no LayerScale) used
# on the synthetic and the small real datasets: 30 epochs (3 warm-up) at a
# batch of 16, drop path 0.1 for the shallower encoder. Children set
# num_joints, the checkpoint and the classes.
_base_ = ['./finetune_stt-8x256_adamw-layer-decay-100e.py']

model = dict(
    backbone=dict(
        clip_len=64, t_patch=4, embed_dims=128, depth=4, num_heads=4,
        layer_scale_init=None,
        drop_path_rate=0.1),
    cls_head=dict(in_channels=128))

max_epochs = 30
warmup_epochs = 3
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
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
default_hooks = dict(logger=dict(interval=10))
auto_scale_lr = dict(base_batch_size=16)
