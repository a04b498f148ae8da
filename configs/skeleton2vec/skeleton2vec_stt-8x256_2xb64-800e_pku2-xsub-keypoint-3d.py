# Skeleton2vec pretraining on PKU-MMD II cross-subject: the authors' final
# recipe of ./skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py
# (every setting is explained there; beta 0.1 as for NTU-60) on PKU-MMD II,
# converted with `tools/data/convert_pku_mmd.py --phase 2`.
# Downstream: ../benchmarks/*_pku2-xsub-keypoint-3d.py (they load the teacher).
_base_ = './skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py'

ann_file = 'data/skeleton/pku2_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file))
