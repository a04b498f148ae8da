# Skeleton2vec pretraining on NTU RGB+D 120 cross-subject, the authors' final recipe
# (their code's `pretrain_skt2vec2` configs):
# - data (../_base_/datasets/ntu120_xsub_3d.py): PreNormalize3D, 90 frames sampled
#   uniformly, random rotation (0.3), 3 frames per token (30 x 25 tokens);
# - masking: tubes of 5 tokens, ratio 0.9 with int(25 * 0.1) = 2 joints of a
#   tube visible, additive motion prior with beta 0.2;
# - model (../_base_/models/skeleton2vec_stt-8x256.py): 8x256 encoder and a
#   3-block decoder, both with LayerScale 1e-4, no drop path; targets are the
#   mean of all 8 teacher blocks, each instance-normalised; MSE;
# - schedule (../_base_/schedules/adamw_cosine_800e.py): AdamW lr 1e-3
#   (min 1e-5), betas (0.9, 0.95), wd 0.05, 20 warm-up epochs then cosine,
#   800 epochs, gradient clipping at 4.0, EMA momentum 0.9999 -> 1.0 over
#   the whole run; global batch 128 (2 GPUs x 64). `--auto-scale-lr`
#   rescales the lr for another batch.
# Downstream: ../benchmarks/*_ntu120-xsub-keypoint-3d.py (they load the teacher).
_base_ = [
    '../_base_/models/skeleton2vec_stt-8x256.py',
    '../_base_/datasets/ntu120_xsub_3d.py',
    '../_base_/schedules/adamw_cosine_800e.py',
    '../_base_/default_runtime.py'
]

# ResumableSampler: a resume continues inside an epoch without reloading
# what was trained, and each sample's augmentation and mask are seeded
# from (seed, epoch, index) (docs/reliability.md)
train_dataloader = dict(
    batch_size=64, sampler=dict(type='ResumableSampler'),
    dataset=dict(pipeline={{_base_.pretrain_pipeline}}))
# pretraining has no labels to evaluate on, so no val/test loop: the
# dataset base's loaders are dropped (loops and evaluator come only with
# the downstream protocols)
val_dataloader = None
test_dataloader = None

custom_hooks = [*_base_.custom_hooks, _base_.ema_hook]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=10, max_keep_ckpts=3))
