# MMAction2 RecognizerGCN with the Skeleton2vec encoder (8 blocks, width 256,
# 8 heads, t_patch 4 over 120 frames of 25 joints) and MMAction2's GCNHead.
# The protocol bases in ../protocols/ load the pretrained encoder into it.
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='SkeletonTransformer',
        in_channels=3,
        num_joints=25,
        clip_len=120,
        t_patch=4,
        embed_dims=256,
        depth=8,
        num_heads=8,
        mlp_ratio=4.0),
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256))
