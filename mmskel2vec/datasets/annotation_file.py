"""Read skeleton annotation pickles safely, with errors naming the file.

MMAction2 reads annotation files with a plain ``pickle.load``: a corrupted or
truncated file fails with a bare ``EOFError``/``UnpicklingError`` that does
not say which file, and a crafted file can run arbitrary code. The skeleton
format needs nothing but builtin containers, strings, numbers and NumPy
arrays, so :func:`load_annotation_file` unpickles with an allowlist of those
and reports every failure as an :class:`AnnotationFileError` naming the
file.
"""
import os.path as osp
import pickle
from typing import Any

#: Globals a skeleton annotation pickle may reference (NumPy 1.x and 2.x
#: names of the array and scalar reconstructors, and a few builtins that
#: older pickle protocols spell as globals).
SAFE_GLOBALS = frozenset({
    ('numpy', 'ndarray'),
    ('numpy', 'dtype'),
    ('numpy.core.multiarray', '_reconstruct'),
    ('numpy._core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'),
    ('numpy._core.multiarray', 'scalar'),
    ('numpy.core.numeric', '_frombuffer'),
    ('numpy._core.numeric', '_frombuffer'),
    ('_codecs', 'encode'),
    ('collections', 'OrderedDict'),
    ('builtins', 'set'),
    ('builtins', 'frozenset'),
    ('builtins', 'slice'),
    ('builtins', 'complex'),
    ('builtins', 'bytearray'),
})


class AnnotationFileError(ValueError):
    """An annotation file is missing, unreadable or not allowed."""


class _AllowlistUnpickler(pickle.Unpickler):
    """Unpickler that resolves only :data:`SAFE_GLOBALS`."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in SAFE_GLOBALS:
            raise pickle.UnpicklingError(
                f'global {module}.{name} is not allowed in a skeleton '
                'annotation file')
        return super().find_class(module, name)


def load_annotation_file(path: str, safe: bool = True) -> Any:
    """Load a ``.pkl`` annotation file.

    Args:
        path (str): The file.
        safe (bool): Only allow builtin containers and NumPy arrays/scalars
            (no code can run while loading). False uses ``pickle.load``
            unrestricted: only for trusted files that hold other objects.
            Defaults to True.

    Returns:
        The unpickled object.

    Raises:
        AnnotationFileError: The file does not exist or cannot be read, is
            truncated or corrupted, or (``safe``) references a global outside
            the allowlist. The message names the file.
    """
    if not osp.isfile(path):
        raise AnnotationFileError(f'{path}: annotation file not found')
    try:
        with open(path, 'rb') as f:
            if safe:
                return _AllowlistUnpickler(f).load()
            return pickle.load(f)
    except pickle.UnpicklingError as err:
        if 'truncated' in str(err):
            raise AnnotationFileError(
                f'{path}: truncated annotation file (the pickle ends early); '
                're-run the converter') from err
        if 'is not allowed' in str(err):
            raise AnnotationFileError(
                f'{path}: {err}; only builtin containers and NumPy arrays '
                'are loaded (pass safe_load=False for a trusted file that '
                'needs more)') from err
        raise AnnotationFileError(
            f'{path}: corrupted annotation file, not a valid pickle '
            f'({err})') from err
    except EOFError as err:
        raise AnnotationFileError(
            f'{path}: truncated annotation file (the pickle ends early); '
            're-run the converter') from err
    except (OSError, ValueError, TypeError, AttributeError, IndexError,
            KeyError, MemoryError, ImportError) as err:
        raise AnnotationFileError(
            f'{path}: cannot read the annotation file '
            f'({type(err).__name__}: {err})') from err
