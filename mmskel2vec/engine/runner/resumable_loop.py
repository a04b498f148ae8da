"""Epoch-based training loop that resumes exactly inside an epoch."""
import logging
from typing import Dict, Iterable, List, Optional, Tuple, Union

from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop
from torch.utils.data import DataLoader

from mmaction.registry import LOOPS

from ...datasets.per_sample_seeding import seeds_per_sample
from ...datasets.samplers import ResumableSampler
from ...models.algorithms import Skeleton2Vec
from ..hooks.iter_seed_hook import IterSeedHook

#: Message-hub keys (saved in checkpoints, restored on resume): batches of
#: the current epoch already trained, and the batch count of an epoch.
BATCHES_DONE_KEY = 'train_loop/batches_done_in_epoch'
BATCHES_PER_EPOCH_KEY = 'train_loop/batches_per_epoch'


def _sampler_and_batch_size(
        loader: DataLoader) -> Tuple[object, Optional[int]]:
    """The index sampler of a data loader and its batch size, if known."""
    batch_sampler = getattr(loader, 'batch_sampler', None)
    sampler = getattr(batch_sampler, 'sampler', None) or getattr(
        loader, 'sampler', None)
    batch_size = getattr(loader, 'batch_size', None) or getattr(
        batch_sampler, 'batch_size', None)
    return sampler, batch_size


