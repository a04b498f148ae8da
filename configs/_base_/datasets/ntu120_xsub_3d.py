# NTU RGB+D 120, cross-subject: as NTU-60 but with its own annotation file
# and a stronger motion prior (beta 0.2, the authors' value for NTU-120).
_base_ = './ntu60_xsub_3d.py'

ann_file = 'data/skeleton/ntu120_3d.pkl'
# the authors' beta (s_tau) for NTU-120 is 0.2
pretrain_pipeline = [
    {{_base_.normalize}},
    {{_base_.sample_train}},
    dict(type='PoseDecode'),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person={{_base_.num_person}}),
    dict(type='MotionAwareTubeMasking', t_patch={{_base_.t_patch}},
         tube_len=5, mask_ratio=0.9, prior='additive', beta=0.2,
         count='keep'),
    dict(type='PackActionInputs', algorithm_keys=('mask', ),
         meta_keys=('frame_dir', ))
]
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(dataset=dict(ann_file=ann_file))
test_dataloader = val_dataloader
