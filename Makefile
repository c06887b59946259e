# safeharbor — see README.md. `make`, `make check`, `make bench`, `make fuzz`,
# `make install PREFIX=/usr DESTDIR=...`.
#
# Sources are found by directory, so adding a module needs no edit here:
#   src/*.c          the library (libsafeharbor.a), no curses
#   src/kiosk/*.c    safeharbor-kiosk
#   src/tool/*.c     safeharbor
#   tests/unit/test_*.c   one Criterion binary each
#   tests/fuzz/fuzz_*.c   one libFuzzer harness each
#   tests/tools/*.c       small test-only programs (e.g. raw age seal/open)
#   bench/bench_*.c       benchmark programs, driven by bench/run.sh

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
USERUNITDIR ?= $(PREFIX)/lib/systemd/user
VERSION = 0.1.0

BUILD ?= build
CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
FUZZ_SECONDS ?= 10

PKGS = libsodium inih
CURSES_PKGS = ncursesw
SECCOMP_PKGS = libseccomp

HARDEN = -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
HARDEN_LD = -pie -Wl,-z,relro,-z,now
ifeq ($(SANITIZE),1)
HARDEN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -fPIE
HARDEN_LD = -fsanitize=address,undefined -pie
endif

override CPPFLAGS += -Iinclude -D_GNU_SOURCE -DSH_VERSION='"$(VERSION)"' \
	-DSH_DATADIR='"$(DATADIR)/safeharbor"'
override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow -Wconversion \
	-Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	$(HARDEN) -MMD -MP \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) $(CURSES_PKGS) $(SECCOMP_PKGS))
override LDFLAGS += $(HARDEN_LD)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS))
CURSES_LIBS = $(shell $(PKG_CONFIG) --libs $(CURSES_PKGS))
SECCOMP_LIBS = $(shell $(PKG_CONFIG) --libs $(SECCOMP_PKGS))
CRITERION_LIBS = $(shell $(PKG_CONFIG) --libs criterion zlib)
# libunistring ships no .pc file; the tool's search folds text with it.
UNISTRING_LIBS = -lunistring

