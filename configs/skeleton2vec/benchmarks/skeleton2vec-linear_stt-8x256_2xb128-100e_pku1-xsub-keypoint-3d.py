# Linear evaluation on PKU-MMD I cross-subject of the encoder pretrained with
# ../skeleton2vec_stt-8x256_2xb64-800e_pku1-xsub-keypoint-3d.py
# (frozen encoder, BatchNorm + linear head, SGD lr 0.1, 100 epochs).
_base_ = [
    '../../_base_/datasets/pku1_xsub_3d.py',
    '../../_base_/protocols/linear-probe_stt-8x256_sgd-100e.py'
]

model = dict(
    backbone=dict(init_cfg=dict(
        checkpoint='work_dirs/skeleton2vec_stt-8x256_2xb64-800e_pku1-xsub-keypoint-3d/epoch_800.pth')),
    cls_head=dict(num_classes=51))
# drop_last: the head's BatchNorm cannot train on a last batch of one
train_dataloader = dict(batch_size=128, drop_last=True)
