"""Engines run `pipeline.run_shard` over shards: the only modules that know about processes
or clusters. `local` is a process pool; `dask` (optional extra) reaches clusters."""
