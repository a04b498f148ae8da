# Skeleton2vec pretraining on NTU RGB+D 60 cross-view: the authors' final
# recipe of ./skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py
# (every setting is explained there) on the cross-view training split.
# Downstream: ../benchmarks/*_ntu60-xview-keypoint-3d.py (they load the teacher).
_base_ = './skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py'

train_split = 'xview_train'
train_dataloader = dict(dataset=dict(split=train_split))
