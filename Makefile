# kecho — top-level build. `make help` lists the targets.
#
# KDIR      kernel build directory for the modules (default: the running
#           kernel's headers, else the newest installed; see scripts/kdir.sh)
# BUILD     out-of-tree build directory for userspace and VM artefacts

BUILD      ?= $(CURDIR)/build
KERNEL_SRC := $(CURDIR)/src/kernel
USER_BUILD := $(BUILD)/userspace
JOBS       ?= $(shell nproc)

# Resolved once per recipe, lazily, so `make deps` works without headers.
resolve_kdir = kdir="$(KDIR)"; [ -n "$$kdir" ] || kdir=$$(scripts/kdir.sh) || exit 1

.PHONY: bench plot
.PHONY: help deps modules modules-clean userspace unit vm-test lint check \
	demo clean deb check-e2e

help:
	@echo "make demo       boot a VM, load kecho and show it echoing (the main job)"
	@echo "make check      install deps, build everything, run every test"
	@echo "make deps       install build and test dependencies (apt-get, idempotent)"
	@echo "make modules    build src/kernel/kecho.ko and drop-tcp-socket.ko [KDIR=...]"
	@echo "make userspace  build keechoctl, the echo servers and bench (CMake)"
	@echo "make unit       run the Catch2 unit tests (ctest)"
	@echo "make vm-test    boot a Debian kernel under QEMU and test the real modules"
	@echo "make lint       sparse, checkpatch, clang-tidy, cppcheck, W=1"
	@echo "make bench      benchmark kecho against userspace servers in one VM (~15 min)"
	@echo "make plot       redraw bench/results/*.png from the committed results"
	@echo "make deb        build kecho-dkms and keechoctl .debs into build/deb (lintian-checked)"
	@echo "make check-e2e  install the .debs in a booted Debian with systemd and test them"

deps:
	@scripts/deps.sh

deb:
	BUILD=$(BUILD) tests/e2e/build-debs $(BUILD)/deb

check-e2e:
	BUILD=$(BUILD) tests/e2e/run

modules:
	@$(resolve_kdir); $(MAKE) -C "$$kdir" M=$(KERNEL_SRC) W=1 modules

modules-clean:
	@$(resolve_kdir); $(MAKE) -C "$$kdir" M=$(KERNEL_SRC) clean

userspace:
	cmake -S src/userspace -B $(USER_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(USER_BUILD) -j $(JOBS)

unit: userspace
	cd $(USER_BUILD) && ctest --output-on-failure

vm-test: modules userspace
	tests/vm/run --build $(BUILD)

lint: modules userspace
	scripts/lint.sh

check: deps
	$(MAKE) modules userspace
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) vm-test

demo: deps
	$(MAKE) modules userspace
	tests/vm/demo --build $(BUILD)

clean: modules-clean
	rm -rf $(BUILD)

# Benchmark suite (tests/bench/run): one VM, all servers side by side;
# results and plots land in bench/results/.
bench: modules userspace
	tests/bench/run --build $(BUILD)

plot:
	tests/bench/plot bench/results
