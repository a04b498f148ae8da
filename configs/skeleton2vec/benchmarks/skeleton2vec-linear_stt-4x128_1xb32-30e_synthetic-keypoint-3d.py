# Linear evaluation on the embedded synthetic dataset of the small encoder
# pretrained with
# ../skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py
# (frozen encoder, BatchNorm + linear head, SGD lr 0.1, 30 epochs).
# The clips carry the demo's 3 cm of coordinate noise in training, validation
# and test (../../_base_/datasets/synthetic_noisy_3d.py).
_base_ = [
    '../../_base_/datasets/synthetic_noisy_3d.py',
    '../../_base_/protocols/linear-probe_stt-4x128_sgd-30e.py'
]

model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='work_dirs/skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d/epoch_15.pth')),
    cls_head=dict(num_classes=8))
# drop_last: the head's BatchNorm cannot train on a last batch of one
train_dataloader = dict(batch_size=32, drop_last=True)
