# PKU-MMD phase I, cross-subject (25 joints, 2 persons), converted with
# `tools/data/convert_pku_mmd.py --phase 1`; pipelines as for NTU RGB+D 60.
_base_ = './ntu60_xsub_3d.py'

ann_file = 'data/skeleton/pku1_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(dataset=dict(ann_file=ann_file))
test_dataloader = val_dataloader
