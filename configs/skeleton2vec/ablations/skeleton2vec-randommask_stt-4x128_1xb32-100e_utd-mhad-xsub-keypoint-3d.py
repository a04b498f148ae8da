# Masking ablation: Skeleton2vec pretraining on UTD-MHAD as in
# ../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py but with
# random token masking: every temporal token row draws its own joints
# uniformly (prior='random').
_base_ = '../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py'

# the base's pretraining pipeline with its masking step replaced (every other
# step as in the base)
ablation_masking = dict(mask_ratio=0.9, prior='random', count='mask')
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type=step.type, t_patch=step.t_patch, **ablation_masking)
        if step.type == 'MotionAwareTubeMasking' else step
        for step in _base_.pretrain_pipeline
    ]))
