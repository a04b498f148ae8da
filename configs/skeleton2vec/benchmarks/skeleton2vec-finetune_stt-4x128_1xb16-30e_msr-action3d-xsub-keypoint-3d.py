# Fine-tuning on MSR Action3D cross-subject of the small encoder pretrained with
# ../skeleton2vec_stt-4x128_1xb32-58e_pooled-msr-action3d-xsub-keypoint-3d.py,
# MSR Action3D's default (a checkpoint of the in-domain 100e config loads the
# same way)
# (AdamW, layer-wise lr decay 0.8, drop path 0.1, label smoothing 0.1).
_base_ = [
    '../../_base_/datasets/msr_action3d_xsub_3d.py',
    '../../_base_/protocols/finetune_stt-4x128_adamw-layer-decay-30e.py'
]

model = dict(
    backbone=dict(
        num_joints={{_base_.num_joints}}, init_cfg=dict(
            checkpoint='work_dirs/skeleton2vec_stt-4x128_1xb32-58e_pooled-msr-action3d-xsub-keypoint-3d/epoch_58.pth')),
    cls_head=dict(num_classes=20))
train_dataloader = dict(batch_size=16)
