# Skeleton2vec pretraining on PKU-MMD I cross-subject: the authors' final
# recipe of ./skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py
# (every setting is explained there; their motion prior strength for PKU-MMD
# is NTU-60's, beta 0.1) on PKU-MMD I, converted with
# `tools/data/convert_pku_mmd.py --phase 1`.
# Downstream: ../benchmarks/*_pku1-xsub-keypoint-3d.py (they load the teacher).
_base_ = './skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py'

ann_file = 'data/skeleton/pku1_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file))
