# Northwestern-UCLA (N-UCLA), cross-view (views 1-2 train, view 3 test),
# 3D joints (20 Kinect v1 joints, 1 person), converted with
# `python tools/data/convert_nucla.py --data-dir <raw data>`
# (see docs/datasets.md). The joint order is the dataset's own ('nucla'
# layout in mmskel2vec.datasets.layouts); pipelines, loaders and the kNN
# monitor come from single_person_20_joints_3d.py.
_base_ = './single_person_20_joints_3d.py'

ann_file = 'data/skeleton/nucla_3d.pkl'
layout = 'nucla'
train_split = 'xview_train'
val_split = 'xview_val'
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
        (0, 1), (1, 2), (3, 2), (4, 2), (5, 4), (6, 5), (7, 6), (8, 2),
        (9, 8), (10, 9), (11, 10), (12, 0), (13, 12), (14, 13), (15, 14),
        (16, 0), (17, 16), (18, 17), (19, 18)
    ])

train_dataloader = dict(dataset=train_data)
val_dataloader = dict(dataset=val_data)
test_dataloader = val_dataloader
knn_dataloader = dict(dataset=train_data)
knn_monitor = dict(
    train_dataloader=knn_dataloader, val_dataloader=dict(dataset=val_data))
