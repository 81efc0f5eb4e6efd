.PHONY: install run test lint docs bench check report

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

# A CI data check: records match their schemas, and no fact conflicts across languages.
# On the seeds it fails (exit 1) on purpose: they disagree, e.g. 007 vs 2007.
check: out/manifest.json
	kzkg check out/*.jsonl
	kzkg diff --fail-on conflict -o /dev/null out/aligned.jsonl out/sentences.jsonl

out/manifest.json:
	kzkg run -o out/

report: out/manifest.json
	kzkg report out/ -o out/report.html
