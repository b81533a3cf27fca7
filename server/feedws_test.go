package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
)

// The feed over a WebSocket (graphql-transport-ws): a change through one
// replica reaches a subscriber of another; a page of an origin the CORS
// list does not name may not open one.
func TestSubscribersOverWebSocket(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	authn, err := auth.New(auth.Config{APIKeys: []string{"ana:curator:" + auth.HashKey(curatorKey)}})
	if err != nil {
		t.Fatal(err)
	}
	a := serveOver(t, store, server.Options{Auth: authn})
	b := serveOver(t, store, server.Options{Auth: authn, CORSAllowedOrigins: []string{allowedOrigin}})
	h, err := store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	head := h.Revision
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(b.URL, "http") + "/graphql"
	dial := func(origin string) (*websocket.Conn, *http.Response, error) {
		return websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"},
			HTTPHeader: http.Header{"Origin": {origin}}})
	}
	if _, resp, err := dial("https://elsewhere.example.org"); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("an upgrade from an origin not allowed: %v, %v", resp, err)
	}
	conn, _, err := dial(allowedOrigin)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.CloseNow() }()
	type message struct {
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	send := func(m message) {
		if err := wsjson.Write(ctx, conn, m); err != nil {
			t.Fatal(err)
		}
	}
	receive := func() message {
		var m message
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	send(message{Type: "connection_init"})
	if m := receive(); m.Type != "connection_ack" {
		t.Fatalf("after connection_init: %+v", m)
	}
	query, _ := json.Marshal(map[string]any{"query": `subscription($after: Int) { revisions(after: $after) { revision { number reason } changes { to } } }`,
		"variables": map[string]any{"after": head}})
	send(message{ID: "1", Type: "subscribe", Payload: query})

	if code, out := as(t, a, curatorKey, `mutation { link(type: IS_A, from: "mutual:central-surrey-health", to: "kind:spin-in",
	  properties: [{name: "sourceIds", value: "source:psm-paper"}], reason: "over a WebSocket") { type } }`, nil); code != http.StatusOK || len(out.Errors) > 0 {
		t.Fatalf("write: %d %+v", code, out.Errors)
	}
	for {
		m := receive()
		if m.Type == "ping" || m.Type == "pong" {
			continue
		}
		var next struct {
			Data struct{ Revisions event }
		}
		if m.Type != "next" || m.ID != "1" || json.Unmarshal(m.Payload, &next) != nil ||
			next.Data.Revisions.Revision.Number != head+1 || next.Data.Revisions.Revision.Reason != "over a WebSocket" {
			t.Fatalf("the first message: %+v %s", m, m.Payload)
		}
		break
	}
	send(message{ID: "1", Type: "complete"})
}

// A page's WebSocket cannot send an Authorization header: a graphql-ws
// client sends its credential in connection_init's payload, checked as a
// header would be, and reads that require authentication refuse a
// connection without one.
func TestWebSocketsAuthenticateInConnectionInit(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	authn, err := auth.New(auth.Config{APIKeys: []string{"ana:curator:" + auth.HashKey(curatorKey)}})
	if err != nil {
		t.Fatal(err)
	}
	srv := serveOver(t, store, server.Options{Auth: authn, ReadsRequireAuth: true})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// initWith opens a connection and sends connection_init with the
	// payload; it returns the connection, and the first message's type or
	// the close's reason.
	initWith := func(payload map[string]any) (*websocket.Conn, string) {
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatalf("upgrade without a header: %v", err)
		}
		t.Cleanup(func() { _ = conn.CloseNow() })
		if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": payload}); err != nil {
			t.Fatal(err)
		}
		var m struct{ Type string }
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			return conn, "closed: " + websocket.CloseStatus(err).String() + " " + err.Error()
		}
		return conn, m.Type
	}
	for _, payload := range []map[string]any{nil, {"Authorization": "Bearer not-a-key"}, {"Authorization": curatorKey}} {
		if _, got := initWith(payload); got == "connection_ack" {
			t.Errorf("connection_init with %v was acknowledged", payload)
		}
	}
	conn, got := initWith(map[string]any{"Authorization": "Bearer " + curatorKey})
	if got != "connection_ack" {
		t.Fatalf("connection_init with the key: %s", got)
	}
	query, _ := json.Marshal(map[string]any{"query": `{ mutualKinds(first: 1) { totalCount } }`})
	if err := wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": json.RawMessage(query)}); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Type    string
		Payload struct {
			Data struct{ MutualKinds struct{ TotalCount int } }
		}
	}
	if err := wsjson.Read(ctx, conn, &m); err != nil || m.Type != "next" || m.Payload.Data.MutualKinds.TotalCount == 0 {
		t.Errorf("a query over the authenticated connection: %+v, %v", m, err)
	}
}
