package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/telemetry"
)

// ensureCodes gives a code to the errors that gqlgen's transports write
// themselves, past the error presenter: an unsupported content type, a
// malformed multipart upload. Such answers are a client's mistake (4xx),
// so they get BAD_USER_INPUT; answers below 400 pass untouched.
func ensureCodes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &codingWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		if cw.held == nil {
			return
		}
		body := cw.held.Bytes()
		if coded, ok := withCodes(body); ok {
			body = coded
			telemetry.RecordOf(r.Context()).Fail(string(graph.CodeBadInput))
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(cw.status)
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

// withCodes adds BAD_USER_INPUT to every error of a GraphQL answer that has
// no code; ok is false when there was nothing to add.
func withCodes(body []byte) ([]byte, bool) {
	var answer map[string]any
	if json.Unmarshal(body, &answer) != nil {
		return nil, false
	}
	errs, _ := answer["errors"].([]any)
	added := false
	for _, e := range errs {
		e, ok := e.(map[string]any)
		if !ok {
			continue
		}
		ext, _ := e["extensions"].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			e["extensions"] = ext
		}
		if _, has := ext["code"]; !has {
			ext["code"] = string(graph.CodeBadInput)
			added = true
		}
	}
	if !added {
		return nil, false
	}
	out, err := json.Marshal(answer)
	return out, err == nil
}