@LOOPS.register_module()
class ResumableEpochBasedTrainLoop(EpochBasedTrainLoop):
    """``EpochBasedTrainLoop`` that continues an epoch where it stopped.

    MMEngine 0.10.7's ``EpochBasedTrainLoop`` restores ``epoch`` and
    ``iter`` from a checkpoint but always starts the epoch from its first
    batch, so a resume from an iteration checkpoint trains the first part of
    the epoch twice and runs past ``max_iters``. This loop records in the
    message hub, which checkpoints carry, how many batches of the current
    epoch are done; after a resume it skips them. With a
    ``ResumableSampler`` the skipped samples are never loaded; with another
    sampler the loop loads and discards them (a warning says so).

    What makes a resumed run match an uninterrupted one bit for bit on the
    CPU is named in the config, not injected: the train dataloader's
    ``sampler=dict(type='ResumableSampler')`` (keyed indices, so a dataset
    with :class:`~mmskel2vec.datasets.per_sample_seeding.PerSampleSeedMixin`
    or the ``PerSampleSeedDataset`` wrapper seeds augmentations and masks
    from ``(seed, epoch, index)``) and ``IterSeedHook`` in ``custom_hooks``
    (model-side randomness). :meth:`run` warns about each one missing.

    Before its first batch, after the ``before_train`` hooks, the loop asks
    a ``Skeleton2Vec`` whether something updates its teacher
    (:meth:`check_model`), so a config without ``EMATeacherHook`` fails
    before any training.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Train dataloader or its config.
        max_epochs (int): Total epochs.
        val_begin (int): First epoch that validates. Defaults to 1.
        val_interval (int): Validation interval. Defaults to 1.
        dynamic_intervals (list[tuple[int, int]], optional): Milestones
            and validation intervals.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 max_epochs: int,
                 val_begin: int = 1,
                 val_interval: int = 1,
                 dynamic_intervals: Optional[List[Tuple[int, int]]] = None
                 ) -> None:
        super().__init__(runner, dataloader, max_epochs, val_begin,
                         val_interval, dynamic_intervals)
        self._start_batch = 0
        self._model_checked = False

    def batches_done(self) -> int:
        """Batches of the current epoch that a resumed run already trained.

        Returns:
            int: 0 for a fresh run or an epoch-boundary checkpoint.

        Raises:
            RuntimeError: When the checkpoint stopped inside an epoch whose
                batch count differs from now (another world size or batch
                size): the rest of that epoch cannot be reproduced.
        """
        if self.iter == 0:
            return 0  # a fresh run
        hub = self.runner.message_hub
        num_batches = len(self.dataloader)
        done = hub.get_info(BATCHES_DONE_KEY)
        if done is None:
            # A checkpoint written by another loop: infer from the counters.
            done = self.iter - self.epoch * num_batches
            if not 0 <= done <= num_batches:
                print_log(
                    f'ResumableEpochBasedTrainLoop: iter {self.iter} does '
                    f'not fall inside epoch {self.epoch} of {num_batches} '
                    'batches; starting the epoch from its first batch',
                    logger='current',
                    level=logging.WARNING)
                done = 0
            return int(done)
        saved = hub.get_info(BATCHES_PER_EPOCH_KEY)
        if done and saved is not None and saved != num_batches:
            raise RuntimeError(
                f'cannot resume inside epoch {self.epoch + 1}: the '
                f'checkpoint was written with {saved} batches per epoch, '
                f'this run has {num_batches} (different world size or batch '
                'size). Resume from an epoch checkpoint instead.')
        return int(done)

    def run(self):
        """Launch training, continuing a partially trained epoch.

        Warns when the samples are not seeded per sample (see
        :meth:`unseeded_samples`) and when no ``IterSeedHook`` is
        registered: without them augmentations, masks, dropout and drop path
        draw differently after a mid-epoch resume.
        """
        reason = self.unseeded_samples()
        if reason:
            print_log(
                f'ResumableEpochBasedTrainLoop: {reason}, so augmentations '
                'and masks after a resume will differ from an uninterrupted '
                "run; set the train dataloader's sampler=dict("
                "type='ResumableSampler')",
                logger='current',
                level=logging.WARNING)
        if not any(isinstance(h, IterSeedHook) for h in self.runner.hooks):
            print_log(
                'ResumableEpochBasedTrainLoop: no IterSeedHook in the '
                'runner\'s hooks, so model-side randomness (dropout, drop '
                'path) after a resume will differ from an uninterrupted run; '
                'start custom_hooks with {{_base_.iter_seed_hook}} '
                '(configs/_base_/default_runtime.py)',
                logger='current',
                level=logging.WARNING)
        self._start_batch = self.batches_done()
        if self._start_batch:
            print_log(
                f'Resuming inside epoch {self.epoch + 1}: {self._start_batch}'
                f' of {len(self.dataloader)} batches already trained',
                logger='current')
        return super().run()

    def unseeded_samples(self) -> Optional[str]:
        """Why the train samples are not seeded per sample, if they are not.

        Returns:
            str | None: None when the sampler is a keyed ``ResumableSampler``
            and the dataset seeds from its indices; otherwise the reason.
        """
        sampler, _ = _sampler_and_batch_size(self.dataloader)
        if not isinstance(sampler, ResumableSampler) or not sampler.keyed:
            name = type(sampler).__name__
            return f'the train sampler is {name}, not a keyed ResumableSampler'
        dataset = getattr(self.dataloader, 'dataset', None)
        if not seeds_per_sample(dataset):
            return (f'the train dataset {type(dataset).__name__} does not '
                    'seed its samples (wrap it in PerSampleSeedDataset)')
        return None

    def _epoch_batches(self, start: int) -> Iterable:
        """The data batches of the epoch from batch ``start`` on."""
        if start == 0:
            return self.dataloader
        sampler, batch_size = _sampler_and_batch_size(self.dataloader)
        if isinstance(sampler, ResumableSampler) and batch_size:
            sampler.skip(start * batch_size)
            return self.dataloader
        print_log(
            f'{type(sampler).__name__} cannot skip samples: loading and '
            f'discarding the {start} batches already trained (use '
            'ResumableSampler to avoid this)',
            logger='current',
            level=logging.WARNING)
        batches = iter(self.dataloader)
        for _ in range(start):
            next(batches)
        return batches

    def check_model(self) -> None:
        """Refuse a model that cannot train as configured.

        Called once, after the ``before_train`` hooks (where
        ``EMATeacherHook`` declares itself) and before the first batch.

        Raises:
            RuntimeError: From ``Skeleton2Vec.check_teacher_updater`` when
                nothing updates the teacher.
        """
        model = self.runner.model
        model = model.module if is_model_wrapper(model) else model
        if isinstance(model, Skeleton2Vec):
            model.check_teacher_updater(training=True)

    def run_epoch(self) -> None:
        """Iterate the (rest of the) epoch."""
        if not self._model_checked:
            self.check_model()
            self._model_checked = True
        start, self._start_batch = self._start_batch, 0
        hub = self.runner.message_hub
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        num_batches = len(self.dataloader)
        hub.update_info(BATCHES_PER_EPOCH_KEY, num_batches)
        if start < num_batches:
            for idx, data_batch in enumerate(
                    self._epoch_batches(start), start=start):
                self.run_iter(idx, data_batch)
        # Checkpoints saved from here on (epoch end, validation) are at an
        # epoch boundary.
        hub.update_info(BATCHES_DONE_KEY, 0)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1  # as EpochBasedTrainLoop.run_epoch does

    def run_iter(self, idx, data_batch) -> None:
        """One iteration; checkpoints saved after it record ``idx + 1``."""
        self.runner.message_hub.update_info(BATCHES_DONE_KEY, idx + 1)
        super().run_iter(idx, data_batch)
