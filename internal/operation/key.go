// Package operation names a GraphQL operation by what a request gives of
// it, for the caches of what depends on nothing else.
package operation

import (
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
)

// Key names the operation by its document, its name and its variables:
// the same key is the same operation asked with the same values. False
// when the variables cannot be written as JSON (an upload's file).
func Key(op *graphql.OperationContext) (string, bool) {
	vars, err := json.Marshal(op.Variables) // map keys in order
	if err != nil {
		return "", false
	}
	return op.OperationName + "\x00" + string(vars) + "\x00" + op.RawQuery, true
}
