package graph

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// Settings say how to reach a Neo4j server and how to use its connections.
type Settings struct {
	// URI is a bolt://, neo4j:// or neo4j+s:// address. With neo4j:// the
	// driver routes read transactions to followers of a cluster.
	URI      string
	Username string
	Password string
	// Database is the database to use; "" means the server's home database.
	Database string

	// MaxPoolSize bounds the open connections per server; 0 means 100.
	MaxPoolSize int
	// AcquireTimeout bounds the wait for a pooled connection; 0 means 5s.
	AcquireTimeout time.Duration
	// RetryTime is how long the driver retries a transaction that failed
	// transiently (a leader switch, a dropped connection); 0 means 500ms.
	RetryTime time.Duration
	// TxTimeout caps every transaction, whatever the caller's deadline;
	// 0 means no cap beyond that deadline.
	TxTimeout time.Duration
}

// Store reads and writes the knowledge graph in Neo4j. It is safe for
// concurrent use.
type Store struct {
	driver    neo4j.DriverWithContext
	database  string
	txTimeout time.Duration
	retryTime time.Duration
	poolSize  int
	// bookmarks chains every transaction of this process after the writes
	// it has seen, so that a read here always sees writes made here, even
	// on a follower of a cluster. It is nil at a bolt:// address, one
	// server that answers every read and write and sees each commit at
	// once: there a bookmark would only cost each read a check in Neo4j.
	bookmarks neo4j.BookmarkManager
	inUse     atomic.Int64
	// observers are read on every transaction and replaced whole when one
	// is added, so that reading them takes no lock.
	observers atomic.Pointer[[]Observer]
	// slots holds one token per transaction running, at most one per
	// pooled connection: a burst beyond the pool waits here, within its
	// deadline, instead of failing to get a connection.
	slots chan struct{}
	// answered is when Neo4j last answered a transaction, in Unix
	// nanoseconds: a busy database still answers.
	answered atomic.Int64
}

// Defaults of the settings' tuning.
const (
	DefaultMaxPoolSize    = 100
	DefaultAcquireTimeout = 5 * time.Second
	DefaultRetryTime      = 500 * time.Millisecond
)

// Open creates a store over the server the settings name. It does not wait for the
// server: call Ping or WaitReady for that.
func Open(settings Settings) (*Store, error) {
	auth := neo4j.NoAuth()
	if settings.Password != "" {
		auth = neo4j.BasicAuth(settings.Username, settings.Password, "")
	}
	s := &Store{
		database:  settings.Database,
		txTimeout: settings.TxTimeout,
		retryTime: orDefault(settings.RetryTime, DefaultRetryTime),
		poolSize:  orDefault(settings.MaxPoolSize, DefaultMaxPoolSize),
	}
	if routes(settings.URI) {
		s.bookmarks = neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{})
	}
	s.slots = make(chan struct{}, s.poolSize)
	driver, err := neo4j.NewDriverWithContext(settings.URI, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = s.poolSize
		// Fail fast when the server is gone, so that requests answer
		// DATABASE_UNAVAILABLE promptly instead of hanging.
		c.SocketConnectTimeout = 2 * time.Second
		c.ConnectionAcquisitionTimeout = orDefault(settings.AcquireTimeout, DefaultAcquireTimeout)
		// The store retries by itself (see retry); the smallest positive
		// time turns the driver's retries off.
		c.MaxTransactionRetryTime = time.Nanosecond
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %q: %w", settings.URI, err)
	}
	s.driver = driver
	return s, nil
}

