package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// client is the HTTP client of every GraphQL request: keep-alive
// connections enough for the highest concurrency.
var client = &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

// postGraphQL sends a query and returns the response's body; a response
// with errors is an error, since a fast error measures nothing.
func postGraphQL(ctx context.Context, url, query string) ([]byte, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("content-type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(data, []byte(`"errors"`)) {
		return nil, fmt.Errorf("%s answered %d: %.400s", url, resp.StatusCode, data)
	}
	return data, nil
}

// readCypher runs the floor's query in a read session and returns its
// records. Like psmgraph, it runs the query as its own transaction, in one
// round trip, not in an explicit one that needs a second for its COMMIT.
func readCypher(ctx context.Context, driver neo4j.DriverWithContext, cypher string) ([]*neo4j.Record, error) {
	session := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	result, err := session.Run(ctx, cypher, nil)
	if err != nil {
		return nil, err
	}
	records, err := result.Collect(ctx)
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("the floor's query found nothing: %.80s", cypher)
	}
	return records, nil
}

// result is the latencies of one side's measurement and how long it ran.
type result struct {
	latencies []time.Duration
	elapsed   time.Duration
}

func (r *result) add(o result) {
	r.latencies = append(r.latencies, o.latencies...)
	r.elapsed += o.elapsed
}

func (r result) rate() float64 {
	if r.elapsed == 0 {
		return 0
	}
	return float64(len(r.latencies)) / r.elapsed.Seconds()
}

func (r result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	return s[min(int(q*float64(len(s))), len(s)-1)]
}

// measure runs do from clients goroutines for the duration; the first
// failure ends the measurement with that error.
func measure(ctx context.Context, do func(context.Context) error, clients int, d time.Duration) (result, error) {
	var mu sync.Mutex
	var all []time.Duration
	var failed error
	deadline := time.Now().Add(d)
	started := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := do(ctx); err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return result{latencies: all, elapsed: time.Since(started)}, failed
}
