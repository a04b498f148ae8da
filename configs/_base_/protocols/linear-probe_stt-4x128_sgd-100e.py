# The linear evaluation protocol of linear-probe_stt-8x256_sgd-100e.py (100
# epochs, SGD lr 0.1, cosine, no warm-up) for the small encoder (4 blocks,
# width 128, 4 heads, 4-frame tokens of 64-frame clips, no LayerScale) used on the small real datasets, at a
# batch of 32. On a few hundred clips a 30-epoch probe
# (linear-probe_stt-4x128_sgd-30e.py) is still improving when it stops
# (docs/benchmarks.md), so these datasets keep the protocol's 100 epochs.
# Children set num_joints, the checkpoint and the classes.
_base_ = ['./linear-probe_stt-8x256_sgd-100e.py']

model = dict(
    backbone=dict(
        clip_len=64, t_patch=4, embed_dims=128, depth=4, num_heads=4,
        layer_scale_init=None),
    cls_head=dict(in_channels=128))

train_cfg = dict(val_interval=10)
default_hooks = dict(logger=dict(interval=10))
auto_scale_lr = dict(base_batch_size=32)
