"""Skeleton2vec: masked prediction of contextualized skeleton targets."""
import copy
import math
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper

from mmaction.registry import MODELS


def frame_dirs(data_samples: Optional[Sequence]) -> List[str]:
    """Sample names carried in the data samples' metainfo, if any."""
    names = []
    for i, sample in enumerate(data_samples or []):
        names.append(str(sample.metainfo.get('frame_dir', f'batch[{i}]')))
    return names


def accumulate_gradients(optim_wrapper: OptimWrapper,
                         loss: torch.Tensor) -> None:
    """Backward of part of an iteration's loss, without counting a step.

    The loss is scaled as ``optim_wrapper.update_params`` would scale it
    (gradient accumulation, and an AMP loss scaler if the wrapper has one),
    so that the last part, passed to ``update_params``, completes the same
    gradients the whole loss would give.
    """
    loss = optim_wrapper.scale_loss(loss)
    loss_scaler = getattr(optim_wrapper, 'loss_scaler', None)
    if loss_scaler is not None:
        loss = loss_scaler.scale(loss)
    loss.backward()


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

    ``train_step`` can run a batch as several micro-batches, each forward
    immediately followed by its backward, and step the optimizer once: the
    gradient is the whole batch's (every part's loss is weighted by its
    share of the batch's masked tokens), but only one micro-batch's
    activations are alive at a time. On CPU this cuts the peak memory
    (2.2x at the paper's batch of 32, see ``docs/performance.md``). Under
    ``MMDistributedDataParallel`` the wrapper's own ``train_step`` runs
    and every rank's batch is processed whole.

    Args:
        backbone (dict): Student encoder config (e.g. SkeletonTransformer).
        head (dict): Pretraining head config (e.g. Skeleton2VecHead).
        target_generator (dict): Module called as ``(skeletons, teacher)``
            that returns a target ``(B, L, D)`` for every token.
        ignore_empty_persons (bool): Drop all-zero persons. Defaults to True.
        micro_batch (int | str, optional): Samples per micro-batch of
            ``train_step``. None runs the batch whole; ``'auto'`` (default)
            splits on CPU into near-equal parts of at most
            ``AUTO_MICRO_BATCH_ELEMENTS`` skeleton points (persons x frames
            x joints) times the decoder width (8 samples at NTU's
            2 x 120 x 25 and width 256; small models run whole), and runs
            whole on other devices.
        data_preprocessor (dict, optional): Defaults to
            ``ActionDataPreprocessor``.
        init_cfg (dict, optional): MMEngine init config.
    """

    #: Skeleton points (persons x frames x joints) times decoder width per
    #: micro-batch of ``micro_batch='auto'`` on CPU.
    AUTO_MICRO_BATCH_ELEMENTS = 8 * 2 * 120 * 25 * 256

    #: What keeps the teacher up to date during training: ``EMATeacherHook``
    #: names itself here before training. While it is None, ``loss`` refuses
    #: to train (training mode with gradients) a target generator that uses
    #: the teacher, so a config without the hook fails at its first step
    #: instead of regressing the targets of the encoder frozen at
    #: initialisation. Code that updates the teacher itself sets it.
    teacher_updater: Optional[str] = None

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 target_generator: dict = dict(
                     type='ContextualTargetGenerator'),
                 ignore_empty_persons: bool = True,
                 micro_batch: Union[int, str, None] = 'auto',
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
        if not (micro_batch is None or micro_batch == 'auto' or
                (isinstance(micro_batch, int) and micro_batch >= 1)):
            raise ValueError("micro_batch must be a positive int, 'auto' or "
                             f'None, got {micro_batch!r}')
        self.micro_batch = micro_batch

    def init_weights(self) -> None:
        """Initialize the student and head, then copy student to teacher."""
        super().init_weights()
        self.teacher.load_state_dict(self.backbone.state_dict())

    def train(self, mode: bool = True) -> 'Skeleton2Vec':
        """Set train/eval mode; the teacher always stays in eval mode."""
        super().train(mode)
        self.teacher.eval()
        return self

    def micro_batches(self, inputs: torch.Tensor) -> List[slice]:
        """Near-equal slices of the batch ``(N, 1, M, T, V, C)``."""
        batch = inputs.shape[0]
        size = self.micro_batch
        if size == 'auto':
            if inputs.device.type != 'cpu':
                return [slice(0, batch)]
            elements = math.prod(inputs.shape[2:5]) * getattr(
                self.head, 'embed_dims', 256)
            size = max(1, self.AUTO_MICRO_BATCH_ELEMENTS // max(elements, 1))
        if size is None or size >= batch:
            return [slice(0, batch)]
        bounds = np.linspace(0, batch, math.ceil(batch / size) + 1)
        bounds = np.round(bounds).astype(int).tolist()
        return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]

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

    def loss_tokens(self, inputs: torch.Tensor,
                    data_samples: Sequence) -> int:
        """Number of tokens ``loss`` averages over for this batch."""
        mask = self.stack_masks(data_samples)  # (N, views, M, T', V)
        keep = self.kept_persons(inputs[:, 0].flatten(0, 1))
        if keep is not None:
            keep = keep.reshape(mask.shape[0], 1, mask.shape[2], 1, 1)
            mask = mask & keep.cpu()
        return int(mask.sum())

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]:
        """One optimizer step, the batch run in micro-batches if configured.

        Args:
            data (dict): A batch from the data loader.
            optim_wrapper (OptimWrapper): The optimizer wrapper.

        Returns:
            dict: Log variables; with micro-batches, the averages of the
            parts' values weighted like their losses.
        """
        with optim_wrapper.optim_context(self):
            data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        parts = self.micro_batches(inputs)
        weights = [1.0]
        if len(parts) > 1:
            tokens = [self.loss_tokens(inputs[p], samples[p]) for p in parts]
            weights = [t / sum(tokens) if sum(tokens) else 1 / len(parts)
                       for t in tokens]
        done = inputs.new_zeros(())
        log_vars = {}
        for i, (part, weight) in enumerate(zip(parts, weights)):
            with optim_wrapper.optim_context(self):
                losses = self._run_forward(
                    dict(inputs=inputs[part], data_samples=samples[part]),
                    mode='loss')
            loss, part_vars = self.parse_losses(losses)
            for key, value in part_vars.items():
                log_vars[key] = log_vars.get(key, 0) + value.detach() * weight
            loss = loss * weight
            if i < len(parts) - 1:
                accumulate_gradients(optim_wrapper, loss)
                done = done + loss.detach()
            else:
                # the finished parts enter the value, not the gradient
                optim_wrapper.update_params(loss + done)
        return log_vars

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
                "MotionAwareTubeMasking before PackActionInputs(algorithm_keys="
                "('mask',)) in the training pipeline") from err
        return torch.from_numpy(np.stack(masks))

    def check_teacher_updater(self) -> None:
        """Refuse to train against a teacher that nothing updates."""
        if not (self.training and torch.is_grad_enabled()):
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
