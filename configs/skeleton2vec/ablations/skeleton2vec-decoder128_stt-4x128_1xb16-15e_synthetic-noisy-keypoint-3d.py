# Decoder ablation of the demo
# (../skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py, noisy
# synthetic clips): the model base's decoder of width 128 (as wide as the
# encoder) instead of the demo's 64. Everything else is the demo's.
# Measured on the 2-core CPU VM (docs/benchmarks.md, twenty-second and
# twenty-third sessions; kNN on 128 clips): the teacher's kNN ends at 84.4
# / 53.9 / 55.5% (seeds 0 / 1 / 2) against 74.2 / 75.0 / 76.6% for the
# random encoder: seeds 1 and 2 collapse (the student to 43-45% at epoch
# 10) and are still below the random encoder at epoch 15. Given 45 epochs
# (../skeleton2vec_stt-4x128_1xb16-45e_synthetic-noisy-keypoint-3d.py)
# they recover.
_base_ = '../skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py'

# the demo's decoder (head) with these arguments changed
ablation_decoder = dict(embed_dims=128)
model = dict(head=ablation_decoder)
