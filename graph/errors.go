package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Code classifies an error for clients. The values are the machine-readable
// codes the API puts in a GraphQL error's extensions.code.
type Code string

// The error codes.
const (
	CodeBadInput        Code = "BAD_USER_INPUT"
	CodeNotFound        Code = "NOT_FOUND"
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeUnavailable     Code = "DATABASE_UNAVAILABLE"
	CodeTimeout         Code = "TIMEOUT"
	CodeInternal        Code = "INTERNAL"
)

// Error is an error with a code. Its Message is safe to show to a client;
// the wrapped Err is for logs only.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message
	}
	return e.Message + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the code and a client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of an Error in its chain, else
// INTERNAL.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// translate turns a driver or context error into an Error, so that callers
// above the store see codes, never driver types. ctx is the request's: when
// it has ended, that is the cause, whatever the driver made of it.
func translate(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	last := lastAttempt(err)
	code := neo4jCode(last)
	switch {
	// Neo4j terminated the transaction for running past its timeout.
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		strings.HasPrefix(code, "Neo.ClientError.Transaction.TransactionTimedOut"):
		return &Error{Code: CodeTimeout, Message: "the query took longer than its time limit", Err: err}
	case ctx.Err() != nil:
		return &Error{Code: CodeTimeout, Message: "the request was cancelled", Err: err}
	// Another writer created the same id first.
	case code == "Neo.ClientError.Schema.ConstraintValidationFailed":
		return &Error{Code: CodeBadInput, Message: "the change conflicts with an existing entity", Err: err}
	// The client made the bookmark up or took it from another database.
	case strings.HasPrefix(code, "Neo.ClientError.Transaction.InvalidBookmark"):
		return &Error{Code: CodeBadInput, Message: "the bookmark is not one this database issued", Err: err}
	// Neo4j's memory pool for transactions (70% of the heap by default) was
	// full. Neo4j calls it transient, but it says nothing of the database's
	// availability.
	case code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError":
		return &Error{Code: CodeInternal, Message: "Neo4j ran out of transaction memory: the transaction needs more than Neo4j allows transactions", Err: err}
	case neo4j.IsConnectivityError(last), isUnavailable(last), connectionLost(last):
		return &Error{Code: CodeUnavailable, Message: "the database is unavailable", Err: err}
	default:
		return &Error{Code: CodeInternal, Message: "internal error", Err: err}
	}
}

// lastAttempt returns the error of the last attempt when the driver gave up
// retrying a transaction; its retry error does not unwrap.
func lastAttempt(err error) error {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return limit.Errors[len(limit.Errors)-1]
	}
	return err
}

// neo4jCode is the code of the Neo4j error in err's chain; "" for none.
func neo4jCode(err error) string {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		return ne.Code
	}
	return ""
}

// answered reports a transaction that Neo4j answered, if only with an error
// of the query's own, such as a timeout.
func answered(err error) bool {
	var ne *neo4j.Neo4jError
	return err == nil || errors.As(lastAttempt(err), &ne) && ne.Classification() == "ClientError" && !ne.IsAuthenticationFailed()
}

// isUnavailable reports a server that answers but cannot serve us: starting,
// stopping, between leaders, or refusing our credentials.
func isUnavailable(err error) bool {
	var ne *neo4j.Neo4jError
	if !errors.As(err, &ne) {
		return false
	}
	return ne.Classification() == "TransientError" ||
		ne.IsAuthenticationFailed() ||
		strings.HasPrefix(ne.Code, "Neo.ClientError.Cluster.")
}

// connectionLost reports a connection that broke under a transaction: the
// driver passes on the socket's own error (EOF, a reset) when it sees it
// before it has marked the connection dead.
func connectionLost(err error) bool {
	var opErr *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.As(err, &opErr)
}

// ErrorClass names the kind of database failure behind err, for metrics:
// Neo4j's own classification (ClientError, TransientError, DatabaseError),
// ConnectivityError, Timeout, or "" when the database did not fail (the
// store refused the request itself).
func ErrorClass(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Err == nil {
		return ""
	}
	last := lastAttempt(err)
	var ne *neo4j.Neo4jError
	switch {
	case errors.As(last, &ne):
		return ne.Classification()
	case neo4j.IsConnectivityError(last), connectionLost(last):
		return "ConnectivityError"
	case errors.Is(last, context.DeadlineExceeded), errors.Is(last, context.Canceled):
		return "Timeout"
	default:
		return "Other"
	}
}
