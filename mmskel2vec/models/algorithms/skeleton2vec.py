"""Skeleton2vec: masked prediction of contextualized skeleton targets."""
import copy
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.model import BaseModel

from mmaction.registry import MODELS


def frame_dirs(data_samples: Optional[Sequence]) -> List[str]:
    """Sample names carried in the data samples' metainfo, if any."""
    names = []
    for i, sample in enumerate(data_samples or []):
        names.append(str(sample.metainfo.get('frame_dir', f'batch[{i}]')))
    return names


@MODELS.register_module()
class Skeleton2Vec(BaseModel):
    """Skeleton2vec self-supervised pretraining (Xu et al., 2024).

    A teacher encoder, the exponential moving average of the student kept in
    this model as the submodule ``teacher`` (so checkpoints carry it, frozen,
    always in eval mode), encodes the whole sequence; its top-K block outputs
    give a contextualized target for every token. The student ``backbone``
    encodes only the visible tokens of a motion-aware tube mask and the
    ``head`` decodes the full grid and regresses the targets of the masked
    tokens. ``EMATeacherHook`` updates the teacher after optimizer steps.

    Inputs are MMAction2 skeleton batches ``(N, 1, M, T, V, C)``; each data
    sample carries ``mask`` ``(num_views, M, T', V)`` from
    ``MotionAwareTubeMasking``. Persons are folded into the batch; with
    ``ignore_empty_persons`` all-zero (padding) persons are left out of the
    loss and of the compute.

    ``train_step`` is MMEngine's: one forward in ``mode='loss'``, then
    ``optim_wrapper.update_params``. To fit a large batch in CPU memory,
    split it with MMEngine's gradient accumulation (a smaller
    ``train_dataloader.batch_size`` and ``optim_wrapper.accumulative_counts``,
    see ``docs/performance.md``); ``EMATeacherHook`` updates the teacher
    only after the iterations that step the optimizer.

    Args:
        backbone (dict): Student encoder config (e.g. SkeletonTransformer).
        head (dict): Pretraining head config (e.g. Skeleton2VecHead).
        target_generator (dict): Module called as ``(skeletons, teacher)``
            that returns a target ``(B, L, D)`` for every token.
        ignore_empty_persons (bool): Drop all-zero persons. Defaults to True.
        data_preprocessor (dict, optional): Defaults to
            ``ActionDataPreprocessor``.
        init_cfg (dict, optional): MMEngine init config.
    """

    #: What keeps the teacher up to date during training: ``EMATeacherHook``
    #: names itself here in ``before_train``. While it is None, a target
    #: generator that uses the teacher is refused for training, so a config
    #: without the hook fails instead of regressing the targets of the
    #: encoder frozen at initialisation: ``ResumableEpochBasedTrainLoop``
    #: (the schedule bases' loop) checks right after the ``before_train``
    #: hooks, and ``loss`` checks every training step (training mode with
    #: gradients), whatever loop runs it. Code that updates the teacher
    #: itself sets it.
    teacher_updater: Optional[str] = None

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 target_generator: dict = dict(
                     type='ContextualTargetGenerator'),
                 ignore_empty_persons: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ActionDataPreprocessor')
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.teacher = copy.deepcopy(self.backbone)
        self.teacher.requires_grad_(False)
        self.head = MODELS.build(head)
        self.target_generator = MODELS.build(target_generator)
        self.ignore_empty_persons = ignore_empty_persons

    def init_weights(self) -> None:
        """Initialize the student and head, then copy student to teacher."""
        super().init_weights()
        self.teacher.load_state_dict(self.backbone.state_dict())

    def train(self, mode: bool = True) -> 'Skeleton2Vec':
        """Set train/eval mode; the teacher always stays in eval mode."""
        super().train(mode)
        self.teacher.eval()
        return self

    def kept_persons(self,
                     skeletons: torch.Tensor) -> Optional[torch.Tensor]:
        """Persons ``(B, ...)`` that ``loss`` keeps, None when all are kept.

        With ``ignore_empty_persons`` all-zero persons are dropped, unless
        every person is empty.
        """
        if not self.ignore_empty_persons:
            return None
        keep = skeletons.flatten(1).any(1)
        if bool(keep.all()) or not bool(keep.any()):
            return None
        return keep

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor') -> Union[Dict, torch.Tensor]:
        """``'loss'``: pretraining losses; ``'tensor'``: student features.

        Args:
            inputs (torch.Tensor): ``(N, num_clips, M, T, V, C)``.
            data_samples (list, optional): Data samples with ``mask``.
            mode (str): ``'loss'`` or ``'tensor'``.

        Returns:
            dict | torch.Tensor: The loss dict, or recognizer-layout features
            ``(N * num_clips, M, D, T', V)`` of the student.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'tensor':
            return self.backbone(inputs.flatten(0, 1))
        raise RuntimeError(f'Invalid mode {mode!r} for Skeleton2Vec: use '
                           "'loss' or 'tensor' (it has no 'predict')")

    def stack_masks(self, data_samples: Sequence) -> torch.Tensor:
        """Stack per-sample masks into ``(N, views, M, T', V)``."""
        try:
            masks = [np.asarray(sample.mask) for sample in data_samples]
        except AttributeError as err:
            raise ValueError(
                'Skeleton2Vec needs a `mask` in every data sample: put '
                'MotionAwareTubeMasking before PackActionInputs('
                "algorithm_keys=('mask',)) in the training pipeline") from err
        return torch.from_numpy(np.stack(masks))

    def check_teacher_updater(self, training: Optional[bool] = None) -> None:
        """Refuse to train against a teacher that nothing updates.

        Args:
            training (bool, optional): Whether the model is about to train.
                Defaults to whether it is in training mode with gradients
                enabled (a training step).

        Raises:
            RuntimeError: When training with targets from the teacher while
                ``teacher_updater`` is None.
        """
        if training is None:
            training = self.training and torch.is_grad_enabled()
        if not training:
            return
        if not getattr(self.target_generator, 'uses_teacher', True):
            return
        if self.teacher_updater is None:
            raise RuntimeError(
                'Skeleton2Vec is training but nothing updates its teacher: '
                "add dict(type='EMATeacherHook', ...) to custom_hooks (see "
                'configs/_base_/schedules/adamw_cosine_400e.py). Without it '
                'the targets come from the encoder frozen at initialisation. '
                'Code that updates model.teacher itself sets '
                'model.teacher_updater.')

    def check_inputs(self, skeletons: torch.Tensor,
                     data_samples: Optional[Sequence]) -> None:
        """Name the samples whose coordinates are not finite."""
        finite = torch.isfinite(skeletons).flatten(1).all(1)
        if not bool(finite.all()):
            names = frame_dirs(data_samples)
            bad = [names[i] if i < len(names) else f'batch[{i}]'
                   for i in torch.nonzero(~finite).flatten().tolist()]
            raise ValueError(f'non-finite coordinates in samples {bad}')

    def loss(self, inputs: torch.Tensor,
             data_samples: Sequence) -> Dict[str, torch.Tensor]:
        """Masked regression of the teacher's contextualized targets.

        Args:
            inputs (torch.Tensor): ``(N, 1, M, T, V, C)`` skeletons.
            data_samples (list): Data samples with ``mask``.

        Returns:
            dict: ``loss`` (the regression loss) and ``target_std`` (the
            mean per-channel spread of the targets, a collapse monitor).
        """
        if inputs.dim() != 6 or inputs.shape[1] != 1:
            raise ValueError('Skeleton2Vec expects inputs (N, 1, M, T, V, C) '
                             f'(one clip per sample), got '
                             f'{tuple(inputs.shape)}')
        self.check_teacher_updater()
        self.check_inputs(inputs.flatten(1), data_samples)
        mask = self.stack_masks(data_samples).to(inputs.device)
        num_views = mask.shape[1]
        skeletons = inputs[:, 0].flatten(0, 1)  # (N*M, T, V, C)
        mask = mask.transpose(0, 1).flatten(1, 2)  # (views, N*M, T', V)
        if mask.shape[1] != skeletons.shape[0]:
            raise ValueError(f'mask has {mask.shape[1]} persons per view but '
                             f'the inputs hold {skeletons.shape[0]}')
        keep = self.kept_persons(skeletons)
        if keep is not None:
            skeletons, mask = skeletons[keep], mask[:, keep]
        with torch.no_grad():
            targets = self.target_generator(skeletons, self.teacher)
        mask = mask.flatten(0, 1)  # (views*B, T', V)
        if num_views > 1:
            skeletons = skeletons.repeat(num_views, 1, 1, 1)
            targets = targets.repeat(num_views, 1, 1)
        latent = self.backbone.forward_tokens(skeletons, mask)
        pred = self.head(latent, mask)
        target = targets.flatten(0, 1)[mask.reshape(-1)]
        return dict(
            loss=self.head.loss(pred, target),
            target_std=target.std(0).mean().detach())
