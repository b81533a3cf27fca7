# psmgraph: `make run` serves the API on the embedded Neo4j; `make test` runs
# every test against a throwaway Neo4j. Prerequisites: Go, Java 17, Maven.

GO ?= go
BIN := bin/psmgraph

.PHONY: run build test vet unit e2e-deps chromium check-generated generate vendor-playground lint bench clean

## run: build, start the embedded Neo4j (or use NEO4J_URI) and serve on :8080
run: build
	./$(BIN) serve -playground=true -introspection=true

## build: the psmgraph binary
build:
	$(GO) build -o $(BIN) ./cmd/psmgraph

## test: vet, check the generated code, and run every test against a real
## Neo4j: NEO4J_URI if set, else a throwaway embedded one, always stopped
test: vet check-generated unit

vet:
	$(GO) vet ./...

# Packages share one database, so they run one at a time (-p 1).
unit: e2e-deps
	$(GO) run ./internal/cmd/withneo4j $(GO) test -p 1 -count=1 ./...

## e2e-deps: what the explorer's browser tests drive: Chromium (Debian's,
## installed with apt-get when missing, unless CHROMIUM names one) and the
## npm packages of explorer/e2e, pinned by its lock file
E2E_STAMP := explorer/e2e/node_modules/.package-lock.sha256
e2e-deps: chromium $(E2E_STAMP)

$(E2E_STAMP): explorer/e2e/package-lock.json
	cd explorer/e2e && npm ci --no-audit --no-fund
	sha256sum explorer/e2e/package-lock.json | cut -d' ' -f1 | tr -d '\n' > $@

chromium:
	@if [ -z "$$CHROMIUM" ] && [ ! -x /usr/bin/chromium ]; then \
		echo "installing Debian's chromium for the explorer's browser tests"; \
		apt="apt-get"; [ "$$(id -u)" = 0 ] || apt="sudo -n apt-get"; \
		DEBIAN_FRONTEND=noninteractive $$apt update -qq && \
		DEBIAN_FRONTEND=noninteractive $$apt install -y -qq chromium; \
	fi

## check-generated: fail when gqlgen's output differs from the code in
## resolvers/; it generates into a copy of the tree, leaving this one as it is
check-generated:
	@copy=$$(mktemp -d); trap 'rm -rf "$$copy"' EXIT; \
	git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C "$$copy" && \
	(cd "$$copy" && $(GO) tool gqlgen generate) && \
	if ! diff -r resolvers "$$copy/resolvers" >/dev/null; then \
		echo "resolvers/ is out of date with schema/: run make generate and commit it" >&2; exit 1; \
	fi

## generate: regenerate resolvers/ from schema/*.graphqls
generate:
	$(GO) tool gqlgen generate

## vendor-playground: copy GraphiQL's release files, pinned by
## playground/package-lock.json, into playground/web/vendor, with their
## licences; the copies are committed, so that building needs no npm
VENDOR := playground/web/vendor
vendor-playground:
	cd playground && npm ci --no-audit --no-fund --ignore-scripts
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp playground/node_modules/react/umd/react.production.min.js \
	   playground/node_modules/react-dom/umd/react-dom.production.min.js \
	   playground/node_modules/graphiql/graphiql.min.js \
	   playground/node_modules/graphiql/graphiql.min.css $(VENDOR)/
	cp playground/node_modules/@graphiql/plugin-explorer/dist/index.umd.js $(VENDOR)/plugin-explorer.umd.js
	cp playground/node_modules/@graphiql/plugin-explorer/dist/style.css $(VENDOR)/plugin-explorer.css
	for p in react react-dom graphiql @graphiql/plugin-explorer; do \
		dir=playground/node_modules/$$p; \
		printf '%s %s, licence %s\n' "$$p" "$$(node -p "require('./$$dir/package.json').version")" \
			"$$(node -p "require('./$$dir/package.json').license")"; \
		if [ -f $$dir/LICENSE ]; then cat $$dir/LICENSE; else cat playground/node_modules/graphiql/LICENSE; fi; \
		echo; \
	done > $(VENDOR)/LICENSES.txt

## lint: the Go linters in .golangci.yml, pinned in tools/lint/go.mod, and
## ESLint over the explorer, the playground's script and the browser tests,
## pinned by tools/jslint/package-lock.json
JSLINT_STAMP := tools/jslint/node_modules/.package-lock.sha256
lint: $(JSLINT_STAMP)
	$(GO) tool -modfile=tools/lint/go.mod golangci-lint run ./...
	tools/jslint/node_modules/.bin/eslint -c tools/jslint/eslint.config.js \
		explorer/web/js playground/web/playground.js explorer/e2e/explorer.mjs explorer/e2e/http-audit.mjs

$(JSLINT_STAMP): tools/jslint/package-lock.json
	cd tools/jslint && npm ci --no-audit --no-fund
	sha256sum tools/jslint/package-lock.json | cut -d' ' -f1 | tr -d '\n' > $@

## bench: psmgraph against the Neo4j GraphQL Library (installed from npm by
## the command) and hand-written Cypher, on generated graphs of each size in
## SCALES (nodes; "shipped" is the shipped set's size), then psmgraph seed
## against LOAD CSV; prints tables and writes them to bench/results/. The
## largest size takes long to seed: make bench SCALES=shipped,100000,1000000
SCALES ?= shipped,100000
bench: build
	$(GO) run ./bench/compare -scale $(SCALES) -out bench/results/compare.md
	$(GO) run ./bench/seedload -rels 1000000 -rounds 2

clean:
	rm -rf bin embedded/launcher/target
