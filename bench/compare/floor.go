package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/bench/internal/process"
)

// The HTTP floor is the floor's hand-written Cypher served over HTTP by a
// minimal Go handler that writes each result as JSON, in a process of its
// own: it pays the HTTP, the JSON and the process boundary that psmgraph
// pays, and nothing of GraphQL. It serves only the queries of the file it
// is given, each by its operation's name.

// serveFloorArg, as the first argument, makes this command the HTTP floor.
const serveFloorArg = "serve-http-floor"

// startHTTPFloor starts this command as the HTTP floor of the operations.
func startHTTPFloor(ctx context.Context, root, uri string, ops []operation, log io.Writer) (*process.Server, error) {
	queries := map[string]string{}
	for _, op := range ops {
		queries[op.name] = op.floor
	}
	file := filepath.Join(root, "floor-queries.json")
	data, _ := json.Marshal(queries)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, serveFloorArg) //nolint:gosec // this very command
	return process.Start(ctx, "http floor", cmd, []string{"NEO4J_URI=" + uri, "FLOOR_QUERIES=" + file}, "/readyz", log)
}

// floorURL is where the HTTP floor answers the operation.
func floorURL(s *process.Server, op string) string { return s.Base + "/q/" + op }

// serveHTTPFloor runs the HTTP floor until it is signalled.
func serveHTTPFloor() error {
	data, err := os.ReadFile(os.Getenv("FLOOR_QUERIES"))
	if err != nil {
		return err
	}
	var queries map[string]string
	if err := json.Unmarshal(data, &queries); err != nil {
		return err
	}
	driver, err := neo4j.NewDriverWithContext(os.Getenv("NEO4J_URI"), neo4j.NoAuth())
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() { _ = driver.Close(context.Background()) }()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := driver.VerifyConnectivity(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
	})
	mux.HandleFunc("POST /q/{name}", func(w http.ResponseWriter, r *http.Request) {
		cypher, ok := queries[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		records, err := readCypher(r.Context(), driver, cypher)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		rows := make([]map[string]any, len(records))
		for i, rec := range records {
			rows[i] = rec.AsMap()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"rows": rows})
	})
	srv := &http.Server{Addr: net.JoinHostPort("127.0.0.1", os.Getenv("PORT")), Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http floor: %w", err)
	}
	return nil
}

// postFloor asks the HTTP floor for an operation's rows.
func postFloor(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d", url, resp.StatusCode)
	}
	return nil
}