LIB_SRC = $(wildcard src/*.c)
KIOSK_SRC = $(wildcard src/kiosk/*.c)
TOOL_SRC = $(wildcard src/tool/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
BENCH_SRC = $(wildcard bench/bench_*.c)
TOOLS_SRC = $(wildcard tests/tools/*.c)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB = $(BUILD)/libsafeharbor.a
KIOSK = $(BUILD)/safeharbor-kiosk
TOOL = $(BUILD)/safeharbor
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BENCH_BINS = $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
TEST_TOOL_BINS = $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(TOOLS_SRC))

.SECONDARY:

.PHONY: FORCE all unit-bins bench-bins check unit e2e fuzz fuzz-build bench \
	install uninstall clean valgrind torture static deb

all: $(KIOSK) $(TOOL) $(TEST_TOOL_BINS)

# `make V=1` shows whole command lines.
Q = $(if $(V),,@)

# Objects depend on a stamp of the values compiled into them, so building
# again with another PREFIX (where the kiosk looks for screens) recompiles.
STAMP = $(BUILD)/.compiled-paths
STAMP_NOW = $(VERSION) $(DATADIR) $(SANITIZE)
$(STAMP): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(STAMP_NOW)" ] || echo "$(STAMP_NOW)" >$@

$(BUILD)/obj/%.o: %.c $(STAMP)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $(filter %.c,$^)

$(LIB): $(call obj,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(KIOSK): $(call obj,$(KIOSK_SRC)) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CURSES_LIBS) $(SECCOMP_LIBS)

$(TOOL): $(call obj,$(TOOL_SRC)) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CURSES_LIBS) $(UNISTRING_LIBS)

# Unit tests may use any library module; kiosk/tool internals they need are
# linked from their objects minus the file holding main().
KIOSK_NOMAIN = $(call obj,$(filter-out src/kiosk/main.c,$(KIOSK_SRC)))
TOOL_NOMAIN = $(call obj,$(filter-out src/tool/main.c,$(TOOL_SRC)))

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(KIOSK_NOMAIN) $(TOOL_NOMAIN) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< -Wl,--start-group $(KIOSK_NOMAIN) $(TOOL_NOMAIN) $(LIB) -Wl,--end-group \
		$(CRITERION_LIBS) $(LIBS) $(CURSES_LIBS) $(SECCOMP_LIBS) $(UNISTRING_LIBS)

$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Benchmarks may time the tool's own internals (queue_load), as tests do.
$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(TOOL_NOMAIN) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< -Wl,--start-group $(TOOL_NOMAIN) $(LIB) -Wl,--end-group \
		$(LIBS) $(CURSES_LIBS) $(UNISTRING_LIBS)

unit-bins: $(UNIT_BINS)
bench-bins: $(BENCH_BINS)

# The one command the README and CI use: every suite, then the unit suites
# again under ASan+UBSan, then the end-to-end tests and a short fuzz run.
check:
	$(MAKE) all unit-bins
	$(MAKE) BUILD=build-asan SANITIZE=1 all unit-bins
	tests/run-all.sh

unit: all unit-bins
	tests/run-unit.sh $(BUILD)

e2e: all
	tests/run-e2e.sh $(BUILD)

# libFuzzer harnesses, built with clang against the library sources.
FUZZ_BUILD = build-fuzz
FUZZ_CFLAGS = -std=c11 -g -O1 -D_GNU_SOURCE -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(shell $(PKG_CONFIG) --cflags $(PKGS))
FUZZ_BINS = $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRC))

$(FUZZ_BUILD)/%: tests/fuzz/%.c $(LIB_SRC) $(wildcard include/safeharbor/*.h src/tool/*.[ch])
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(LIBS) $(SECCOMP_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	tests/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: all bench-bins
	bench/run.sh $(BUILD)

valgrind: all
	tests/run-valgrind.sh $(BUILD)

torture: all unit-bins fuzz-build
	tests/torture/run.sh $(BUILD)

# Unit files and the sync script name installed paths: @BINDIR@,
# @SYSCONFDIR@ and @DATADIR@ are filled in here. An existing kiosk.conf is
# never overwritten (nor removed by uninstall).
SUBST = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@DATADIR@|$(DATADIR)|g'
DOCDIR ?= $(DATADIR)/doc/safeharbor

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/safeharbor/screens \
		$(DESTDIR)$(DATADIR)/safeharbor/sync $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(SYSCONFDIR)/safeharbor $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(USERUNITDIR) $(DESTDIR)$(DATADIR)/safeharbor/watch
	install -m 0755 $(KIOSK) $(TOOL) $(DESTDIR)$(BINDIR)/
	cp -R screens/. $(DESTDIR)$(DATADIR)/safeharbor/screens/
	find $(DESTDIR)$(DATADIR)/safeharbor/screens -type d -exec chmod 0755 {} +
	find $(DESTDIR)$(DATADIR)/safeharbor/screens -type f -exec chmod 0644 {} +
	for m in doc/*.1; do [ ! -e "$$m" ] || install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man1/ || exit 1; done
	for m in doc/*.5; do [ ! -e "$$m" ] || install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man5/ || exit 1; done
	for d in doc/*.md; do [ ! -e "$$d" ] || install -m 0644 "$$d" $(DESTDIR)$(DOCDIR)/ || exit 1; done
	for u in config/systemd/*; do [ ! -e "$$u" ] || { $(SUBST) "$$u" >$(DESTDIR)$(UNITDIR)/$${u##*/} && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$${u##*/}; } || exit 1; done
	for u in config/systemd-user/*; do { $(SUBST) "$$u" >$(DESTDIR)$(USERUNITDIR)/$${u##*/} && \
		chmod 0644 $(DESTDIR)$(USERUNITDIR)/$${u##*/}; } || exit 1; done
	install -m 0755 config/watch/notify-send.sh $(DESTDIR)$(DATADIR)/safeharbor/watch/
	for f in config/sync/*; do [ ! -e "$$f" ] || { m=0644; [ ! -x "$$f" ] || m=0755; \
		install -m $$m "$$f" $(DESTDIR)$(DATADIR)/safeharbor/sync/; } || exit 1; done
	[ -e $(DESTDIR)$(SYSCONFDIR)/safeharbor/kiosk.conf ] || \
		install -m 0644 config/kiosk.conf $(DESTDIR)$(SYSCONFDIR)/safeharbor/kiosk.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/safeharbor-kiosk $(DESTDIR)$(BINDIR)/safeharbor
	rm -rf $(DESTDIR)$(DATADIR)/safeharbor $(DESTDIR)$(DOCDIR)
	for m in doc/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m##*/}; done
	for m in doc/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${m##*/}; done
	for u in config/systemd/*; do rm -f $(DESTDIR)$(UNITDIR)/$${u##*/}; done
	for u in config/systemd-user/*; do rm -f $(DESTDIR)$(USERUNITDIR)/$${u##*/}; done

# Debian packages safeharbor-kiosk and safeharbor (debian/, debhelper) into
# $(BUILD)/deb/. dpkg-buildpackage runs in a copy of the tree under
# $(BUILD)/deb-src, kept between runs so a second `make deb` recompiles only
# what changed; the tree itself and its parent directory stay clean.
DEB_SRC = $(BUILD)/deb-src/safeharbor
DEB_JOBS ?= 2
deb:
	@command -v dh >/dev/null && command -v dpkg-buildpackage >/dev/null || \
		{ echo "make deb: needs debhelper and dpkg-dev (apt-get install debhelper dpkg-dev)" >&2; exit 2; }
	mkdir -p $(DEB_SRC) $(BUILD)/deb
	rsync -a --delete --exclude='/build*' --exclude=/demo --exclude=/.git ./ $(DEB_SRC)/
	rm -f $(BUILD)/deb-src/*.deb $(BUILD)/deb/*.deb
	cd $(DEB_SRC) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		dpkg-buildpackage -b -nc -uc -us --jobs=$(DEB_JOBS)
	mv $(BUILD)/deb-src/*.deb $(BUILD)/deb/
	@ls $(BUILD)/deb/*.deb

# Fully static binaries (static-pie) from Debian's .a libraries, for kiosks
# that should not depend on the installed shared libraries. See DEPLOY.md.
static:
	$(MAKE) BUILD=build-static PKG_CONFIG='$(PKG_CONFIG) --static' \
		HARDEN_LD='-static-pie -Wl,-z,relro,-z,now' \
		build-static/safeharbor-kiosk build-static/safeharbor

clean:
	rm -rf build build-asan build-fuzz build-static

# Dependency files only (not folders such as a package's tmpfiles.d), and
# none from the package build's own copy of the tree.
-include $(shell find $(BUILD) -path $(BUILD)/deb-src -prune -o -name '*.d' -type f -print 2>/dev/null)
