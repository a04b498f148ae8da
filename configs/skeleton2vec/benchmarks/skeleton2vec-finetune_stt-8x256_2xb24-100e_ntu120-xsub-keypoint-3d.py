# Fine-tuning on NTU RGB+D 120 cross-subject of the encoder pretrained with
# ../skeleton2vec_stt-8x256_2xb64-800e_ntu120-xsub-keypoint-3d.py
# (AdamW, layer-wise lr decay 0.8, drop path 0.3, label smoothing 0.1).
_base_ = [
    '../../_base_/datasets/ntu120_xsub_3d.py',
    '../../_base_/protocols/finetune_stt-8x256_adamw-layer-decay-100e.py'
]

model = dict(
    backbone=dict(init_cfg=dict(
        checkpoint='work_dirs/skeleton2vec_stt-8x256_2xb64-800e_ntu120-xsub-keypoint-3d/epoch_800.pth')),
    cls_head=dict(num_classes=120))
train_dataloader = dict(batch_size=24)
