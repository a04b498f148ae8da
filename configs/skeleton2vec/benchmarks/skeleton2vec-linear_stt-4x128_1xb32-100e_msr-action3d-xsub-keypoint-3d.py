# Linear evaluation on MSR Action3D cross-subject of the small encoder pretrained with
# ../skeleton2vec_stt-4x128_1xb32-58e_pooled-msr-action3d-xsub-keypoint-3d.py,
# MSR Action3D's default (a checkpoint of the in-domain 100e config loads the
# same way)
# (frozen encoder, BatchNorm + linear head, SGD lr 0.1, 100 epochs).
_base_ = [
    '../../_base_/datasets/msr_action3d_xsub_3d.py',
    '../../_base_/protocols/linear-probe_stt-4x128_sgd-100e.py'
]

model = dict(
    backbone=dict(
        num_joints={{_base_.num_joints}}, init_cfg=dict(
            checkpoint='work_dirs/skeleton2vec_stt-4x128_1xb32-58e_pooled-msr-action3d-xsub-keypoint-3d/epoch_58.pth')),
    cls_head=dict(num_classes=20))
# drop_last: the head's BatchNorm cannot train on a last batch of one
train_dataloader = dict(batch_size=32, drop_last=True)
