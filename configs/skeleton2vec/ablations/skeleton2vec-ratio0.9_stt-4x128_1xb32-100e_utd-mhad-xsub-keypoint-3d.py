# Mask-ratio ablation: Skeleton2vec pretraining on UTD-MHAD as in
# ../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py but with the
# authors' ratio 0.9 (2 of 20 joints visible per token row), the small-data
# default until 2026-12-01 (docs/benchmarks.md, "Mask ratio on 20-joint
# data").
_base_ = '../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py'

# the base's pretraining pipeline with these keys of its masking step changed
# (every other key and step as in the base)
ablation_masking = dict(mask_ratio=0.9)
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(step, **ablation_masking)
        if step.type == 'MotionAwareTubeMasking' else step
        for step in _base_.pretrain_pipeline
    ]))
