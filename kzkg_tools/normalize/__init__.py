"""`kzkg normalize`: raw files to Document records (text, blocks, spans, metadata)."""
