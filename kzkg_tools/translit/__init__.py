"""Kazakh script conversion: Arabic script -> Cyrillic (lexicon-guided), Cyrillic -> Arabic
script (Kazinform or MediaWiki spelling) and Cyrillic -> the 2021 official Latin alphabet.

`arab_to_cyrl` is what `kzkg normalize` calls for kk-Arab documents; `kzkg translit` is the
line filter over the same functions.
"""

from kzkg_tools.translit.latin import cyrl_to_latn
from kzkg_tools.translit.reverse import cyrl_to_arab
from kzkg_tools.translit.text import arab_to_cyrl

__all__ = ["arab_to_cyrl", "cyrl_to_arab", "cyrl_to_latn"]
