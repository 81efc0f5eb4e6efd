"""The package's lazily built resources, as one thing that can be let go.

Heavy objects (langdetect's matrix, word lists, the Arabic-script reader, gazetteer patterns,
ICU transforms) are built on first use behind module-level `functools.cache`/`lru_cache`
functions and then kept for the life of the process. `kzkg run` needs the normalize, segment
and facts ones only in its first phase; a worker that goes on to align releases them, so its
peak memory is one phase's resources, not both phases' together. Anything needed again is
simply rebuilt on next use.
"""

from __future__ import annotations

import gc
import sys


def release() -> int:
    """Clear every module-level function cache of the loaded `kzkg_tools` modules; returns
    how many were cleared."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "kzkg_tools" or name.startswith("kzkg_tools.")):
            continue
        for obj in list(vars(module).values()):
            if getattr(obj, "__module__", None) == name and hasattr(obj, "cache_clear"):
                obj.cache_clear()
                cleared += 1
    gc.collect()
    return cleared
