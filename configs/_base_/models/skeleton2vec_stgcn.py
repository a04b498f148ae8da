# Skeleton2vec with MMAction2's ST-GCN (NTU layout, 10 stages, width 64 ->
# 256, temporal stride 4) as the encoder, wrapped by MaskedGCNEncoder:
# masked tokens (4 frames of one joint) are replaced at the input by a
# learned mask embedding, the decoder head sees the visible tokens of the
# output grid, and the teacher's targets average its last 3 stages (the ones
# at the final temporal resolution). Masking must use t_patch=4 (the stride).
model = dict(
    type='Skeleton2Vec',
    backbone=dict(
        type='MaskedGCNEncoder',
        in_channels=3,
        encoder=dict(
            type='STGCN',
            graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'))),
    head=dict(
        type='Skeleton2VecHead',
        in_channels=256,
        embed_dims=256,
        depth=4,
        num_heads=8,
        num_joints=25,
        num_tokens_t=30,
        loss='mse',
        cpu_kernels=True),  # fused CPU kernels (see skeleton2vec_stt-8x256.py)
    target_generator=dict(
        type='ContextualTargetGenerator',
        top_k=3,
        layer_norm='instance',
        final_norm=True,
        chunk_size='auto'))  # the teacher in chunks on CPU
