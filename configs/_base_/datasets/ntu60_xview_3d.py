# NTU RGB+D 60, cross-view: the cross-subject base with the xview splits.
_base_ = './ntu60_xsub_3d.py'

train_dataloader = dict(dataset=dict(split='xview_train'))
val_dataloader = dict(dataset=dict(split='xview_val'))
test_dataloader = val_dataloader
