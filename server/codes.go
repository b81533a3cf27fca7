package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/telemetry"
)

// ensureCodes amends the answers that gqlgen's transports write
// themselves, past the error presenter, when a request fails before it
// executes: an unsupported content type, a malformed upload, a document
// that does not parse or validate, variables that do not coerce. Such
// answers are a client's mistake (4xx). As the GraphQL-over-HTTP
// specification asks, they carry no data entry; an error without a code
// gets BAD_USER_INPUT; a request without a query is answered 400; and a
// client that accepts only application/json, which predates the
// specification's statuses, gets 200 for a document or variables that
// fail. Answers below 400 pass untouched.
func ensureCodes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &codingWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		if cw.held == nil {
			return
		}
		body, status := cw.held.Bytes(), cw.status
		if answer, ok := requestError(body); ok {
			if answer.coded {
				telemetry.RecordOf(r.Context()).Fail(string(graph.CodeBadInput))
			}
			switch {
			case answer.noQuery:
				status = http.StatusBadRequest
			case status == http.StatusUnprocessableEntity && w.Header().Get("Content-Type") == "application/json":
				status = http.StatusOK
			}
			body = answer.body
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// codingWriter holds back an error answer's body so that ensureCodes can
// amend it.
type codingWriter struct {
	http.ResponseWriter
	status int
	held   *bytes.Buffer
	passed bool
}

func (c *codingWriter) WriteHeader(status int) {
	if c.held != nil || c.passed {
		return
	}
	if status >= 400 && status < 500 {
		c.status, c.held = status, &bytes.Buffer{}
		return
	}
	c.passed = true
	c.ResponseWriter.WriteHeader(status)
}

func (c *codingWriter) Write(p []byte) (int, error) {
	if c.held == nil && !c.passed {
		c.WriteHeader(http.StatusOK)
	}
	if c.held != nil {
		return c.held.Write(p)
	}
	return c.ResponseWriter.Write(p)
}

func (c *codingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// Flush passes a stream's events on as they come; a held error waits.
func (c *codingWriter) Flush() {
	if c.held == nil {
		_ = http.NewResponseController(c.ResponseWriter).Flush()
	}
}

// failedRequest is a request error's answer, amended.
type failedRequest struct {
	body []byte
	// coded is true when an error lacked a code; noQuery when the request
	// held no query.
	coded, noQuery bool
}

// requestError amends the answer to a request that failed before it
// executed: without its data entry, and with BAD_USER_INPUT on every error
// that has no code. ok is false for a body that is not such an answer.
func requestError(body []byte) (failedRequest, bool) {
	var answer map[string]any
	if json.Unmarshal(body, &answer) != nil {
		return failedRequest{}, false
	}
	errs, _ := answer["errors"].([]any)
	if len(errs) == 0 {
		return failedRequest{}, false
	}
	var out failedRequest
	for _, e := range errs {
		e, ok := e.(map[string]any)
		if !ok {
			continue
		}
		// gqlgen's words for a request with no query in it.
		out.noQuery = out.noQuery || e["message"] == "no operation provided"
		ext, _ := e["extensions"].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			e["extensions"] = ext
		}
		if _, has := ext["code"]; !has {
			ext["code"] = string(graph.CodeBadInput)
			out.coded = true
		}
	}
	delete(answer, "data")
	var err error
	out.body, err = json.Marshal(answer)
	return out, err == nil
}
