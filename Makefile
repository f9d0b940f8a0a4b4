# Sanshen: `make run` starts the demo, `make test` runs every check.
# Both install what is missing first (see scripts/setup.sh).

GO        ?= go
TAGS      := migrated_fynedo
BIN       := bin
# Fyne logs locale errors under LANG=C; tests and the demo want a UTF-8 locale.
ifeq ($(filter %UTF-8 %utf8,$(LANG)),)
export LANG := en_US.UTF-8
endif
export CGO_ENABLED := 1

.PHONY: run test setup setup-build build vet unit gui-smoke bench clean

run: setup-build build
	./$(BIN)/sanshen --demo

# What building needs; setup adds what the GUI smoke test needs (Xvfb, xdotool, ImageMagick).
setup-build:
	@./scripts/setup.sh

setup:
	@./scripts/setup.sh --all

build:
	$(GO) build -tags $(TAGS) -o $(BIN)/ ./cmd/...

vet:
	$(GO) vet -tags $(TAGS) ./...

unit:
	$(GO) test -tags $(TAGS) -race -timeout 30m ./...

test: setup vet unit gui-smoke

# The GUI smoke test needs Xvfb; without it, it says so and passes over.
gui-smoke: build
	@if command -v Xvfb >/dev/null 2>&1 && [ -x scripts/gui-smoke.sh ]; then \
		./scripts/gui-smoke.sh; \
	else \
		echo "gui-smoke: skipped (no Xvfb or no smoke script)"; \
	fi

bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN) build
