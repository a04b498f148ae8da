# NTU RGB+D 120, cross-setup: the cross-subject base with the xset splits.
_base_ = './ntu120_xsub_3d.py'

train_dataloader = dict(dataset=dict(split='xset_train'))
val_dataloader = dict(dataset=dict(split='xset_val'))
test_dataloader = val_dataloader
