# Fine-tuning on the embedded synthetic dataset of the small encoder
# pretrained with
# ../skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py
# (AdamW, layer-wise lr decay 0.8, drop path 0.1, label smoothing 0.1).
# The clips carry the demo's 3 cm of coordinate noise in training, validation
# and test (../../_base_/datasets/synthetic_noisy_3d.py).
_base_ = [
    '../../_base_/datasets/synthetic_noisy_3d.py',
    '../../_base_/protocols/finetune_stt-4x128_adamw-layer-decay-30e.py'
]

model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='work_dirs/skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d/epoch_15.pth')),
    cls_head=dict(num_classes=8))
train_dataloader = dict(batch_size=16)
