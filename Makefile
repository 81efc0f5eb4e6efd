.PHONY: install run test lint docs bench check

install:
	python -m pip install -e '.[dev,embed]'

run:
	kzkg run -o out/

test:
	pytest

lint:
	ruff check kzkg_tools tests benchmarks
	ruff format --check kzkg_tools tests benchmarks

docs:
	python -m kzkg_tools.clidoc > docs/cli.md
	python -m kzkg_tools.records docs/schema

bench:
	for b in benchmarks/bench_*.py; do python "$$b" || exit $$?; done
