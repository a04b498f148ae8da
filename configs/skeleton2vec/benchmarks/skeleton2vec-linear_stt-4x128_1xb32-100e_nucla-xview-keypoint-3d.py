# Linear evaluation on N-UCLA cross-view of the small encoder pretrained with
# ../skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py
# (frozen encoder, BatchNorm + linear head, SGD lr 0.1, 100 epochs).
_base_ = [
    '../../_base_/datasets/nucla_xview_3d.py',
    '../../_base_/protocols/linear-probe_stt-4x128_sgd-100e.py'
]

model = dict(
    backbone=dict(
        num_joints={{_base_.num_joints}}, init_cfg=dict(
            checkpoint='work_dirs/skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d/epoch_100.pth')),
    cls_head=dict(num_classes=10))
# drop_last: the head's BatchNorm cannot train on a last batch of one
train_dataloader = dict(batch_size=32, drop_last=True)
