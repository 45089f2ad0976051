# Conveniences; the README's commands are the reference.
.PHONY: run test bench validate demo

run:
	swift run -c release otelsw --pipeline pipelines/default.yaml

test:
	./scripts/test.sh

bench:
	./scripts/bench.sh

validate:
	swift run otelsw validate --pipeline pipelines/default.yaml

# The demo platform on 127.0.0.1 without Docker, checked end to end (see README, "Demo").
#   make demo DEMO_ARGS=--keep    leaves it running afterwards
demo:
	./scripts/demo.sh $(DEMO_ARGS)
