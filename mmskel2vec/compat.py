"""Run-time fixes for known breakages of the pinned OpenMMLab stack.

The tested set-up (torch 2.13, mmengine 0.10.7, mmaction2 1.2.0, numpy 2,
setuptools >= 81) has four incompatibilities that are outside this project's
code, plus mmengine's fixed list of packages whose configs ``pkg::`` paths
may name (``mmskel2vec::`` fails). Each one is repaired by a small function
below, and :func:`apply_compat_fixes` runs them; the package ``__init__``
calls it before anything is imported from mmaction. It also filters one
exact import-time warning of mmcv-lite (:func:`silence_mmcv_lite_ops_warning`),
which changes no behaviour.

Two more fixes change what MMEngine does for every config in the process,
so importing the package does not apply them: URL checkpoints loaded
``weights_only`` (an unsafe default, not a breakage) and distributed
training on CPU (mmengine assumes CUDA). :func:`apply_tool_fixes` runs
them; ``tools/train.py``, ``tools/test.py`` and
``tools/misc/export_backbone.py`` call it, and other code may.

Every fix first checks whether the breakage is actually present and does
nothing otherwise, so the module is harmless on an environment where the
upstream projects have been repaired, and calling the fixes more than once is
safe.
"""
from __future__ import annotations

import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import inspect
import os.path as osp
import pickle
import sys
import types
from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = ['apply_compat_fixes', 'apply_tool_fixes']

_DRN_PACKAGE = 'mmaction.models.localizers.drn'
_DRN_MODULE = _DRN_PACKAGE + '.drn'


