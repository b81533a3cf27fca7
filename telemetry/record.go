// Package telemetry watches the API at work: a record of each request for
// its log line, Prometheus metrics, and the slow-query log.
package telemetry

import (
	"context"
	"sync"
	"sync/atomic"
)

// Record is what one request did, filled in as it runs and read when it
// ends: its id, its GraphQL operation, the code of its first error and the
// Neo4j transactions it cost.
type Record struct {
	ID      string
	queries atomic.Int64

	mu        sync.Mutex
	operation string
	code      string
	// fault is the first of the request's errors that are the server's
	// (internal, or the database's), and faults how many there were: one
	// log line tells of them all, however many aliases failed alike.
	fault  error
	faults int
}

type recordKey struct{}

// WithRecord returns a context that carries a new record for the request id.
func WithRecord(ctx context.Context, id string) (context.Context, *Record) {
	r := &Record{ID: id}
	return context.WithValue(ctx, recordKey{}, r), r
}

// RecordOf returns the request's record, or nil outside a request.
func RecordOf(ctx context.Context) *Record {
	r, _ := ctx.Value(recordKey{}).(*Record)
	return r
}

// SetOperation names the request's GraphQL operation, once.
func (r *Record) SetOperation(name string) {
	if r == nil || name == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.operation == "" {
		r.operation = name
	}
}

// Fail notes an error code; the first one stays.
func (r *Record) Fail(code string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.code == "" {
		r.code = code
	}
}

// Fault notes an error that is the server's, not the client's.
func (r *Record) Fault(err error) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fault == nil {
		r.fault = err
	}
	r.faults++
}

// Faults returns how many of the request's errors were the server's, and
// the first of them.
func (r *Record) Faults() (n int, first error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.faults, r.fault
}

// Operation returns the operation's name, "" when unknown.
func (r *Record) Operation() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.operation
}

// Code returns the first error code, "" when the request succeeded.
func (r *Record) Code() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.code
}

// Queries returns how many Neo4j transactions the request ran.
func (r *Record) Queries() int64 { return r.queries.Load() }