// routes reports a routing address (neo4j://, neo4j+s://, neo4j+ssc://),
// whose reads the driver may send to another server than its writes.
func routes(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && strings.HasPrefix(u.Scheme, "neo4j")
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Observer hears of every transaction the store runs: metrics and the
// slow-query log are observers.
type Observer interface {
	Transaction(ctx context.Context, t Transaction)
}

// Transaction describes one finished transaction.
type Transaction struct {
	// Query is the Cypher of a one-query transaction, or what the work did.
	Query string
	Write bool
	// Database is the database it ran in; "" for the server's home one.
	Database string
	Took     time.Duration
	// Err is the error the caller got, with its Code; nil on success.
	Err error
}

// Observe makes the observers hear of every transaction from now on,
// beside those it has already.
func (s *Store) Observe(observers ...Observer) {
	for {
		old := s.observers.Load()
		var next []Observer
		if old != nil {
			next = append(next, *old...)
		}
		next = append(next, observers...)
		if s.observers.CompareAndSwap(old, &next) {
			return
		}
	}
}

// InUse returns how many transactions hold a connection now; PoolSize is
// how many connections the pool may open per server.
func (s *Store) InUse() int64 { return s.inUse.Load() }

// PoolSize returns the most connections the pool may open per server.
func (s *Store) PoolSize() int { return s.poolSize }

// Close releases the store's connections.
func (s *Store) Close(ctx context.Context) error {
	return s.driver.Close(ctx)
}

// Ping checks that the server answers a query in the store's database. It
// takes no slot: a probe must not queue behind the requests.
func (s *Store) Ping(ctx context.Context) error {
	_, err := retry(ctx, s.retryTime, func() (struct{}, error) {
		return attempt(ctx, s, neo4j.AccessModeRead, func(session neo4j.SessionWithContext) (struct{}, error) {
			result, err := session.Run(ctx, "RETURN 1", nil, s.timeout(ctx)...)
			if err == nil {
				_, err = result.Consume(ctx)
			}
			return struct{}{}, err
		})
	})
	if err == nil {
		s.answered.Store(time.Now().UnixNano())
	}
	return translate(ctx, err)
}

// Answering reports whether Neo4j answers: a ping answers, or times out
// while Neo4j answered a transaction within the last while. A database busy
// with long queries, its connections all taken, still answers the others,
// so the replica stays ready; a database that is gone refuses the ping's
// connection at once.
func (s *Store) Answering(ctx context.Context, within time.Duration) error {
	err := s.Ping(ctx)
	if err != nil && ErrorCode(err) == CodeTimeout && time.Since(time.Unix(0, s.answered.Load())) < within {
		return nil
	}
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

// read runs one query in a read session, which a cluster routes to a
// follower, and returns its records. The query is its own transaction: an
// explicit one would cost a second round trip for its COMMIT, and the store
// retries a failed read itself.
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return transact(ctx, s, neo4j.AccessModeRead, cypher, func(session neo4j.SessionWithContext) ([]*neo4j.Record, error) {
		result, err := session.Run(ctx, cypher, params, s.timeout(ctx)...)
		if err != nil {
			return nil, err
		}
		return recordsOf(ctx, result)
	})
}

// write runs one query in a write transaction.
func (s *Store) write(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return writeTx(ctx, s, cypher, collect(ctx, cypher, params))
}

// writeTx runs work, described by what, in one write transaction, retried
// on transient failures, so work must be idempotent.
func writeTx[T any](ctx context.Context, s *Store, what string, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	return transact(ctx, s, neo4j.AccessModeWrite, what, func(session neo4j.SessionWithContext) (T, error) {
		out, err := neo4j.ExecuteWrite(ctx, session, work, s.timeout(ctx)...)
		if err == nil {
			bookmarksOf(ctx).wrote(session.LastBookmarks())
		}
		return out, err
	})
}

// transact runs work in a session of the mode, opened after the bookmarks
// the request carries; it retries transient failures, translates the
// driver's errors and tells the observers.
func transact[T any](ctx context.Context, s *Store, mode neo4j.AccessMode, what string, work func(neo4j.SessionWithContext) (T, error)) (T, error) {
	started := time.Now()
	var out T
	release, err := s.takeSlots(ctx)
	if err != nil {
		return out, err
	}
	defer release()
	s.inUse.Add(1)
	defer s.inUse.Add(-1)
	out, err = retry(ctx, s.retryTime, func() (T, error) { return attempt(ctx, s, mode, work) })
	if answered(err) {
		s.answered.Store(time.Now().UnixNano())
	}
	err = translate(ctx, err)
	if observers := s.observers.Load(); observers != nil {
		t := Transaction{Query: what, Write: mode == neo4j.AccessModeWrite, Database: s.database, Took: time.Since(started), Err: err}
		for _, o := range *observers {
			o.Transaction(ctx, t)
		}
	}
	return out, err
}

type slotsKey struct{}

// WithSlots makes the transactions under ctx take a token of slots as well
// as the store's own, so that one client, however many requests or aliases
// it sends, runs at most cap(slots) transactions at once.
func WithSlots(ctx context.Context, slots chan struct{}) context.Context {
	return context.WithValue(ctx, slotsKey{}, slots)
}

// takeSlots waits for the caller's slot, then the store's, within ctx's
// deadline, and returns what gives them back.
func (s *Store) takeSlots(ctx context.Context) (release func(), err error) {
	own, _ := ctx.Value(slotsKey{}).(chan struct{})
	if own != nil {
		if err := take(ctx, own); err != nil {
			return nil, err
		}
	}
	if err := take(ctx, s.slots); err != nil {
		if own != nil {
			<-own
		}
		return nil, err
	}
	return func() {
		<-s.slots
		if own != nil {
			<-own
		}
	}, nil
}

func take(ctx context.Context, slots chan struct{}) error {
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &Error{Code: CodeTimeout, Message: "the request ran out of time waiting for the database, busy with earlier work", Err: ctx.Err()}
	}
}

