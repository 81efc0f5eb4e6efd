"""kzkg_tools: find which facts agree, conflict or are missing across languages.

The library is usable without click: each stage lives in its own module
(`kzkg_tools.detect`, `kzkg_tools.normalize`, …) and works on the records of
`kzkg_tools.records`.
"""

import os

# Records must not depend on the number of BLAS threads: numpy's matrix products (align's
# similarity scores) round differently when OpenBLAS or MKL splits them among threads, which
# flipped near ties between `kzkg run -j1` (one process, all cores) and `-j2` (workers with
# one thread each, engines/local.py). Align's products are small, so one thread costs little.
# This takes effect when kzkg_tools is imported before numpy (the command line, a fresh
# process); a value the user set is kept. The embedding model's own threads (OpenMP) are not
# numpy's and are left alone.
for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0.dev0"
SCHEMA_VERSION = "4"
