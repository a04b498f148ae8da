"""Models registered in MMAction2's ``MODELS`` registry."""
from .algorithms import *  # noqa: F401,F403
from .backbones import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .target_generators import *  # noqa: F401,F403
from .weight_init import *  # noqa: F401,F403
