# NTU RGB+D 60, cross-view: the cross-subject base with the xview splits.
_base_ = './ntu60_xsub_3d.py'

train_split = 'xview_train'
val_split = 'xview_val'
train_dataloader = dict(dataset=dict(split=train_split))
val_dataloader = dict(dataset=dict(split=val_split))
test_dataloader = val_dataloader
