# Studio Control Plane. `make test` is the one test command (CI runs it through .ci/run);
# `make run` starts the local sandbox. Every Java step runs on a JDK 25+ found by scripts/java-home.
SHELL := /bin/bash
MVN := mvn -B -ntp
JAVA_ENV = JAVA_HOME="$$(scripts/java-home)" && export JAVA_HOME

.PHONY: build test run bench clean tools client

## build: the deployable artefacts (layer and function zips), the sandbox and the client, without tests
build: tools client
	@$(JAVA_ENV) && $(MVN) -DskipTests install

## test: everything: Java (unit, adapters against moto, handlers, workflow, template, state machine,
## artefacts), then the client and host script, then the sandbox end to end with real dockerds
test: tools client
	@$(JAVA_ENV) && $(MVN) install
	python3 -m pytest -q client/tests host/tests local/e2e

## run: the local sandbox (needs root for dockerd; see README); Ctrl-C or SIGTERM stops it (status 0).
## Its functions run on the JVM flags Lambda runs them with (scripts/lambda-jvm-flags).
run: build
	@$(JAVA_ENV) && FLAGS="$$(scripts/lambda-jvm-flags)" && \
	  exec "$$JAVA_HOME/bin/java" $$FLAGS -jar local/sandbox/target/studiocp-sandbox.jar $(ARGS)

## client: the one file users install, client/dist/sdocker, from the package in client/src (always
## rebuilt: it takes a moment and the same sources give the same bytes)
client:
	@python3 client/build.py client/dist/sdocker

## tools: the Node tools the tests use (asl-validator), from package-lock.json
tools: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

## bench: the benchmarks (see README § Benchmarks); host-ready needs root, as the sandbox does
bench: build
	bench/cold-start
	bench/police
	bench/cleanup
	bench/host-ready

clean:
	@$(JAVA_ENV) && $(MVN) -q clean
	rm -rf node_modules client/dist
