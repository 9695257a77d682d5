# The two entry points of the README: `make demo` and `make test`.
# Both first install what a fresh Debian machine lacks (libgit2-dev, git, ssh-keygen).

SWIFT_BUILD_FLAGS ?=
SHELL := /bin/bash

.PHONY: setup build demo test bench

setup:
	@./scripts/setup

build: setup
	swift build $(SWIFT_BUILD_FLAGS)

demo: build
	./scripts/demo "$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/sla"

test: setup
	@mkdir -p .build
	set -o pipefail; swift build --build-tests $(SWIFT_BUILD_FLAGS) 2>&1 | tee .build/build-output.txt
	@# The project's own code builds without warnings (dependencies' warnings are theirs).
	@! grep -E "^$(CURDIR)/(Sources|Tests|Benchmarks)/[^ ]*: warning:" .build/build-output.txt
	swift test --skip-build $(SWIFT_BUILD_FLAGS)
