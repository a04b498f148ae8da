# Skeleton2vec pretraining of MMAction2's ST-GCN on NTU-60 cross-subject
# (MaskedGCNEncoder, 120-frame clips -> 30 x 25 output tokens, mask ratio
# 0.9, motion-aware tubes of 5 tokens, top-3 stage targets, 400 epochs).
# Fine-tune the result with MMAction2's own ST-GCN config:
# ./benchmarks/skeleton2vec-finetune_stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py
_base_ = [
    '../_base_/models/skeleton2vec_stgcn.py',
    '../_base_/datasets/ntu60_xsub_3d.py',
    '../_base_/schedules/adamw_cosine_400e.py',
    '../_base_/default_runtime.py'
]

# ResumableSampler: a resume continues inside an epoch without reloading
# what was trained, and each sample's augmentation and mask are seeded
# from (seed, epoch, index) (docs/reliability.md)
train_dataloader = dict(
    batch_size=32, sampler=dict(type='ResumableSampler'),
    dataset=dict(pipeline={{_base_.pretrain_pipeline}}))
# no val/test loop: the dataset base's loaders are dropped (loops and
# evaluator come only with the downstream protocols)
val_dataloader = None
test_dataloader = None

custom_hooks = [*_base_.custom_hooks, _base_.ema_hook]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=10, max_keep_ckpts=3))
