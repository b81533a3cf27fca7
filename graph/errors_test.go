package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestTranslate(t *testing.T) {
	expired, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	connectivity := &neo4j.ConnectivityError{Inner: errors.New("connection refused")}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want Code
	}{
		{"request deadline passed", expired, connectivity, CodeTimeout},
		{"server timed the transaction out", context.Background(),
			&neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"}, CodeTimeout},
		{"connection lost", context.Background(), connectivity, CodeUnavailable},
		{"retries exhausted on a lost connection", context.Background(),
			&neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{connectivity, connectivity}}, CodeUnavailable},
		{"leader switch", context.Background(), &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"}, CodeUnavailable},
		{"wrong password", context.Background(), &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized"}, CodeUnavailable},
		{"bad cypher", context.Background(), &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}, CodeInternal},
		{"already coded", context.Background(), fmt.Errorf("wrapped: %w", Errorf(CodeNotFound, "x")), CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := translate(tc.ctx, tc.err)
			if got := ErrorCode(err); got != tc.want {
				t.Errorf("code %s, want %s", got, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("the driver's error is lost from the chain: %v", err)
			}
		})
	}
	if translate(context.Background(), nil) != nil {
		t.Error("translate(nil) must be nil")
	}
}

// Neo4j's memory pool error is named for what it is: a transaction that
// asked for more memory than Neo4j allows, not a database that is down.
func TestTranslateNamesTheMemoryPoolError(t *testing.T) {
	oom := &neo4j.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
		Msg: "The allocation of an extra 2.0 MiB would use more than the limit 700.0 MiB."}
	for _, err := range []error{oom, &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{oom, oom}}} {
		var e *Error
		if !errors.As(translate(context.Background(), err), &e) || e.Code == CodeUnavailable ||
			!strings.HasPrefix(e.Message, "Neo4j ran out of transaction memory") {
			t.Errorf("%v translated to %v", err, e)
		}
	}
}
