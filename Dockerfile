# psmgraph's API in a small image of its own. It needs a Neo4j to talk to:
# set NEO4J_URI (and NEO4J_PASSWORD); the embedded Neo4j is for development
# machines and is not in the image. See README.md, "Deploying".

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/psmgraph ./cmd/psmgraph

# A static binary needs no shell, libc or package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/psmgraph /usr/local/bin/psmgraph
USER nonroot:nonroot
ENV PORT=8080 \
    LOG_FORMAT=json \
    PSMGRAPH_SHUTDOWN_DELAY=5s
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/psmgraph", "serve"]
