# The two entry points of the README: `make demo` and `make test`.
# Both first install what a fresh Debian machine lacks (libgit2-dev, git, ssh-keygen).

SWIFT_BUILD_FLAGS ?=

.PHONY: setup build demo test bench

setup:
	@./scripts/setup

build: setup
	swift build $(SWIFT_BUILD_FLAGS)

demo: build
	./scripts/demo "$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/sla"

test: setup
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build $(SWIFT_BUILD_FLAGS)
