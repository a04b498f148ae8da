# The embedded synthetic dataset (SyntheticSkeletonDataset: NTU 25-joint
# layout, up to 2 persons, 8 classes, generated from a seed, no download) as
# a dataset base with the layout of ntu60_xsub_3d.py: `pretrain_pipeline`
# (with the motion-aware tube mask), `train_pipeline` without masking for
# downstream training, deterministic val/test sampling; 64-frame clips.
dataset_type = 'SyntheticSkeletonDataset'
num_person = 2
num_joints = 25
num_classes = 8
clip_len = 64
t_patch = 4  # must equal the backbone's t_patch

normalize = dict(type='PreNormalize3D')
pretrain_pipeline = [
    normalize,
    dict(type='RandomTemporalCropResize', clip_len=clip_len,
         p_interval=(0.5, 1.0)),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='MotionAwareTubeMasking', t_patch=t_patch, tube_len=4,
         mask_ratio=0.9, prior='additive', beta=0.1, count='mask'),
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
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        num_samples=512,
        split='train',
        seed=0,
        num_classes=num_classes,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        num_samples=256,
        split='val',
        seed=0,
        num_classes=num_classes,
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

# kNN monitor of the pretraining demo (KNNMonitorHook): 128 labelled training
# clips are the neighbour bank, 128 validation clips are scored, both with
# the deterministic val_pipeline.
knn_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        num_samples=128,
        split='train',
        seed=0,
        num_classes=num_classes,
        pipeline=val_pipeline,
        test_mode=True))
knn_monitor = dict(
    type='KNNMonitorHook',
    interval=5,
    train_dataloader=knn_dataloader,
    val_dataloader=dict(
        knn_dataloader,
        dataset=dict(knn_dataloader['dataset'], num_samples=128,
                     split='val')))
