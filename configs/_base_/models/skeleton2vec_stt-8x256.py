# Skeleton2vec with the paper's encoder (8 blocks, width 256, 8 heads,
# t_patch 4 over 120 frames of 25 joints: 30 x 25 tokens), a 4-block decoder
# of width 256, and targets from the teacher's top-8 blocks.
model = dict(
    type='Skeleton2Vec',
    backbone=dict(
        type='SkeletonTransformer',
        in_channels=3,
        num_joints=25,
        clip_len=120,
        t_patch=4,
        embed_dims=256,
        depth=8,
        num_heads=8,
        mlp_ratio=4.0,
        drop_path_rate=0.0),
    head=dict(
        type='Skeleton2VecHead',
        in_channels=256,
        embed_dims=256,
        depth=4,
        num_heads=8,
        num_joints=25,
        num_tokens_t=30,
        loss='mse'),
    target_generator=dict(
        type='ContextualTargetGenerator',
        top_k=8,
        layer_norm='instance',
        final_norm=True))
