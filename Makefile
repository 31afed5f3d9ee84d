# Gateway: the two commands a user needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
DIR ?=
STATE_DIR ?=
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

# Debian packages the tests drive or need: getfattr (attr) checks xattrs from outside, cc builds the ABI check,
# libnfs-utils is a real NFS client, qemu runs the guest whose Linux kernel mounts the gateway, rpcbind brings rpcinfo,
# smbclient/samba-testsuite (smbtorture)/python3-impacket are real SMB clients, fuse3 brings fusermount3,
# bindfs and dbench drive the FUSE mount.
TEST_PACKAGES := attr build-essential libnfs-utils qemu-system-x86 rpcbind smbclient samba-testsuite python3-impacket fuse3 bindfs dbench

.PHONY: all build run test test-deps bench bench-vfs bench-protocols publish deb clean check-dotnet

all: build

check-dotnet:
	@command -v $(DOTNET) >/dev/null || { echo "make: the .NET 10 SDK is needed (dotnet not found on PATH); see README.md" >&2; exit 1; }

## build: compile everything and leave the CLI runnable as bin/gateway
build: check-dotnet
	$(DOTNET) build Gateway.sln -c $(CONFIG) -v quiet -nologo
	$(DOTNET) publish src/Gateway.Cli/Gateway.Cli.csproj -c $(CONFIG) -o artifacts/gateway -v quiet -nologo
	@mkdir -p bin && ln -sf ../artifacts/gateway/gateway bin/gateway
	@echo "built: bin/gateway"

## run: export DIR (default: a demo directory) until Ctrl-C
run: build
	@if [ -z "$(DIR)" ]; then \
	  mkdir -p artifacts/demo/docs && \
	  [ -e artifacts/demo/README.txt ] || echo "Shared by Gateway. Edit me from any protocol." > artifacts/demo/README.txt; \
	  [ -e artifacts/demo/docs/notes.md ] || echo "# Notes" > artifacts/demo/docs/notes.md; \
	fi
	bin/gateway export "$(if $(DIR),$(DIR),artifacts/demo)" $(if $(STATE_DIR),--state-dir "$(STATE_DIR)",)

## test-deps: install the Debian packages the tests use (when root and missing)
# Packages such as winbind would start system daemons while installing: a policy-rc.d answering 101 keeps them
# stopped (only when no policy-rc.d exists already; it is removed again after).
test-deps:
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    own_policy=0; [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; }; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; rc=$$?; \
	    [ $$own_policy = 1 ] && rm -f /usr/sbin/policy-rc.d; [ $$rc = 0 ] || exit $$rc; \
	  else echo "make: the tests need these Debian packages:$$missing (run as root to install them)" >&2; exit 1; fi; \
	fi
	@# The kernel-client guest (kernel + busybox from Debian's archive), cached in /tmp/kvm-guest.
	tests/kernel/kernel-client-vm.sh --build >/dev/null

## test: install what the tests need, build, and run every test project
test: check-dotnet test-deps
	$(DOTNET) build Gateway.sln -c $(CONFIG) -v quiet -nologo
	tests/scripts/run-tests.sh $(CONFIG)

## bench: Gateway side by side with nfs-ganesha (NFS), Samba (SMB), bindfs and the local disk (FUSE), same clients,
## same run, plus the Vfs against the syscalls it wraps. Writes docs/benchmarks.md (+ .png, artifacts/benchmarks.json)
## and docs/benchmarks-vfs.md. QUICK=1: one round of smaller workloads (a few minutes), into artifacts/ only.
## Needs root (network namespace, mounts, qemu guest); installs nfs-ganesha, samba, bindfs... as it needs them.
## Never part of `make test`.
bench: check-dotnet
ifeq ($(QUICK),1)
	tests/bench/protocols/run.sh --quick
	$(DOTNET) run -c Release --project tests/bench/Gateway.Bench -- --quick --out artifacts/benchmarks-vfs-quick.md
else
	tests/bench/protocols/run.sh --out docs/benchmarks.md --json artifacts/benchmarks.json --png docs/benchmarks.png
	$(DOTNET) run -c Release --project tests/bench/Gateway.Bench -- --out docs/benchmarks-vfs.md --json artifacts/benchmarks-vfs.json
endif

## bench-vfs / bench-protocols: one half of `make bench` (QUICK=1 works for both)
bench-vfs: check-dotnet
	$(DOTNET) run -c Release --project tests/bench/Gateway.Bench -- $(if $(filter 1,$(QUICK)),--quick,--out docs/benchmarks-vfs.md --json artifacts/benchmarks-vfs.json)

bench-protocols: check-dotnet
	tests/bench/protocols/run.sh $(if $(filter 1,$(QUICK)),--quick,--out docs/benchmarks.md --json artifacts/benchmarks.json --png docs/benchmarks.png)

## publish: a self-contained single folder (artifacts/publish) that runs without a .NET install
publish: check-dotnet
	$(DOTNET) publish src/Gateway.Cli/Gateway.Cli.csproj -c Release -r linux-x64 --self-contained -o artifacts/publish -nologo

## deb: a Debian package with the CLI and a systemd unit (packaging/)
deb: publish
	packaging/build-deb.sh artifacts/publish artifacts

clean:
	$(DOTNET) clean Gateway.sln -v quiet -nologo
	rm -rf artifacts bin TestResults
