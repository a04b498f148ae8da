# NTU RGB+D 120, cross-subject: as NTU-60 but with its own annotation file
# and a lower masking temperature (tau 0.75, as MAMP uses for NTU-120).
_base_ = './ntu60_xsub_3d.py'

ann_file = 'data/skeleton/ntu120_3d.pkl'
pretrain_pipeline = [
    {{_base_.normalize}},
    dict(type='RandomTemporalCropResize', clip_len=120,
         p_interval=(0.5, 1.0)),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='MotionAwareTubeMasking', t_patch=4, tube_len=5,
         mask_ratio=0.9, tau=0.75),
    dict(type='PackActionInputs', algorithm_keys=('mask', ),
         meta_keys=('frame_dir', ))
]
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(dataset=dict(ann_file=ann_file))
test_dataloader = val_dataloader
