# Conveniences; the README's commands are the reference.
.PHONY: run test bench validate

run:
	swift run -c release otelsw --pipeline pipelines/default.yaml

test:
	./scripts/test.sh

bench:
	./scripts/bench.sh

validate:
	swift run otelsw validate --pipeline pipelines/default.yaml
