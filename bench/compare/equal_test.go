package main

import "testing"

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
}
