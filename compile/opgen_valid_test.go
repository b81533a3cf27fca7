package compile_test

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/psmgraph/psmgraph/resolvers"
)

// Every operation the generator writes is valid, with its variables: an
// invalid one fails alike on both paths and compares nothing.
func TestGeneratedOperationsAreValid(t *testing.T) {
	schema := resolvers.New(nil).Schema()
	ids := []string{"kind:spin-out", "jurisdiction:ca", "mutual:m1", "programme:p1", "statute:s1", "lever:l1", "challenge:c1", "source:s1"}
	gen := newOpGen(schema, ids, 7)
	ops := gen.each()
	for range 2000 {
		ops = append(ops, gen.random())
	}
	invalid := 0
	for _, o := range ops {
		doc, errs := gqlparser.LoadQueryWithRules(schema, o.query, nil) // the default rules
		var err error = errs
		if len(errs) == 0 {
			_, err = validator.VariableValues(schema, doc.Operations[0], o.vars)
		}
		if err != nil {
			invalid++
			if invalid <= 5 {
				t.Errorf("%v\n%s\nvariables: %v", err, o.query, o.vars)
			}
		}
	}
	if invalid > 0 {
		t.Errorf("%d of %d generated operations are invalid", invalid, len(ops))
	}
}
