# recjudge — two commands set everything up on a fresh machine:
#   make demo   installs what is missing, builds, and opens the workbench on the demo session
#   make test   installs what is missing, then runs every test
SWIFT    ?= swift
BIN      := .build/debug/recjudge
DEMO     := sessions/demo
APT_PKGS := libncursesw5-dev libsqlite3-dev libcurl4-openssl-dev tmux
SUDO     := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps build demo test bench clean

deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --product recjudge

demo: build
	@$(BIN) import $(DEMO) $(DEMO)/samples.jsonl
	@$(BIN) judge $(DEMO) --judge rules
	@exec $(BIN) label $(DEMO) --annotator "$${USER:-demo}"

test: deps
	LANG=C.UTF-8 $(SWIFT) test

bench: deps
	$(SWIFT) build -c release --product recjudge
	.build/release/recjudge bench import 1000000

clean:
	rm -rf .build $(DEMO)/store.sqlite $(DEMO)/store.sqlite-wal $(DEMO)/store.sqlite-shm
