# NTU RGB+D 60, cross-subject, 3D joints (25 joints, up to 2 persons), from
# MMAction2's standard annotation file (see MMAction2's skeleton data docs).
# `pretrain_pipeline` is the Skeleton2vec pretraining pipeline of the
# authors' final recipe (PreNormalize3D, uniform sampling, random rotation,
# motion-aware tube mask); `train_pipeline` is the same augmentation without
# masking for downstream training; val/test sampling is deterministic.
dataset_type = 'CheckedPoseDataset'
data_root = 'data/skeleton/'
ann_file = data_root + 'ntu60_3d.pkl'
train_split = 'xsub_train'
val_split = 'xsub_val'
num_person = 2
# the authors' final recipe: 90 frames sampled uniformly over the sequence,
# 3 frames per token (30 x 25 tokens), tubes of 5 tokens (6 tubes)
clip_len = 90
t_patch = 3  # must equal the backbone's t_patch

normalize = dict(type='PreNormalize3D')
sample_train = dict(type='UniformSampleFrames', clip_len=clip_len)
sample_test = dict(type='UniformSampleFrames', clip_len=clip_len,
                   num_clips=1, test_mode=True)
# the authors' final masking: additive motion prior, beta (their s_tau) 0.1
# for NTU-60 and PKU-MMD; int(25 * (1 - 0.9)) = 2 joints of a tube visible
masking = dict(type='MotionAwareTubeMasking', t_patch=t_patch, tube_len=5,
               mask_ratio=0.9, prior='additive', beta=0.1, count='keep')
pretrain_pipeline = [
    normalize,
    sample_train,
    dict(type='PoseDecode'),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=num_person),
    masking,
    dict(type='PackActionInputs', algorithm_keys=('mask', ),
         meta_keys=('frame_dir', ))
]
train_pipeline = [
    normalize,
    sample_train,
    dict(type='PoseDecode'),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs', meta_keys=('frame_dir', ))
]
val_pipeline = [
    normalize,
    sample_test,
    dict(type='PoseDecode'),
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
