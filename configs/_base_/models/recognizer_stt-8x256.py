# MMAction2 RecognizerGCN with the Skeleton2vec encoder of
# skeleton2vec_stt-8x256.py (8 blocks, width 256, 8 heads, LayerScale,
# t_patch 3 over 90 frames of 25 joints) and MMAction2's GCNHead.
# The protocol bases in ../protocols/ load the pretrained encoder into it.
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='SkeletonTransformer',
        in_channels=3,
        num_joints=25,
        clip_len=90,
        t_patch=3,
        embed_dims=256,
        depth=8,
        num_heads=8,
        mlp_ratio=4.0,
        layer_scale_init=1e-4,
        cpu_kernels=True),  # fused CPU kernels (see skeleton2vec_stt-8x256.py)
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256))
