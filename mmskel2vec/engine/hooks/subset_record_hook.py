"""Hook that saves the labelled subset of a semi-supervised run."""
import os.path as osp

from mmengine.hooks import Hook
from mmengine.logging import print_log

from mmaction.registry import HOOKS

from ...datasets.wrappers import LabelFractionDataset


@HOOKS.register_module()
class SubsetRecordHook(Hook):
    """Write the training subset chosen by ``LabelFractionDataset``.

    Before training, if the training dataset is a ``LabelFractionDataset``,
    its record (fraction, seed, per-class
    counts, chosen ``frame_dir`` names) is written to ``filename`` in the
    work directory.

    Args:
        filename (str): File name in the work directory. Defaults to
            ``'labelled_subset.json'``.
    """

    priority = 'VERY_LOW'

    def __init__(self, filename: str = 'labelled_subset.json') -> None:
        self.filename = filename

    def before_train(self, runner) -> None:
        """Dump the subset record of the training dataset, if any."""
        dataset = runner.train_dataloader.dataset
        if not isinstance(dataset, LabelFractionDataset):
            print_log(f'SubsetRecordHook: {type(dataset).__name__} has no '
                      'subset to record', logger='current')
            return
        path = dataset.dump_record(osp.join(runner.work_dir, self.filename))
        print_log(f'labelled subset written to {path}', logger='current')
