# NTU RGB+D 60, cross-subject, 3D joints (25 joints, up to 2 persons), from
# MMAction2's standard annotation file (see MMAction2's skeleton data docs).
# `pretrain_pipeline` is the Skeleton2vec pretraining pipeline (with the
# motion-aware tube mask); `train_pipeline` is the same augmentation without
# masking for downstream training; val/test sampling is deterministic.
dataset_type = 'PoseDataset'
data_root = 'data/skeleton/'
ann_file = data_root + 'ntu60_3d.pkl'
train_split = 'xsub_train'
val_split = 'xsub_val'
num_person = 2
clip_len = 120
t_patch = 4  # must equal the backbone's t_patch

normalize = dict(type='PreNormalize3D')
pretrain_pipeline = [
    normalize,
    dict(type='RandomTemporalCropResize', clip_len=clip_len,
         p_interval=(0.5, 1.0)),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='MotionAwareTubeMasking', t_patch=t_patch, tube_len=5,
         mask_ratio=0.9, tau=0.80),
    dict(type='PackActionInputs', algorithm_keys=('mask', ),
         meta_keys=('frame_dir', ))
]
train_pipeline = [
    normalize,
    dict(type='RandomTemporalCropResize', clip_len=clip_len,
         p_interval=(0.5, 1.0)),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs', meta_keys=('frame_dir', ))
]
val_pipeline = [
    normalize,
    dict(type='RandomTemporalCropResize', clip_len=clip_len,
         p_interval=(0.95, )),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs', meta_keys=('frame_dir', ))
]
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split=train_split,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split=val_split,
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
