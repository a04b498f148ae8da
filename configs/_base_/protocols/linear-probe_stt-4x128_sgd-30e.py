# The linear evaluation protocol of linear-probe_stt-8x256_sgd-100e.py for
# the small encoder (4 blocks, width 128, 4 heads, 64-frame clips) used on
# the synthetic and the small real datasets, shortened to 30 epochs at a
# batch of 32 (lr 0.1 as for MAMP's 256: the frozen-feature probe is not
# sensitive to it). Children set num_joints, the checkpoint and the classes.
_base_ = ['./linear-probe_stt-8x256_sgd-100e.py']

model = dict(
    backbone=dict(
        clip_len=64, t_patch=4, embed_dims=128, depth=4, num_heads=4,
        layer_scale_init=None),
    cls_head=dict(in_channels=128))

max_epochs = 30
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
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
default_hooks = dict(logger=dict(interval=10))
auto_scale_lr = dict(base_batch_size=32)
