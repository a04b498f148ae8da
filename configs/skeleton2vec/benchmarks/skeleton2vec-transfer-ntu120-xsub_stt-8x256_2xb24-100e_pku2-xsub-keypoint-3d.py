# Transfer learning: the encoder pretrained on ntu120-xsub with
# ../skeleton2vec_stt-8x256_2xb64-800e_ntu120-xsub-keypoint-3d.py
# fine-tuned on PKU-MMD II cross-subject (41 classes): the fine-tuning
# config below with that checkpoint.
_base_ = './skeleton2vec-finetune_stt-8x256_2xb24-100e_pku2-xsub-keypoint-3d.py'

model = dict(backbone=dict(init_cfg=dict(
    checkpoint='work_dirs/skeleton2vec_stt-8x256_2xb64-800e_ntu120-xsub-keypoint-3d/epoch_800.pth')))
