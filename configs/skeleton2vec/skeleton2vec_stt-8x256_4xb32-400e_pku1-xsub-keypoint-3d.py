# Skeleton2vec pretraining on PKU-MMD I cross-subject (paper setting: 8x256 encoder,
# 4x256 decoder, top-8 targets, mask ratio 0.9, tube length 5, 400 epochs).
# Global batch 128 (4 GPUs x 32); lr is for that batch, `--auto-scale-lr`
# rescales it for another.
_base_ = [
    '../_base_/models/skeleton2vec_stt-8x256.py',
    '../_base_/datasets/pku1_xsub_3d.py',
    '../_base_/schedules/adamw_cosine_400e.py',
    '../_base_/default_runtime.py'
]

train_dataloader = dict(
    batch_size=32, dataset=dict(pipeline={{_base_.pretrain_pipeline}}))
# pretraining has no labels to evaluate on
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None

default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=10, max_keep_ckpts=3))
