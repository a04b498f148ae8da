# Skeleton2vec as in the authors' final recipe: encoder of 8 blocks, width
# 256, 8 heads, t_patch 3 over 90 frames of 25 joints (30 x 25 tokens),
# LayerScale initialised at 1e-4, no drop path; a 3-block decoder of width
# 256 with LayerScale 1e-4; targets: the mean of all 8 teacher blocks'
# outputs, each instance-normalised, then normalised; MSE loss.
# CPU speed-ups, named here so the printed config shows them
# (docs/performance.md): cpu_kernels=True runs the transformers' fused CPU
# kernels on CPU tensors (GPUs take scaled_dot_product_attention either way;
# False: the plain blocks), chunk_size='auto' runs the teacher over CPU
# batches in chunks (None: one pass). Both give the same values to float
# tolerance (tests/test_models/).
model = dict(
    type='Skeleton2Vec',
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
        drop_path_rate=0.0,
        layer_scale_init=1e-4,
        cpu_kernels=True),
    head=dict(
        type='Skeleton2VecHead',
        in_channels=256,
        embed_dims=256,
        depth=3,
        num_heads=8,
        num_joints=25,
        num_tokens_t=30,
        layer_scale_init=1e-4,
        loss='mse',
        cpu_kernels=True),
    target_generator=dict(
        type='ContextualTargetGenerator',
        top_k=8,
        layer_norm='instance',
        final_norm=True,
        chunk_size='auto'))
