# Semi-supervised evaluation on NTU RGB+D 120 cross-subject: as
# ./skeleton2vec-semi10pct_stt-8x256_2xb24-100e_ntu120-xsub-keypoint-3d.py
# with 1% of the labelled training set instead of 10% (drawn per class, at
# least one each, seed 0; recorded in <work_dir>/labelled_subset.json).
_base_ = './skeleton2vec-semi10pct_stt-8x256_2xb24-100e_ntu120-xsub-keypoint-3d.py'

train_dataloader = dict(dataset=dict(fraction=0.01))
