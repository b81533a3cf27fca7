package graph

import (
	"context"
	"testing"
)

func TestFieldsKeepOnlyTheModelsNamesInOneOrder(t *testing.T) {
	f := FieldsOf([]string{"name", "edges", "effect", "n.id}) DETACH DELETE n //", "nameFr", "name", "rationale", "__typename"})
	ctx := WithFields(context.Background(), f)
	if got, want := nodeProps(ctx, "n"), "n {.id, .name, .nameFr}"; got != want {
		t.Errorf("nodes: %s, want %s", got, want)
	}
	if got, want := relProps(ctx, "r"), "r {.effect, .rationale}"; got != want {
		t.Errorf("relationships: %s, want %s", got, want)
	}
	// The same names in another order make the same Cypher.
	again := WithFields(context.Background(), FieldsOf([]string{"rationale", "nameFr", "effect", "name"}))
	if nodeProps(again, "n") != nodeProps(ctx, "n") || relProps(again, "r") != relProps(ctx, "r") {
		t.Errorf("the order of the names changed the projection")
	}
	// Without fields, reads return every property.
	if got := nodeProps(context.Background(), "n"); got != "properties(n)" {
		t.Errorf("no fields: %s", got)
	}
}
