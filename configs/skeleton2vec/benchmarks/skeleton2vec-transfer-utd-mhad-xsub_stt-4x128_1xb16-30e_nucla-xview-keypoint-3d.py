# Transfer learning on small real data: the small encoder pretrained on
# UTD-MHAD (27 classes, labels unused) with
# ../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py
# fine-tuned on N-UCLA cross-view (10 classes). Both datasets record the
# 20 Kinect v1 joints in the same order.
_base_ = [
    '../../_base_/datasets/nucla_xview_3d.py',
    '../../_base_/protocols/finetune_stt-4x128_adamw-layer-decay-30e.py'
]

model = dict(
    backbone=dict(
        num_joints={{_base_.num_joints}},
        init_cfg=dict(
            checkpoint='work_dirs/skeleton2vec_stt-4x128_1xb32-100e_'
            'utd-mhad-xsub-keypoint-3d/epoch_100.pth')),
    cls_head=dict(num_classes=10))
train_dataloader = dict(batch_size=16)
