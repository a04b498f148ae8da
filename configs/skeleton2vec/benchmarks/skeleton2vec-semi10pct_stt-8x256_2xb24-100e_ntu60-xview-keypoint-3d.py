# Semi-supervised evaluation on NTU RGB+D 60 cross-view: fine-tuning as in
# ./skeleton2vec-finetune_stt-8x256_2xb24-100e_ntu60-xview-keypoint-3d.py
# on 10% of the labelled training set, drawn per class (at least one each)
# with seed 0; the protocol's SubsetRecordHook writes the chosen samples to
# <work_dir>/labelled_subset.json.
_base_ = './skeleton2vec-finetune_stt-8x256_2xb24-100e_ntu60-xview-keypoint-3d.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='LabelFractionDataset',
        fraction=0.1,
        seed=0,
        dataset={{_base_.train_dataloader.dataset}}))
