# Demo: Skeleton2vec pretraining of MMAction2's ST-GCN (MaskedGCNEncoder)
# on the embedded synthetic dataset: 64-frame clips -> 16 x 25 output
# tokens, a 2-block decoder of width 128, top-3 stage targets, 15 epochs.
# Fine-tune: ./benchmarks/skeleton2vec-finetune_stgcn_1xb16-10e_synthetic-keypoint-3d.py
_base_ = [
    '../_base_/models/skeleton2vec_stgcn.py',
    '../_base_/datasets/synthetic_3d.py',
    '../_base_/schedules/adamw_cosine_15e.py',
    '../_base_/default_runtime.py'
]

model = dict(
    head=dict(embed_dims=128, depth=2, num_heads=4, num_tokens_t=16))

# ResumableSampler: a resume continues inside an epoch without reloading
# what was trained, and each sample's augmentation and mask are seeded
# from (seed, epoch, index) (docs/reliability.md)
train_dataloader = dict(
    sampler=dict(type='ResumableSampler'),
    dataset=dict(pipeline={{_base_.pretrain_pipeline}}))
# no val/test loop: the dataset base's loaders are dropped (loops and
# evaluator come only with the downstream protocols)
val_dataloader = None
test_dataloader = None

custom_hooks = [
    *_base_.custom_hooks,
    dict(type='EMATeacherHook', momentum=0.996, end_momentum=0.9999)
]
default_hooks = dict(
    logger=dict(interval=8),
    checkpoint=dict(interval=5, max_keep_ckpts=2))
