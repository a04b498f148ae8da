# MSR Action3D (the 557 CVPR 2012 sequences), cross-subject (odd subjects
# train, even subjects test), 3D joints (20 joints, 1 person), converted
# with `python tools/data/convert_msr_action3d.py --data-dir <raw data>`
# (see docs/datasets.md). The joint order is the dataset's own
# ('msr_action3d' layout in mmskel2vec.datasets.layouts); pipelines, loaders
# and the kNN monitor come from single_person_20_joints_3d.py.
_base_ = './single_person_20_joints_3d.py'

ann_file = 'data/skeleton/msr_action3d_3d.pkl'
layout = 'msr_action3d'
train_split = 'xsub_train'
val_split = 'xsub_val'
# what this dataset adds to every loader of the shared base
train_data = dict(ann_file=ann_file, layout=layout, split=train_split)
val_data = dict(ann_file=ann_file, layout=layout, split=val_split)
# MMAction2's Graph for ST-GCN style models, in the dict form it accepts:
# graph_cfg=dict(layout=graph_layout, mode='stgcn_spatial') (bones as
# (child, parent) pairs of 0-based joints; from graph_layout_dict(layout)
# of mmskel2vec.datasets.layouts, which a test compares)
graph_layout = dict(
    num_node=20,
    center=2,
    inward=[
        (6, 3), (3, 2), (19, 2), (0, 2), (7, 0), (9, 7), (11, 9), (1, 2),
        (8, 1), (10, 8), (12, 10), (4, 6), (13, 4), (15, 13), (17, 15),
        (5, 6), (14, 5), (16, 14), (18, 16)
    ])

train_dataloader = dict(dataset=train_data)
val_dataloader = dict(dataset=val_data)
test_dataloader = val_dataloader
knn_dataloader = dict(dataset=train_data)
knn_monitor = dict(
    train_dataloader=knn_dataloader, val_dataloader=dict(dataset=val_data))
