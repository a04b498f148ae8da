# Transfer learning: the encoder pretrained on ntu60-xsub with
# ../skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py
# fine-tuned on PKU-MMD II cross-subject (41 classes), protocol as in
# ./skeleton2vec-finetune_stt-8x256_2xb24-100e_pku2-xsub-keypoint-3d.py.
_base_ = [
    '../../_base_/datasets/pku2_xsub_3d.py',
    '../../_base_/protocols/finetune_stt-8x256_adamw-layer-decay-100e.py'
]

model = dict(
    backbone=dict(init_cfg=dict(
        checkpoint='work_dirs/skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d/epoch_800.pth')),
    cls_head=dict(num_classes=41))
train_dataloader = dict(batch_size=24)
