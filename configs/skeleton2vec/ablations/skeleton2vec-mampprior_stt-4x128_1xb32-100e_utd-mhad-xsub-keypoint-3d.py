# Masking ablation: Skeleton2vec pretraining as in
# ../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py
# but with MAMP's motion prior (softmax of the motion / tau, tau 0.8, Gumbel
# top-k), the project's default before the authors' additive prior.
_base_ = '../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py'

train_dataloader = dict(
    dataset=dict(pipeline=[
        {{_base_.normalize}},
        dict(type='RandomTemporalCropResize', clip_len={{_base_.clip_len}},
             p_interval=(0.5, 1.0)),
        dict(type='RandomRotation3D', max_angle=0.3),
        dict(type='FormatGCNInput', num_person={{_base_.num_person}}),
        dict(type='MotionAwareTubeMasking', t_patch={{_base_.t_patch}},
             tube_len=4, mask_ratio=0.9, prior='softmax', tau=0.8,
             count='mask'),
        dict(type='PackActionInputs', algorithm_keys=('mask', ),
             meta_keys=('frame_dir', ))
    ]))
