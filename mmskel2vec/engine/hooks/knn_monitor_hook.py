"""Hook that scores the frozen encoders with a kNN classifier in training."""
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.dist import collect_results
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from mmaction.registry import HOOKS
from ...evaluation import PositionVarianceShare, weighted_knn_top1


@HOOKS.register_module()
class KNNMonitorHook(Hook):
    """Weighted kNN top-1 of the teacher and student, and target collapse.

    Once before the first training step (the randomly initialised encoders)
    and then every ``interval`` epochs and after the last one, the hook
    embeds a labelled training and validation split with each frozen encoder
    in eval mode (features averaged over tokens, persons and clips) and
    scores the validation split with :func:`weighted_knn_top1` (cosine
    similarity, ``k`` neighbours, vote temperature ``temperature``). It also
    measures how much of the variance of the teacher's targets on the
    validation split token position alone explains
    (:class:`PositionVarianceShare`): a value near 1 means the targets
    collapsed onto a positional code.

    The figures go to the log and, through the runner's visualizer, to
    ``vis_data/scalars.json`` under ``knn/<encoder>_top1`` and
    ``knn/position_share`` (step = iteration, plus ``epoch``). Under
    distributed training every rank embeds its shard of the data and rank 0
    scores the gathered features; the target statistic uses rank 0's shard.

    Args:
        train_dataloader (dict): Data loader config of the labelled split
            the neighbours come from, with a deterministic pipeline (no
            masking), e.g. the dataset base's ``val_pipeline`` on the
            training split.
        val_dataloader (dict): Data loader config of the scored split.
        interval (int): Epochs between evaluations. Defaults to 10.
        k (int): Neighbours. Defaults to 20.
        temperature (float): Vote temperature. Defaults to 0.07.
        encoders (dict): Log name -> attribute of the model of each encoder
            to score. Defaults to ``dict(teacher='teacher',
            student='backbone')``.
    """

    priority = 'LOW'

    def __init__(self,
                 train_dataloader: dict,
                 val_dataloader: dict,
                 interval: int = 10,
                 k: int = 20,
                 temperature: float = 0.07,
                 encoders: Optional[Dict[str, str]] = None) -> None:
        if interval < 1 or k < 1 or temperature <= 0:
            raise ValueError('interval and k must be >= 1 and temperature '
                             f'> 0, got {interval}, {k}, {temperature}')
        self.train_dataloader_cfg = train_dataloader
        self.val_dataloader_cfg = val_dataloader
        self.interval = interval
        self.k = k
        self.temperature = temperature
        self.encoders = dict(encoders or dict(
            teacher='teacher', student='backbone'))
        self._loaders: Optional[Tuple] = None

    def before_train(self, runner) -> None:
        """Build the data loaders and score the encoders at iteration 0."""
        model = self._model(runner)
        for name, attr in self.encoders.items():
            if not hasattr(model, attr):
                raise AttributeError(
                    f'KNNMonitorHook: {type(model).__name__} has no encoder '
                    f'{attr!r} (for {name!r})')
        seed = runner.seed
        self._loaders = (Runner.build_dataloader(self.train_dataloader_cfg,
                                                 seed=seed),
                         Runner.build_dataloader(self.val_dataloader_cfg,
                                                 seed=seed))
        if runner.iter == 0:  # a resumed run was scored at its start
            self.evaluate(runner, epoch=0)

    def after_train_epoch(self, runner) -> None:
        """Score every ``interval`` epochs and after the last epoch."""
        if self.every_n_epochs(runner, self.interval) or \
                self.is_last_train_epoch(runner):
            self.evaluate(runner, epoch=runner.epoch + 1)

    @staticmethod
    def _model(runner):
        return runner.model.module if is_model_wrapper(
            runner.model) else runner.model

    @torch.no_grad()
    def embed(self, model, loader,
              statistic: Optional[PositionVarianceShare] = None
              ) -> Tuple[Dict[str, torch.Tensor], torch.Tensor]:
        """Pooled features of every encoder and the labels of a split.

        Args:
            model: The pretraining model (``data_preprocessor``, encoders).
            loader: The split's data loader.
            statistic: When given, updated with the teacher's targets.

        Returns:
            ``{name: (N, C)}`` features and ``(N,)`` labels, in dataset order
            (gathered from every rank).
        """
        results: List[Tuple] = []
        for batch in loader:
            data = model.data_preprocessor(batch, False)
            inputs = data['inputs']  # (N, clips, M, T, V, C)
            num, clips = inputs.shape[:2]
            feats = []
            for attr in self.encoders.values():
                x = getattr(model, attr)(inputs.flatten(0, 1))
                # (N * clips, M, C, T', V) -> (N, C)
                pooled = x.mean(dim=(3, 4)).mean(1).reshape(num, clips, -1)
                feats.append(pooled.mean(1).float().cpu())
            labels = [int(s.gt_label.item()) for s in data['data_samples']]
            results.extend(zip(*feats, labels))
            if statistic is not None:
                skeletons = inputs.flatten(0, 2)  # (N * clips * M, T, V, C)
                keep = skeletons.flatten(1).any(1)
                if bool(keep.any()):
                    statistic.update(
                        model.target_generator(skeletons[keep],
                                               model.teacher))
        gathered = collect_results(results, len(loader.dataset), device='cpu')
        if gathered is None:  # not rank 0
            return {}, torch.empty(0)
        feats = {
            name: torch.stack([row[i] for row in gathered])
            for i, name in enumerate(self.encoders)
        }
        return feats, torch.tensor([row[-1] for row in gathered])

    def evaluate(self, runner, epoch: int) -> Dict[str, float]:
        """Score the encoders now; log and return the figures.

        Args:
            runner: The runner.
            epoch (int): Training epochs completed (0 before training).
        """
        model = self._model(runner)
        train_loader, val_loader = self._loaders
        was_training = model.training
        model.eval()
        statistic = PositionVarianceShare() if hasattr(
            model, 'target_generator') and hasattr(model, 'teacher') else None
        try:
            train_feats, train_labels = self.embed(model, train_loader)
            val_feats, val_labels = self.embed(model, val_loader, statistic)
        finally:
            model.train(was_training)
        if not val_feats:
            return {}
        scalars = {
            f'knn/{name}_top1': weighted_knn_top1(
                train_feats[name], train_labels, val_feats[name], val_labels,
                k=self.k, temperature=self.temperature)
            for name in self.encoders
        }
        if statistic is not None and statistic.count >= 2:
            scalars['knn/position_share'] = statistic.compute()
        text = ', '.join(f'{key[4:]} {value:.4f}'
                         for key, value in scalars.items())
        runner.logger.info(f'kNN monitor (epoch {epoch}, iter '
                           f'{runner.iter}, k={self.k}): {text}')
        runner.visualizer.add_scalars(
            dict(scalars, epoch=epoch), step=runner.iter)
        return scalars
