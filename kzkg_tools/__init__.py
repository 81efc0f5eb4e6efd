"""kzkg_tools: find which facts agree, conflict or are missing across languages.

The library is usable without click: each stage lives in its own module
(`kzkg_tools.detect`, `kzkg_tools.normalize`, …) and works on the records of
`kzkg_tools.records`.
"""

__version__ = "0.1.0.dev0"
SCHEMA_VERSION = "4"
