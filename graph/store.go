package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// Conn says how to reach a Neo4j server.
type Conn struct {
	// URI is a bolt://, neo4j:// or neo4j+s:// address.
	URI      string
	Username string
	Password string
	// Database is the database to use; "" means the server's home database.
	Database string
}

// Store reads and writes the knowledge graph in Neo4j. It is safe for
// concurrent use.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
}

// Open creates a store over the server conn names. It does not wait for the
// server: call Ping or WaitReady for that.
func Open(conn Conn) (*Store, error) {
	auth := neo4j.NoAuth()
	if conn.Password != "" {
		auth = neo4j.BasicAuth(conn.Username, conn.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(conn.URI, auth, func(c *config.Config) {
		// Fail fast when the server is gone, so that requests answer
		// DATABASE_UNAVAILABLE promptly instead of hanging.
		c.SocketConnectTimeout = 2 * time.Second
		c.ConnectionAcquisitionTimeout = 5 * time.Second
		// The driver retries a failed transaction (a leader switch, a
		// dropped connection) for this long; past it the client hears
		// DATABASE_UNAVAILABLE rather than waiting.
		c.MaxTransactionRetryTime = time.Second
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %q: %w", conn.URI, err)
	}
	return &Store{driver: driver, database: conn.Database}, nil
}

// Close releases the store's connections.
func (s *Store) Close(ctx context.Context) error {
	return s.driver.Close(ctx)
}

// Ping checks that the server answers a query in the store's database.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.read(ctx, "RETURN 1", nil)
	return err
}

// WaitReady pings until the server answers or ctx ends, and returns the last
// error in that case.
func (s *Store) WaitReady(ctx context.Context) error {
	for delay := 100 * time.Millisecond; ; delay = min(2*delay, 2*time.Second) {
		err := s.Ping(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
	}
}

// read runs one query in a read transaction, which a cluster routes to a
// follower, and returns its records.
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return transact(ctx, s, neo4j.AccessModeRead, collect(ctx, cypher, params))
}

// write runs one query in a write transaction.
func (s *Store) write(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return writeTx(ctx, s, collect(ctx, cypher, params))
}

// writeTx runs work in one write transaction, retried by the driver on
// transient failures, so work must be idempotent.
func writeTx[T any](ctx context.Context, s *Store, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	return transact(ctx, s, neo4j.AccessModeWrite, work)
}

// transact runs work in one managed transaction of the mode, with the
// request's deadline, and translates the driver's errors.
func transact[T any](ctx context.Context, s *Store, mode neo4j.AccessMode, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: mode, DatabaseName: s.database})
	defer session.Close(ctx)
	var out T
	var err error
	if mode == neo4j.AccessModeRead {
		out, err = neo4j.ExecuteRead(ctx, session, work, txTimeout(ctx)...)
	} else {
		out, err = neo4j.ExecuteWrite(ctx, session, work, txTimeout(ctx)...)
	}
	return out, translate(ctx, err)
}

// collect is the work of running one query and reading all its records.
func collect(ctx context.Context, cypher string, params map[string]any) neo4j.ManagedTransactionWorkT[[]*neo4j.Record] {
	return func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		result, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		return result.Collect(ctx)
	}
}

// txTimeout passes the request's deadline on to Neo4j, so that the server
// stops a query the client no longer waits for instead of running it to the end.
func txTimeout(ctx context.Context) []func(*neo4j.TransactionConfig) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	// Neo4j reads a zero timeout as "none": keep at least a millisecond.
	return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(max(time.Until(deadline), time.Millisecond))}
}
