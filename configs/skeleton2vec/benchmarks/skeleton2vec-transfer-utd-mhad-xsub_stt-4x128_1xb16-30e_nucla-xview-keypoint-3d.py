# Transfer learning on small real data: the small encoder pretrained on
# UTD-MHAD (27 classes, labels unused) with
# ../skeleton2vec_stt-4x128_1xb32-100e_utd-mhad-xsub-keypoint-3d.py
# fine-tuned on N-UCLA cross-view (10 classes): the fine-tuning config below
# with that checkpoint. Both datasets record the 20 Kinect v1 joints in the
# same order.
_base_ = './skeleton2vec-finetune_stt-4x128_1xb16-30e_nucla-xview-keypoint-3d.py'

model = dict(backbone=dict(init_cfg=dict(
    checkpoint='work_dirs/skeleton2vec_stt-4x128_1xb32-100e_'
    'utd-mhad-xsub-keypoint-3d/epoch_100.pth')))
