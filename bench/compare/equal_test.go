package main

import (
	"strings"
	"testing"
)

func TestSameDataAcrossConventions(t *testing.T) {
	psmgraph := `{"data":{"statutes":{"edges":[{"node":{"id":"s2","affects":{"edges":[{"effect":"FUNDS","node":{"id":"k1"}}]}}},
		{"node":{"id":"s1","affects":{"edges":[]}}}]}}}`
	peer := `{"data":{"statutes":[{"id":"s1","affectsConnection":{"edges":[]}},
		{"id":"s2","affectsConnection":{"edges":[{"properties":{"effect":"FUNDS"},"node":{"id":"k1"}}]}}]}}`
	same, a, b, err := sameData([]byte(psmgraph), []byte(peer))
	if err != nil || !same {
		t.Fatalf("same %v, err %v:\n%s\n%s", same, err, a, b)
	}
	other := `{"data":{"statutes":[{"id":"s1","affectsConnection":{"edges":[]}},
		{"id":"s2","affectsConnection":{"edges":[{"properties":{"effect":"ENABLES"},"node":{"id":"k1"}}]}}]}}`
	if same, _, _, _ := sameData([]byte(psmgraph), []byte(other)); same {
		t.Fatal("different effects compare equal")
	}
	page := `{"data":{"mutuals":{"totalCount":3,"edges":[{"cursor":"a","node":{"id":"m1"}}],"pageInfo":{"hasNextPage":true,"endCursor":"x"}}}}`
	peerPage := `{"data":{"mutualsConnection":{"totalCount":3,"edges":[{"node":{"id":"m1"}}],"pageInfo":{"hasNextPage":true,"endCursor":"y"}}}}`
	if same, a, b, _ := sameData([]byte(page), []byte(peerPage)); !same {
		t.Fatalf("pages differ:\n%s\n%s", a, b)
	}
	aggregate := `{"data":{"mutuals":{"aggregate":{"count":3,"founded":{"min":1990,"max":2001,"sum":5990,"average":1996.67}}}}}`
	peerAggregate := `{"data":{"mutuals":{"aggregate":{"count":{"nodes":3},"node":{"founded":{"min":1990,"max":2001,"sum":5990,"average":1996.67}}}}}}`
	if same, a, b, _ := sameData([]byte(aggregate), []byte(peerAggregate)); !same {
		t.Fatalf("aggregates differ:\n%s\n%s", a, b)
	}
	// Averages of 18,500 years, as sum/count and as Neo4j's running mean.
	summed := strings.Replace(aggregate, "1996.67", "1996.9864864864865", 1)
	running := strings.Replace(peerAggregate, "1996.67", "1996.9864864864944", 1)
	if same, a, b, _ := sameData([]byte(summed), []byte(running)); !same {
		t.Fatalf("averages apart in their last digits differ:\n%s\n%s", a, b)
	}
	if same, _, _, _ := sameData([]byte(summed), []byte(strings.Replace(running, "1996.98", "1996.99", 1))); same {
		t.Fatal("different averages compare equal")
	}
	peerOther := strings.Replace(peerAggregate, `"nodes":3`, `"nodes":4`, 1)
	if same, _, _, _ := sameData([]byte(aggregate), []byte(peerOther)); same {
		t.Fatal("different counts compare equal")
	}
}
