"""Converters from raw skeleton datasets to MMAction2 annotation files."""
from .common import (ConversionError, ConversionReport, InputProblem,
                     dump_annotation_file, finish_conversion, make_annotation,
                     validate_keypoint)
from .msr_action3d import MSR_ACTION3D_CLASS_NAMES, convert_msr_action3d
from .ntu import convert_ntu
from .ntu_missing import (NTU60_MISSING_SKELETONS, NTU120_MISSING_SKELETONS,
                          missing_skeleton_samples)
from .nucla import NUCLA_CLASS_NAMES, convert_nucla
from .pku_mmd import convert_pku_mmd, parse_split_file
from .utd_mhad import UTD_MHAD_CLASS_NAMES, convert_utd_mhad

__all__ = [
    'ConversionError', 'ConversionReport', 'InputProblem',
    'MSR_ACTION3D_CLASS_NAMES', 'NTU120_MISSING_SKELETONS',
    'NTU60_MISSING_SKELETONS', 'NUCLA_CLASS_NAMES', 'UTD_MHAD_CLASS_NAMES',
    'convert_msr_action3d', 'convert_ntu', 'convert_nucla',
    'convert_pku_mmd', 'convert_utd_mhad', 'dump_annotation_file',
    'finish_conversion', 'make_annotation', 'missing_skeleton_samples',
    'parse_split_file', 'validate_keypoint'
]
