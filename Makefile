# The two commands a newcomer needs: `make demo` and `make test`. Each installs what is missing.
SWIFT ?= swift

.PHONY: deps demo test build release

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Runs Sluice's main job on the embedded Kafka cluster.
demo: release
	$(SWIFT) run -c release sluice broker --topics Topics

## Runs the whole test suite.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
