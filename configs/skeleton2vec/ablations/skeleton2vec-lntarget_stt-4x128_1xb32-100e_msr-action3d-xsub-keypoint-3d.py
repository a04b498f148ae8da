# Target ablation: Skeleton2vec pretraining on MSR Action3D as in
# ../skeleton2vec_stt-4x128_1xb32-100e_msr-action3d-xsub-keypoint-3d.py but
# with every teacher block output layer-normalised per token (over channels)
# before averaging, instead of the authors' instance norm (per channel over
# the tokens of a clip). Instance norm takes each clip's mean over its tokens
# out of every target channel, so nothing asks the encoders to keep what the
# kNN monitor and the linear probe read (the clip's mean-pooled feature);
# layer norm keeps it in the targets.
_base_ = '../skeleton2vec_stt-4x128_1xb32-100e_msr-action3d-xsub-keypoint-3d.py'

ablation_target = dict(layer_norm='layer')
model = dict(target_generator=ablation_target)

# Measured (docs/benchmarks.md, seventh session, seeds 0 / 1, teacher
# probes, with the teacher of skeleton2vec-emaramp_*, the default then):
# linear 36.63 / 40.29, 10% labels 41.76 / 47.25, fine-tuning 53.48 / 54.58
# (the base: 51.28 / 47.25, 53.48 / 45.79, 56.78 / 47.99). Seed 1's student
# no longer falls to chance (lowest kNN 13.9% against 2.9%) but both end
# weaker (kNN about 27% against 38-40%): not adopted.
