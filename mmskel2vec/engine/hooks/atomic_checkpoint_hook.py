"""``CheckpointHook`` that never leaves a half-written checkpoint behind."""
import glob
import inspect
import logging
import os
import os.path as osp
from typing import Optional

import torch
from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS

from ..runner.resumable_loop import ResumableEpochBasedTrainLoop

#: Message-hub key (saved in checkpoints) of the rolling resume checkpoint.
RESUME_CKPT_KEY = 'resume_ckpt'
#: Temporary files are named ``.<name>.tmp`` in the checkpoint folder.
TMP_SUFFIX = '.tmp'


class NonFiniteCheckpointError(RuntimeError):
    """The model holds NaN/inf values, so no checkpoint is written."""


def _fsync_file(path: str) -> None:
    """Flush a written file to the disk."""
    with open(path, 'rb') as f:
        os.fsync(f.fileno())


def _fsync_dir(path: str) -> None:
    """Make a rename in ``path`` durable (no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str, text: str) -> None:
    """Write a small text file via a temporary file and ``os.replace``."""
    folder, name = osp.split(path)
    tmp = osp.join(folder, f'.{name}{TMP_SUFFIX}')
    with open(tmp, 'w') as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(folder)


#: The parameters of ``CheckpointHook._save_checkpoint_with_step`` that
#: ``AtomicCheckpointHook`` overrides (mmengine 0.10.x).
PARENT_SAVE_PARAMETERS = ('self', 'runner', 'step', 'meta')


def check_parent_save_method() -> None:
    """Fail loudly if MMEngine's ``CheckpointHook`` changed the method that
    ``AtomicCheckpointHook`` overrides."""
    method = getattr(CheckpointHook, '_save_checkpoint_with_step', None)
    params = tuple(inspect.signature(method).parameters) if method else None
    if params != PARENT_SAVE_PARAMETERS:
        raise RuntimeError(
            'AtomicCheckpointHook overrides CheckpointHook.'
            f'_save_checkpoint_with_step{PARENT_SAVE_PARAMETERS}, but this '
            f'mmengine has {params}; use MMEngine\'s CheckpointHook '
            "(default_hooks.checkpoint.type='CheckpointHook') or an mmengine "
            '0.10.x')


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """MMEngine's ``CheckpointHook`` with crash-safe saving.

    Differences from ``CheckpointHook`` (all of its options still apply):

    * **Atomic writes.** A checkpoint is written to ``.<name>.tmp`` in the
      same folder, flushed to disk and moved into place with
      ``os.replace``; ``last_checkpoint`` is rewritten the same way, and
      only after the checkpoint is complete. A crash while saving leaves the
      previous checkpoint and ``last_checkpoint`` untouched, so
      ``--resume`` picks the previous checkpoint. Stale temporary files are
      removed before training. (Remote backends fall back to MMEngine's
      writer; best checkpoints, which resumption never uses, too.)
    * **Delete after save.** With ``max_keep_ckpts`` the outdated
      checkpoint is removed after the new one is in place, not before
      (MMEngine deletes first, so ``max_keep_ckpts=1`` plus a crash while
      saving leaves no checkpoint at all).
    * **Rolling resume checkpoint.** With ``resume_interval=N`` an extra
      ``iter_<k>.pth`` is saved every N iterations (in addition to the
      regular, e.g. epoch, checkpoints) and replaces the previous one, so a
      crash loses at most N iterations. It needs a train loop that resumes
      inside an epoch (``ResumableEpochBasedTrainLoop``); with MMEngine's
      ``EpochBasedTrainLoop`` it is switched off with a warning.
    * **No non-finite checkpoints.** With ``check_finite`` a model holding
      NaN/inf is not saved (``NonFiniteCheckpointError``), so the last good
      checkpoint is never replaced by a diverged one.

    Args:
        *args: Positional arguments of ``CheckpointHook``.
        resume_interval (int): Iterations between rolling resume
            checkpoints; <= 0 disables them. Defaults to -1.
        check_finite (bool): Refuse to save non-finite weights.
            Defaults to True.
        **kwargs: Keyword arguments of ``CheckpointHook``.
    """

    def __init__(self,
                 *args,
                 resume_interval: int = -1,
                 check_finite: bool = True,
                 **kwargs) -> None:
        check_parent_save_method()
        super().__init__(*args, **kwargs)
        self.resume_interval = resume_interval
        self.check_finite = check_finite
        self._num_saves = 0

    # -- set-up -----------------------------------------------------------
    @property
    def is_local(self) -> bool:
        """Whether checkpoints go to the local file system."""
        return isinstance(getattr(self, 'file_backend', None), LocalBackend)

    def before_train(self, runner) -> None:
        """Set up as ``CheckpointHook``; remove stale temporary files."""
        super().before_train(runner)
        if self.is_local and is_main_process():
            folder = glob.escape(self.out_dir)
            stale_files = glob.glob(osp.join(folder, f'.*.pth{TMP_SUFFIX}'))
            for stale in stale_files:
                os.remove(stale)
                print_log(f'removed the incomplete file {stale} left by an '
                          'interrupted save', logger='current')
        if self.resume_interval > 0 and not isinstance(
                runner.train_loop, ResumableEpochBasedTrainLoop):
            print_log(
                f'AtomicCheckpointHook: resume_interval ignored: '
                f'{type(runner.train_loop).__name__} restarts an epoch from '
                'its first batch when resumed; use '
                'ResumableEpochBasedTrainLoop for mid-epoch checkpoints',
                logger='current',
                level=logging.WARNING)
            self.resume_interval = -1

    # -- writing ----------------------------------------------------------
    def _assert_finite(self, runner, filename: str) -> None:
        """Raise if any floating-point weight of the model is not finite."""
        if not self.check_finite or not is_main_process():
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        bad = [
            name for name, value in model.state_dict().items()
            if value.is_floating_point() and not bool(
                torch.isfinite(value).all())
        ]
        if bad:
            last = runner.message_hub.get_info('last_ckpt')
            raise NonFiniteCheckpointError(
                f'refusing to save {filename} at iteration {runner.iter + 1}:'
                f' non-finite (NaN/inf) values in {len(bad)} tensor(s) '
                f'{bad[:10]}; the last good checkpoint ({last}) is kept')

    def _write(self, runner, filename: str, meta: dict,
               by_epoch: bool) -> None:
        """Save ``filename`` in ``out_dir`` atomically (main process)."""
        kwargs = dict(
            file_client_args=self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not self.is_local or self.file_client_args is not None:
            runner.save_checkpoint(self.out_dir, filename, **kwargs)
            return
        tmp_name = f'.{filename}{TMP_SUFFIX}'
        tmp = osp.join(self.out_dir, tmp_name)
        try:
            runner.save_checkpoint(self.out_dir, tmp_name, **kwargs)
            if is_main_process():
                _fsync_file(tmp)
                os.replace(tmp, osp.join(self.out_dir, filename))
                _fsync_dir(self.out_dir)
        except BaseException:
            if is_main_process() and osp.exists(tmp):
                os.remove(tmp)
            raise

    def _point_last_checkpoint(self, runner, path: str) -> None:
        """Atomically make ``work_dir/last_checkpoint`` name ``path``."""
        atomic_write_text(osp.join(runner.work_dir, 'last_checkpoint'), path)

    def _remove(self, path: Optional[str]) -> None:
        """Delete an outdated checkpoint file or folder, if present."""
        if not path:
            return
        if self.file_backend.isfile(path):
            self.file_backend.remove(path)
        elif self.file_backend.isdir(path):
            self.file_backend.rmtree(path)

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        """Save like ``CheckpointHook``, but write first, delete after.

        The one private MMEngine method this package overrides (the
        resumable loop overrides only the public ``run``, ``run_epoch`` and
        ``run_iter``), and why:
        MMEngine's ``CheckpointHook`` picks the outdated checkpoint, deletes
        it and writes the new one in place, all inside this method, and
        offers no public point between choosing the step and writing (its
        public ``after_train_*`` methods decide *when* to save; doing the
        saving there would copy that scheduling). ``__init__`` checks that
        the parent still has this method with this signature
        (``check_parent_save_method``), so an MMEngine that changes it fails
        at start-up instead of silently skipping the atomic path.
        """
        self._assert_finite(runner, self.filename_tmpl.format(step))
        outdated = None
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.file_backend.join_path(
                    self.out_dir,
                    self.filename_tmpl.format(self.keep_ckpt_ids.popleft()))
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir,
                                                     ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        # A regular checkpoint supersedes the rolling resume checkpoint.
        rolling = runner.message_hub.get_info(RESUME_CKPT_KEY)
        runner.message_hub.update_info(RESUME_CKPT_KEY, None)

        self._write(runner, ckpt_filename, meta, self.by_epoch)
        self._num_saves += 1
        if not is_main_process():
            return
        self._point_last_checkpoint(runner, self.last_ckpt)
        for path in (outdated, rolling):
            if path != self.last_ckpt:
                self._remove(path)

    # -- rolling resume checkpoint ----------------------------------------
    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        """Regular saving, then the rolling resume checkpoint if due."""
        saves = self._num_saves
        super().after_train_iter(runner, batch_idx, data_batch, outputs)
        if (self.resume_interval > 0 and self._num_saves == saves
                and self.every_n_train_iters(runner, self.resume_interval)
                and not self.is_last_train_iter(runner)):
            self._save_resume_checkpoint(runner)

    def _save_resume_checkpoint(self, runner) -> None:
        """Save ``iter_<k>.pth`` and drop the previous rolling checkpoint."""
        step = runner.iter + 1
        filename = f'iter_{step}.pth'
        self._assert_finite(runner, filename)
        path = self.file_backend.join_path(self.out_dir, filename)
        previous = runner.message_hub.get_info(RESUME_CKPT_KEY)
        runner.message_hub.update_info(RESUME_CKPT_KEY, path)
        runner.logger.info(f'Saving resume checkpoint at {step} iterations')
        self._write(runner, filename, dict(epoch=runner.epoch, iter=step),
                    by_epoch=False)
        if not is_main_process():
            return
        self._point_last_checkpoint(runner, path)
        if previous != path:
            self._remove(previous)
