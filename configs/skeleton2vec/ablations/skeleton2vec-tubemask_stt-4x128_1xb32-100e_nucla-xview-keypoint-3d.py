# Masking ablation: Skeleton2vec pretraining on N-UCLA as in
# ../skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py but with
# plain tube masking: the masked joints of every tube are drawn uniformly
# (prior='uniform') instead of by their motion.
_base_ = '../skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py'

# the base's pretraining pipeline with these keys of its masking step changed
# (every other key and step as in the base)
ablation_masking = dict(tube_len=4, mask_ratio=0.9, prior='uniform')
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(step, **ablation_masking)
        if step.type == 'MotionAwareTubeMasking' else step
        for step in _base_.pretrain_pipeline
    ]))
