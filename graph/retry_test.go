package graph

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestRetry(t *testing.T) {
	dropped := &neo4j.ConnectivityError{Inner: errors.New("connection reset")}
	for _, tc := range []struct {
		name      string
		failures  int // attempts that fail before one succeeds
		err       error
		budget    time.Duration
		wantTries int
		wantErr   bool
	}{
		{"success at once", 0, dropped, time.Second, 1, false},
		{"a dropped connection, then success", 2, dropped, time.Second, 3, false},
		{"a syntax error is not retried", 5, &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}, time.Second, 1, true},
		{"a connection cut under the transaction", 1, io.EOF, time.Second, 2, false},
		{"a transient error is retried", 1, &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"}, time.Second, 2, false},
		// 25 + 50 + 100 ms fit in 200 ms; the next wait would not.
		{"the budget runs out", 100, dropped, 200 * time.Millisecond, 4, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tries := 0
			_, err := retry(context.Background(), tc.budget, func() (int, error) {
				tries++
				if tries <= tc.failures {
					return 0, tc.err
				}
				return 1, nil
			})
			if tries != tc.wantTries || (err != nil) != tc.wantErr {
				t.Errorf("%d tries, err %v; want %d tries, error %v", tries, err, tc.wantTries, tc.wantErr)
			}
		})
	}
}

// A cancelled request stops retrying at once.
func TestRetryStopsWithTheRequest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tries := 0
	_, err := retry(ctx, time.Minute, func() (int, error) {
		tries++
		cancel()
		return 0, &neo4j.ConnectivityError{Inner: errors.New("gone")}
	})
	if tries != 1 || err == nil {
		t.Errorf("%d tries, err %v; want 1 try and the error", tries, err)
	}
}
