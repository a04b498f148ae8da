# NTU RGB+D 120, cross-setup: the cross-subject base with the xset splits.
_base_ = './ntu120_xsub_3d.py'

train_split = 'xset_train'
val_split = 'xset_val'
train_dataloader = dict(dataset=dict(split=train_split))
val_dataloader = dict(dataset=dict(split=val_split))
test_dataloader = val_dataloader