// firstRetryDelay starts the backoff between attempts. The driver's own
// retries are off: they wait two seconds before the first, and with them a
// request to a stopped database could not fail fast.
const firstRetryDelay = 25 * time.Millisecond

// retry runs try again after a transient failure (a dropped connection, a
// leader switch, a server starting), with a doubling delay, while the
// store's retry time lasts.
func retry[T any](ctx context.Context, budget time.Duration, try func() (T, error)) (T, error) {
	giveUp := time.Now().Add(budget)
	for delay := firstRetryDelay; ; delay *= 2 {
		out, err := try()
		if err == nil || !retryable(err) || time.Now().Add(delay).After(giveUp) {
			return out, err
		}
		select {
		case <-ctx.Done():
			return out, err
		case <-time.After(delay):
		}
	}
}

// retryable reports a failure that another attempt may not meet.
func retryable(err error) bool {
	last := lastAttempt(err)
	return neo4j.IsRetryable(last) || connectionLost(last)
}

// attempt runs work once, in a session of its own.
func attempt[T any](ctx context.Context, s *Store, mode neo4j.AccessMode, work func(neo4j.SessionWithContext) (T, error)) (T, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      mode,
		DatabaseName:    s.database,
		BookmarkManager: s.bookmarks,
		Bookmarks:       bookmarksOf(ctx).after(),
	})
	defer session.Close(ctx)
	return work(session)
}

// collect is the work of running one query and reading all its records.
func collect(ctx context.Context, cypher string, params map[string]any) neo4j.ManagedTransactionWorkT[[]*neo4j.Record] {
	return func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		result, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		return recordsOf(ctx, result)
	}
}

// single runs a query in tx and reads its one record.
func single(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (*neo4j.Record, error) {
	result, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return result.Single(ctx)
}

// recordsOf reads all of a result's records. Not Collect, which makes room
// for a thousand: most queries, a compiled read's among them, return one.
func recordsOf(ctx context.Context, result neo4j.ResultWithContext) ([]*neo4j.Record, error) {
	var out []*neo4j.Record
	for result.Next(ctx) {
		out = append(out, result.Record())
	}
	return out, result.Err()
}

// readAll runs a read and decodes each record's values, leaving out those
// decode refuses.
func readAll[T any](ctx context.Context, s *Store, cypher string, params map[string]any, decode func(v []any) (T, bool)) ([]T, error) {
	records, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(records))
	for _, r := range records {
		if t, ok := decode(r.Values); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// timeout passes the request's deadline on to Neo4j, so that the server
// stops a query the client no longer waits for instead of running it to the
// end; the store's cap, when set, bounds it.
func (s *Store) timeout(ctx context.Context) []func(*neo4j.TransactionConfig) {
	limit := s.txTimeout
	if deadline, ok := ctx.Deadline(); ok && (limit == 0 || time.Until(deadline) < limit) {
		limit = time.Until(deadline)
	}
	if limit == 0 {
		return nil
	}
	// Neo4j reads a zero timeout as "none": keep at least a millisecond.
	return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(max(limit, time.Millisecond))}
}
