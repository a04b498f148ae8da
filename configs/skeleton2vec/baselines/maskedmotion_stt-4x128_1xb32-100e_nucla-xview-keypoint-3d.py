# Low-level baseline: masked motion prediction (MAMP-style): the target of
# every masked token is the frame differences x[t+1] - x[t] of its 4 frames
# x 3 coordinates, normalized per token, instead of the raw coordinates of
# ./maskedjoint_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py; otherwise
# as that baseline (the encoder, decoder, motion-aware tube masking and
# schedule of ../skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py,
# no teacher).
_base_ = './maskedjoint_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py'

model = dict(target_generator=dict(kind='motion'))
