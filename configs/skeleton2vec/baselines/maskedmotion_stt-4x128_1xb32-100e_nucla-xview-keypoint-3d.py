# Low-level baseline: masked motion prediction (MAMP-style): the target of
# every masked token is the frame differences x[t+1] - x[t] of its 4 frames
# x 3 coordinates, normalized per token,
# instead of the teacher's contextual targets; otherwise as
# ../skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py (same
# encoder, decoder, motion-aware tube masking and schedule). No teacher EMA.
# target_dims = t_patch * coordinates = 4 * 3.
_base_ = '../skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py'

model = dict(
    head=dict(target_dims=12),
    target_generator=dict(
        _delete_=True,
        type='LowLevelTargetGenerator',
        kind='motion',
        t_patch=4,
        normalize=True))
# no teacher, so no EMATeacherHook
custom_hooks = [
    {{_base_.iter_seed_hook}}, {{_base_.weight_sync_hook}},
    {{_base_.freed_memory_hook}}
]