# ---------------------------------------------------------------------------
# 1. mmaction2 1.2.0 wheel without ``mmaction/models/localizers/drn``
# ---------------------------------------------------------------------------
class _MissingDRN:
    """Placeholder for ``mmaction.models.localizers.drn.drn.DRN``.

    The mmaction2 1.2.0 wheel was published without the ``drn`` subpackage
    (upstream issue #2714). The placeholder only lets
    ``import mmaction.models`` succeed; it is not registered in any registry
    and cannot be instantiated.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ImportError(
            'DRN is not available: the installed mmaction2 wheel is missing '
            'the subpackage mmaction/models/localizers/drn (upstream '
            'mmaction2 issue #2714). Install mmaction2 from source to use '
            'DRN.')


_MissingDRN.__name__ = 'DRN'
_MissingDRN.__qualname__ = 'DRN'
_MissingDRN.__module__ = _DRN_MODULE


def _find_spec_without_import(
        name: str) -> Optional[importlib.machinery.ModuleSpec]:
    """Find the spec of a dotted module without executing its parents.

    ``importlib.util.find_spec`` imports the parent packages of a dotted
    name, and importing ``mmaction.models.localizers`` is exactly what fails
    when ``drn`` is missing. So ``importlib.util.find_spec`` is only used for
    the top-level package and for children of packages that are already
    imported; below a package that is not imported yet, the meta path finders
    are asked directly with the parent's ``submodule_search_locations``.

    Args:
        name: Absolute dotted module name.

    Returns:
        The module spec, or ``None`` if the module (or a parent) is not found.
    """
    if name in sys.modules:
        return getattr(sys.modules[name], '__spec__', None) or \
            importlib.machinery.ModuleSpec(name, None)
    parent, _, _ = name.rpartition('.')
    if not parent or parent in sys.modules:
        try:
            return importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
    parent_spec = _find_spec_without_import(parent)
    if parent_spec is None or parent_spec.submodule_search_locations is None:
        return None
    search_path = list(parent_spec.submodule_search_locations)
    for finder in sys.meta_path:
        find_spec = getattr(finder, 'find_spec', None)
        if find_spec is None:
            continue
        try:
            spec = find_spec(name, search_path)
        except (ImportError, ValueError):
            continue
        if spec is not None:
            return spec
    return None


def fix_mmaction_missing_drn() -> bool:
    """Stub ``mmaction.models.localizers.drn`` if the wheel lacks it.

    ``mmaction/models/localizers/__init__.py`` runs ``from .drn.drn import
    DRN``, but the mmaction2 1.2.0 wheel does not ship that subpackage, so
    ``import mmaction.models`` raises ``ModuleNotFoundError``. When (and only
    when) the subpackage cannot be found, two stub modules are put into
    ``sys.modules``; their ``DRN`` raises a clear ``ImportError`` when
    constructed. Nothing is registered in mmaction's registries.

    Returns:
        True if the stubs were installed by this call, False otherwise (the
        real subpackage exists, mmaction is not installed, or the stubs are
        already in place).
    """
    if _DRN_PACKAGE in sys.modules or _DRN_MODULE in sys.modules:
        return False
    if _find_spec_without_import('mmaction.models.localizers') is None:
        return False  # mmaction (or its localizers) is not installed.
    if _find_spec_without_import(_DRN_PACKAGE) is not None:
        return False

    doc = ('Stub for the subpackage missing from the mmaction2 1.2.0 wheel; '
           'installed by mmskel2vec.compat.')
    package = types.ModuleType(_DRN_PACKAGE, doc)
    package.__spec__ = importlib.machinery.ModuleSpec(
        _DRN_PACKAGE, None, is_package=True)
    package.__path__ = []  # A package with nothing to import from disk.
    package.__package__ = _DRN_PACKAGE
    module = types.ModuleType(_DRN_MODULE, doc)
    module.__spec__ = importlib.machinery.ModuleSpec(_DRN_MODULE, None)
    module.__package__ = _DRN_PACKAGE
    module.DRN = _MissingDRN
    module.__all__ = ['DRN']
    package.drn = module
    package.DRN = _MissingDRN
    package.__all__ = ['DRN']
    sys.modules[_DRN_PACKAGE] = package
    sys.modules[_DRN_MODULE] = module
    return True


# ---------------------------------------------------------------------------
# 2. torch >= 2.6 ``weights_only=True`` versus mmengine runner checkpoints
# ---------------------------------------------------------------------------
# Default statistics of ``HistoryBuffer``. Its ``__getstate__`` stores them as
# ``HistoryBuffer.min`` etc., which pickle protocol 2 writes as
# ``getattr(HistoryBuffer, 'min')``.
_HISTORY_BUFFER_STATISTICS = frozenset({'min', 'max', 'mean', 'current'})


def _history_buffer_getattr(obj: Any, name: Any) -> Any:
    """Restricted stand-in for ``builtins.getattr`` in checkpoints.

    It is registered under the pickled name ``builtins.getattr`` (see
    :func:`fix_torch_load_mmengine_checkpoints`) and only resolves the
    ``HistoryBuffer`` statistics methods; any other lookup is refused, so a
    checkpoint cannot use ``getattr`` to reach arbitrary objects.

    Args:
        obj: The object whose attribute is requested.
        name: The attribute name.

    Returns:
        The requested ``HistoryBuffer`` statistics function.

    Raises:
        pickle.UnpicklingError: For any other object or attribute.
    """
    from mmengine.logging.history_buffer import HistoryBuffer

    if (isinstance(obj, type) and issubclass(obj, HistoryBuffer)
            and isinstance(name, str) and name in _HISTORY_BUFFER_STATISTICS):
        value = getattr(obj, name)
        if inspect.isfunction(value):
            return value
    raise pickle.UnpicklingError(
        f'getattr({obj!r}, {name!r}) is not allowed while loading a '
        'checkpoint with weights_only=True: only the HistoryBuffer '
        'statistics methods are (mmskel2vec.compat).')


def _numpy_multiarray() -> types.ModuleType:
    """Return numpy's ``multiarray`` module on numpy 1.x and 2.x.

    Returns:
        ``numpy._core.multiarray`` (numpy >= 2) or ``numpy.core.multiarray``.
    """
    try:
        return importlib.import_module('numpy._core.multiarray')
    except ImportError:
        return importlib.import_module('numpy.core.multiarray')


#: dtype codes whose instance classes checkpoints may need: booleans and
#: numbers, plus the plain-data kinds a ``meta`` may hold (unicode and byte
#: strings, dates, time deltas, structured records). Object arrays are not
#: plain data and stay refused.
_PLAIN_DTYPE_CODES = ('U1', 'S1', 'M8[s]', 'm8[s]', 'V1')


def _numpy_dtype_classes() -> List[type]:
    """Return the classes of numpy's plain-data dtype instances.

    A pickled dtype is rebuilt as ``numpy.dtype('f8', ...)`` followed by a
    BUILD on the result, whose type is e.g. ``numpy.dtypes.Float64DType``
    (numpy >= 1.25; ``numpy.dtype[float64]`` before). torch's weights-only
    unpickler only BUILDs allowlisted types, so those classes are needed.

    Returns:
        The distinct dtype classes for bool, integer, float, complex and
        :data:`_PLAIN_DTYPE_CODES`.
    """
    import numpy as np

    codes = list('?' + np.typecodes['AllInteger'] + np.typecodes['AllFloat'])
    codes += _PLAIN_DTYPE_CODES
    classes: List[type] = []
    for code in codes:
        try:
            cls = type(np.dtype(code))
        except TypeError:
            continue
        if cls not in classes:
            classes.append(cls)
    return classes


def _torch_supports_named_safe_globals(torch_module: types.ModuleType) -> bool:
    """Whether ``add_safe_globals`` accepts ``(object, 'full.name')`` pairs.

    Args:
        torch_module: The imported ``torch`` module.

    Returns:
        True for torch >= 2.6, where the pair form exists.
    """
    try:
        major, minor = (int(part) for part in
                        torch_module.__version__.split('.')[:2])
    except ValueError:
        return False
    return (major, minor) >= (2, 6)


def mmengine_checkpoint_safe_globals() -> List[Any]:
    """List the globals that mmengine runner checkpoints need.

    Found by saving checkpoints of toy mmengine Runners (AdamW, gradient
    clipping, LinearLR + CosineAnnealingLR, CheckpointHook incl. ``save_best``,
    EMAHook, a validation metric returning numpy scalars) and running
    ``torch.serialization.get_unsafe_globals_in_checkpoint`` on them, which
    reports ``mmengine.logging.history_buffer.HistoryBuffer``,
    ``numpy._core.multiarray._reconstruct``, ``numpy.ndarray``,
    ``numpy.dtype``, ``numpy._core.multiarray.scalar`` and
    ``builtins.getattr``; loading then also needs the dtype instance classes
    (``numpy.dtypes.Float64DType``, ``Int64DType``, ``StrDType``, ...), see
    :func:`_numpy_dtype_classes`, and ``builtins.bytes``, with which numpy 2
    pickles the (empty) data of an empty array such as an empty
    ``HistoryBuffer`` (pytorch issue 133163). ``bytes`` builds a byte string
    and runs nothing.

    ``builtins.getattr`` is not registered itself: the name is mapped to
    :func:`_history_buffer_getattr`, which only resolves the
    ``HistoryBuffer`` statistics. The numpy functions are also registered
    under their numpy 1.x (``numpy.core``) and 2.x (``numpy._core``) pickle
    names, so checkpoints written with either load. Named entries need
    torch >= 2.6 and are left out on older torch (which does not default to
    ``weights_only=True`` anyway).

    Returns:
        Entries for ``torch.serialization.add_safe_globals``.
    """
    import numpy as np
    import torch
    from mmengine.logging.history_buffer import HistoryBuffer

    multiarray = _numpy_multiarray()
    entries: List[Any] = [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        multiarray._reconstruct,
        multiarray.scalar,
        bytes,
    ]
    entries.extend(_numpy_dtype_classes())
    if _torch_supports_named_safe_globals(torch):
        named: List[Tuple[Callable, str]] = [
            (_history_buffer_getattr, 'builtins.getattr'),
        ]
        for module_name in ('numpy.core.multiarray', 'numpy._core.multiarray'):
            named.append((multiarray._reconstruct,
                          f'{module_name}._reconstruct'))
            named.append((multiarray.scalar, f'{module_name}.scalar'))
        entries.extend(named)
    return entries


def fix_torch_load_mmengine_checkpoints() -> bool:
    """Allow mmengine runner checkpoints under weights-only ``torch.load``.

    Since torch 2.6 ``torch.load`` defaults to ``weights_only=True``, while
    mmengine 0.10.7 calls ``torch.load(filename, map_location=...)``. Full
    runner checkpoints (``resume=True`` or ``load_from``) hold a
    ``message_hub`` with ``HistoryBuffer`` objects and numpy arrays/scalars,
    which the weights-only unpickler refuses. Weights-only loading stays on;
    only the globals listed by :func:`mmengine_checkpoint_safe_globals` are
    allowlisted, so arbitrary pickles are still refused.

    Returns:
        True if globals were registered by this call; False when they already
        were, or when torch has no ``add_safe_globals`` (torch < 2.4, which
        loads without restrictions).
    """
    import torch

    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is None:
        return False
    entries = mmengine_checkpoint_safe_globals()
    get_safe_globals = getattr(torch.serialization, 'get_safe_globals', None)
    if get_safe_globals is not None:
        registered = get_safe_globals()
        entries = [entry for entry in entries if entry not in registered]
        if not entries:
            return False
    add_safe_globals(entries)
    return True


# ---------------------------------------------------------------------------
# 3. mmengine ``pkg::`` config paths versus setuptools without pkg_resources
# ---------------------------------------------------------------------------
def _get_distribution(
        package: str) -> Optional[importlib.metadata.Distribution]:
    """Return the installed distribution named ``package``, if any.

    Args:
        package: Distribution (project) name.

    Returns:
        The distribution, or None if it is not installed.
    """
    try:
        return importlib.metadata.distribution(package)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None


def _find_module_spec(name: str) -> Optional[importlib.machinery.ModuleSpec]:
    """``importlib.util.find_spec`` that returns None instead of raising.

    Args:
        name: Module name.

    Returns:
        The spec, or None.
    """
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def is_installed(package: str) -> bool:
    """Check whether a package is installed (no ``pkg_resources`` needed).

    Same semantics as ``mmengine.utils.is_installed``: True if a distribution
    of that name is installed, or else if it is an importable, non-namespace
    module.

    Args:
        package: Name of the package to check.

    Returns:
        Whether the package is installed.
    """
    if _get_distribution(package) is not None:
        return True
    spec = _find_module_spec(package)
    return spec is not None and spec.origin is not None


def package2module(package: str) -> str:
    """Infer the top-level module name of an installed distribution.

    Args:
        package: Distribution name, e.g. ``mmcv-lite``.

    Returns:
        The first module listed in the distribution's ``top_level.txt``, or
        the only top-level package in its file list.

    Raises:
        importlib.metadata.PackageNotFoundError: If it is not installed.
        ValueError: If the module name cannot be inferred.
    """
    dist = importlib.metadata.distribution(package)
    top_level = dist.read_text('top_level.txt')
    if top_level:
        names = [line.strip() for line in top_level.splitlines()
                 if line.strip()]
        if names:
            return names[0]
    packages = sorted({
        file.parts[0]
        for file in (dist.files or [])
        if len(file.parts) == 2 and file.parts[1] == '__init__.py'
    })
    if len(packages) == 1:
        return packages[0]
    raise ValueError(f'can not infer the module name of {package}')


def get_installed_path(package: str) -> str:
    """Get the install directory of a package (no ``pkg_resources`` needed).

    Same semantics as ``mmengine.utils.get_installed_path``: for an installed
    distribution, ``<location>/<package>`` if it exists, else
    ``<location>/<module name>``; otherwise the directory of the importable
    module named ``package``.

    Args:
        package: Name of the package, e.g. ``mmaction`` or ``mmcv-lite``.

    Returns:
        The package directory, e.g. ``.../site-packages/mmaction``.

    Raises:
        importlib.metadata.PackageNotFoundError: If it is not installed.
        RuntimeError: If ``package`` is a namespace package.
    """
    dist = _get_distribution(package)
    if dist is None:
        spec = _find_module_spec(package)
        if spec is None:
            raise importlib.metadata.PackageNotFoundError(package)
        if spec.origin is None:
            raise RuntimeError(
                f'{package} is a namespace package, which is invalid '
                'for `get_install_path`')
        return osp.dirname(spec.origin)

    location = osp.abspath(str(dist.locate_file('')))
    possible_path = osp.join(location, package)
    if osp.exists(possible_path):
        return possible_path
    module_name = package2module(package)
    module_path = osp.join(location, module_name)
    if not osp.exists(module_path):
        # E.g. a PEP 660 editable install: the code is not next to the
        # metadata, so ask the import system where it lives.
        spec = _find_module_spec(module_name)
        if spec is not None and spec.origin is not None:
            return osp.dirname(spec.origin)
    return module_path


_PACKAGE_UTILS_REPLACEMENTS: Dict[str, Callable] = {
    'is_installed': is_installed,
    'get_installed_path': get_installed_path,
    'package2module': package2module,
}


def fix_mmengine_package_utils() -> bool:
    """Replace mmengine's ``pkg_resources``-based package helpers.

    mmengine resolves config paths such as ``mmaction::_base_/...`` with
    ``is_installed`` and ``get_installed_path`` from
    ``mmengine.utils.package_utils``, which ``import pkg_resources``; that
    module is gone from setuptools >= 81. When ``pkg_resources`` cannot be
    found, the helpers are replaced by the ``importlib.metadata`` versions
    above in ``package_utils`` and in every loaded mmengine module that
    imported them by name (``mmengine.utils``, ``mmengine.config.config``,
    ``mmengine.hub.hub``, ...). Modules imported later pick up the
    replacements from ``mmengine.utils``.

    Returns:
        True if anything was replaced by this call.
    """
    if _find_module_spec('pkg_resources') is not None:
        return False
    if _find_module_spec('mmengine') is None:
        return False
    package_utils = importlib.import_module('mmengine.utils.package_utils')
    originals = {
        name: getattr(package_utils, name)
        for name in _PACKAGE_UTILS_REPLACEMENTS
        if getattr(package_utils, name, None) is not None
        and getattr(package_utils, name) is not
        _PACKAGE_UTILS_REPLACEMENTS[name]
    }
    if not originals:
        return False
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == 'mmengine'
                                  or module_name.startswith('mmengine.')):
            continue
        for name, original in originals.items():
            if getattr(module, name, None) is original:
                setattr(module, name, _PACKAGE_UTILS_REPLACEMENTS[name])
    return True


def fix_mmengine_config_package_list() -> bool:
    """Let ``mmskel2vec::`` config paths resolve (mmengine issue 1410).

    mmengine documents that ``_base_ = 'pkg::path'`` works for any package
    that installs its configs under ``pkg/.mim/configs``, but 0.10.7 asserts
    that ``pkg`` is in its fixed ``MODULE2PACKAGE`` list of OpenMMLab
    packages. This adds ``mmskel2vec`` to that list when it is missing (a
    no-op where mmengine resolves any installed package). It acts once
    ``mmskel2vec`` is imported, so configs are loaded after the import (as
    ``tools/train.py`` and ``tools/test.py`` do).

    Returns:
        True if the entry was added by this call.
    """
    if _find_module_spec('mmengine') is None:
        return False
    utils = importlib.import_module('mmengine.config.utils')
    table = getattr(utils, 'MODULE2PACKAGE', None)
    if not isinstance(table, dict) or 'mmskel2vec' in table:
        return False
    try:  # the breakage itself: is an unlisted package refused?
        utils._get_package_and_cfg_path('mmskel2vec::skeleton2vec/x.py')
    except AssertionError:
        table['mmskel2vec'] = 'mmskel2vec'
        return True
    return False


# ---------------------------------------------------------------------------
# 4. numpy 2 removed ``np.Inf``
# ---------------------------------------------------------------------------
def fix_numpy_inf_alias() -> bool:
    """Restore ``numpy.Inf`` as an alias of ``numpy.inf``.

    numpy 2 removed ``np.Inf``, which mmaction's skeleton transforms
    (``PoseCompact``, ``MMCompact`` in
    ``mmaction.datasets.transforms.pose_transforms``) still use.

    Returns:
        True if the alias was added by this call.
    """
    import numpy as np

    if hasattr(np, 'Inf'):
        return False
    np.Inf = np.inf
    return True


# ---------------------------------------------------------------------------
# 5. mmengine loads URL checkpoints with ``weights_only=False``
# ---------------------------------------------------------------------------
def fix_mmengine_load_url_weights_only() -> bool:
    """Load ``http(s)://`` (and model-zoo) checkpoints weights-only.

    Local checkpoints go through ``torch.load``, which is weights-only by
    default since torch 2.6, but mmengine 0.10.7 fetches ``http(s)://``,
    ``torchvision://``, ``open-mmlab://`` and ``mmcls://`` checkpoints with
    ``torch.hub.load_state_dict_from_url``, whose ``weights_only`` defaults
    to False: such a checkpoint could run arbitrary code while loading.
    ``mmengine.runner.checkpoint.load_url`` is wrapped to pass
    ``weights_only=True`` (the safe globals of
    :func:`fix_torch_load_mmengine_checkpoints` apply as for local files).

    Returns:
        True if the loader was wrapped by this call; False when mmengine is
        absent, already wrapped, or its loader has no ``weights_only``.
    """
    if _find_module_spec('mmengine') is None:
        return False
    checkpoint = importlib.import_module('mmengine.runner.checkpoint')
    original = getattr(checkpoint, 'load_url', None)
    if original is None or getattr(original, '_weights_only_forced', False):
        return False
    try:
        params = inspect.signature(original).parameters
    except (TypeError, ValueError):
        return False
    if 'weights_only' not in params:
        return False

    def load_url(*args: Any, **kwargs: Any) -> Any:
        kwargs['weights_only'] = True
        return original(*args, **kwargs)

    load_url.__doc__ = original.__doc__
    load_url._weights_only_forced = True  # type: ignore[attr-defined]
    checkpoint.load_url = load_url
    return True


# ---------------------------------------------------------------------------
# 6. mmengine's distributed set-up assumes CUDA
# ---------------------------------------------------------------------------
def _without_cuda_set_device(init: Callable) -> Callable:
    """Wrap an mmengine ``_init_dist_*`` for machines without CUDA.

    Args:
        init: ``mmengine.dist.utils._init_dist_pytorch`` or ``_slurm``.

    Returns:
        A function that calls ``init`` with ``torch.cuda.set_device`` turned
        into a no-op while CUDA is unavailable, and that refuses the NCCL
        backend there with a clear message.
    """
    import torch

    def wrapper(backend: str = 'nccl', *args: Any, **kwargs: Any) -> Any:
        if torch.cuda.is_available():
            return init(backend, *args, **kwargs)
        if backend == 'nccl':
            raise RuntimeError(
                'the NCCL backend needs CUDA GPUs; on CPU pass '
                '--cfg-options env_cfg.dist_cfg.backend=gloo')
        set_device = torch.cuda.set_device
        torch.cuda.set_device = lambda device: None
        try:
            return init(backend, *args, **kwargs)
        finally:
            torch.cuda.set_device = set_device

    wrapper.__doc__ = init.__doc__
    wrapper._cpu_safe = True  # type: ignore[attr-defined]
    return wrapper


def fix_mmengine_cpu_distributed() -> bool:
    """Let mmengine train distributed on CPU (gloo), e.g. in CI.

    mmengine 0.10.7 calls ``torch.cuda.set_device(local_rank)`` before
    ``init_process_group`` (pytorch and slurm launchers), which fails on a
    CPU-only torch, and builds ``MMDistributedDataParallel`` with
    ``device_ids=[local_rank]``, which DDP rejects for a CPU module. The
    launchers are wrapped to skip ``set_device`` while CUDA is unavailable,
    and ``MMDistributedDataParallel`` drops ``device_ids`` for a module
    whose parameters are all on the CPU. GPU runs are unaffected.

    Returns:
        True if anything was wrapped by this call.
    """
    if _find_module_spec('mmengine') is None:
        return False
    changed = False
    dist_utils = importlib.import_module('mmengine.dist.utils')
    for name in ('_init_dist_pytorch', '_init_dist_slurm'):
        init = getattr(dist_utils, name, None)
        if init is not None and not getattr(init, '_cpu_safe', False):
            setattr(dist_utils, name, _without_cuda_set_device(init))
            changed = True
    wrappers = importlib.import_module('mmengine.model.wrappers.distributed')
    ddp = wrappers.MMDistributedDataParallel
    original_init = ddp.__init__
    if not getattr(original_init, '_cpu_safe', False):

        def __init__(self: Any, module: Any, *args: Any,
                     **kwargs: Any) -> None:
            if kwargs.get('device_ids') is not None and all(
                    p.device.type == 'cpu' for p in module.parameters()):
                kwargs['device_ids'] = None
            original_init(self, module, *args, **kwargs)

        __init__.__doc__ = original_init.__doc__
        __init__._cpu_safe = True  # type: ignore[attr-defined]
        ddp.__init__ = __init__
        changed = True
    return changed


def silence_mmcv_lite_ops_warning() -> bool:
    """Hide mmcv-lite's import-time warning about its missing compiled ops.

    ``mmcv.cnn.bricks.transformer`` warns on every import that
    ``MultiScaleDeformableAttention`` needs the full ``mmcv``. The skeleton
    path never uses compiled ops, so the warning is noise for mmcv-lite
    users; only that exact message is filtered.

    Returns:
        bool: True if the filter was added, False if it was already there.
    """
    import warnings
    pattern = 'Fail to import ``MultiScaleDeformableAttention``'
    if any(f[1] is not None and f[1].pattern.startswith(pattern)
           for f in warnings.filters):
        return False
    warnings.filterwarnings('ignore', message=pattern, category=UserWarning)
    return True


def apply_compat_fixes() -> None:
    """Apply the fixes the pinned stack needs to import and run (idempotent).

    Must run before anything is imported from ``mmaction``. Each fix is a
    no-op when its breakage is absent or already repaired. Nothing here
    changes the behaviour of a config that uses none of this package's
    components (``tests/test_import_side_effects.py``).
    """
    fix_numpy_inf_alias()
    fix_mmengine_package_utils()
    fix_mmengine_config_package_list()
    fix_torch_load_mmengine_checkpoints()
    fix_mmaction_missing_drn()
    silence_mmcv_lite_ops_warning()


def apply_tool_fixes() -> None:
    """Apply the opt-in fixes of this package's command-line tools.

    :func:`fix_mmengine_load_url_weights_only` and
    :func:`fix_mmengine_cpu_distributed` change how MMEngine loads URL
    checkpoints and sets up distributed training for every config in the
    process, so ``import mmskel2vec`` leaves them out; ``tools/train.py``
    and ``tools/test.py`` call this before building the runner,
    ``tools/misc/export_backbone.py`` before loading. Idempotent.
    """
    fix_mmengine_load_url_weights_only()
    fix_mmengine_cpu_distributed()
