# Mask-ratio ablation: Skeleton2vec pretraining on MSR Action3D as in
# ../skeleton2vec_stt-4x128_1xb32-100e_msr-action3d-xsub-keypoint-3d.py but with the
# authors' ratio 0.9 (2 of 20 joints visible per token row), the small-data
# default until 2026-12-01 (docs/benchmarks.md, "Mask ratio on 20-joint
# data").
_base_ = '../skeleton2vec_stt-4x128_1xb32-100e_msr-action3d-xsub-keypoint-3d.py'

train_dataloader = dict(
    dataset=dict(pipeline=[
        {{_base_.normalize}},
        dict(type='RandomTemporalCropResize', clip_len={{_base_.clip_len}},
             p_interval=(0.5, 1.0)),
        dict(type='RandomRotation3D', max_angle=0.3),
        dict(type='FormatGCNInput', num_person={{_base_.num_person}}),
        dict(type='MotionAwareTubeMasking', t_patch={{_base_.t_patch}},
             tube_len=1, mask_ratio=0.9, prior='additive', beta=0.1,
             count='mask'),
        dict(type='PackActionInputs', algorithm_keys=('mask', ),
             meta_keys=('frame_dir', ))
    ]))
