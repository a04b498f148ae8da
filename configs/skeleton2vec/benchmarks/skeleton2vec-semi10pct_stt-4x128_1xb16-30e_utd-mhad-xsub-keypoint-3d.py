# Semi-supervised evaluation on UTD-MHAD cross-subject: fine-tuning as in
# ./skeleton2vec-finetune_stt-4x128_1xb16-30e_utd-mhad-xsub-keypoint-3d.py
# on 10% of the labelled training set, drawn per class (at least one each)
# with seed 0; the protocol's SubsetRecordHook writes the chosen samples to
# <work_dir>/labelled_subset.json. An epoch repeats the subset to the size of
# the full training set (repeat_to_full), so the 30 epochs are as many
# optimizer steps as fine-tuning on all labels: on the small datasets the
# subset alone gives 3 steps an epoch and no learning at all (MSR Action3D:
# chance level, docs/benchmarks.md).
_base_ = './skeleton2vec-finetune_stt-4x128_1xb16-30e_utd-mhad-xsub-keypoint-3d.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='LabelFractionDataset',
        fraction=0.1,
        seed=0,
        repeat_to_full=True,
        dataset={{_base_.train_dataloader.dataset}}))
