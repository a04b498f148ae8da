# Skeleton2vec pretraining on NTU RGB+D 120 cross-setup: the authors' final
# recipe of ./skeleton2vec_stt-8x256_2xb64-800e_ntu120-xsub-keypoint-3d.py
# (every setting is explained there) on the cross-setup training split.
# Downstream: ../benchmarks/*_ntu120-xset-keypoint-3d.py (they load the teacher).
_base_ = './skeleton2vec_stt-8x256_2xb64-800e_ntu120-xsub-keypoint-3d.py'

train_split = 'xset_train'
train_dataloader = dict(dataset=dict(split=train_split))
