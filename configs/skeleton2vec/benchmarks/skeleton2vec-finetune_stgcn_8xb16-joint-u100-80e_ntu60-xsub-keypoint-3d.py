# MMAction2's own ST-GCN recipe on NTU-60 cross-subject (joint stream), with
# only the initialization changed: the ST-GCN pretrained by
# ../skeleton2vec_stgcn_4xb32-400e_ntu60-xsub-keypoint-3d.py. The prefix
# 'backbone.encoder.' selects exactly the plain STGCN state dict inside the
# MaskedGCNEncoder (use 'teacher.encoder.' for the EMA teacher, or export it
# with tools/misc/export_backbone.py and use prefix 'backbone.').
_base_ = 'mmaction::skeleton/stgcn/stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py'  # noqa: E501
custom_imports = dict(imports=['mmskel2vec'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/skeleton2vec_stgcn_4xb32-400e_'
            'ntu60-xsub-keypoint-3d/epoch_400.pth',
            prefix='backbone.encoder.',
            strict=True)))
# annotations through the allow-listed, validating loader (a hostile or
# broken ntu60_3d.pkl is refused with an error naming it)
train_dataloader = dict(dataset=dict(dataset=dict(type='CheckedPoseDataset')))
val_dataloader = dict(dataset=dict(type='CheckedPoseDataset'))
test_dataloader = dict(dataset=dict(type='CheckedPoseDataset'))
