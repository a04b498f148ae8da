"""MMEngine's ``LogProcessor`` with the ``mode`` key of MMAction2 logs."""
from typing import Tuple

from mmengine.runner import LogProcessor

from mmaction.registry import LOG_PROCESSORS


@LOG_PROCESSORS.register_module()
class ModeTaggedLogProcessor(LogProcessor):
    """``LogProcessor`` that tags every training record with ``mode``.

    MMAction2's ``tools/analysis_tools/analyze_logs.py`` (``plot_curve``,
    ``cal_train_time``) reads the json log MMEngine writes
    (``<work_dir>/<timestamp>/vis_data/<timestamp>.json``) and needs a
    ``mode`` entry in every record and counts ``iter`` within the epoch (it
    adds ``(epoch - 1) x iterations per epoch`` itself), while MMEngine's
    records carry no mode and count ``iter`` over the run. With
    ``by_epoch=True`` this processor adds ``mode='train'`` to the training
    records and makes their ``iter`` the iteration within the epoch;
    ``step`` keeps the run's count. Nothing else changes (the text log, the
    values, validation records).

    Args:
        *args: Positional arguments of ``LogProcessor``.
        **kwargs: Keyword arguments of ``LogProcessor`` (``window_size``,
            ``by_epoch``, ...).
    """

    def get_log_after_iter(self, runner, batch_idx: int,
                           mode: str) -> Tuple[dict, str]:
        """MMEngine's record of an iteration, in MMAction2's form."""
        tag, log_str = super().get_log_after_iter(runner, batch_idx, mode)
        if mode == 'train' and self.by_epoch:
            tag['mode'] = 'train'
            tag['iter'] = batch_idx + 1
        return tag, log_str
