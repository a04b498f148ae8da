# The small Skeleton2vec of the CPU demo and the small real datasets: an
# encoder of 4 blocks, width 128, 4 heads over 4-frame tokens of 64-frame
# clips (16 token rows), no LayerScale; a 2-block decoder of width 128; the
# mean of the top-4 teacher blocks as targets. Otherwise
# skeleton2vec_stt-8x256.py (the authors' final recipe). num_joints stays 25
# (NTU layout); the 20-joint configs set it from their dataset base.
_base_ = './skeleton2vec_stt-8x256.py'

model = dict(
    backbone=dict(
        clip_len=64, t_patch=4, embed_dims=128, depth=4, num_heads=4,
        layer_scale_init=None),
    head=dict(
        in_channels=128, embed_dims=128, depth=2, num_heads=4,
        num_tokens_t=16, layer_scale_init=None),
    target_generator=dict(top_k=4))
