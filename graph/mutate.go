package graph

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Ref is an id a property names, which must name a node of one of Labels.
type Ref struct {
	ID     string
	Labels []Label
}

// checkRefs fails unless every ref names a node of an allowed label.
func checkRefs(ctx context.Context, tx neo4j.ManagedTransaction, refs []Ref) error {
	if len(refs) == 0 {
		return nil
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	records, err := collect(ctx, `UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN id, `+labelOf("n")+` AS label`, map[string]any{"ids": ids})(tx)
	if err != nil {
		return err
	}
	found := map[string]Label{}
	for _, r := range records {
		id, _ := r.Values[0].(string)
		label, _ := r.Values[1].(string)
		found[id] = Label(label)
	}
	for _, r := range refs {
		label, ok := found[r.ID]
		switch {
		case !ok:
			return Errorf(CodeBadInput, "%q names no entity", r.ID)
		case !slices.Contains(r.Labels, label):
			return Errorf(CodeBadInput, "%q is a %s, not %v", r.ID, label, r.Labels)
		}
	}
	return nil
}

// CreateNode creates a node of the label with the properties (its id
// among them), in one transaction; it fails if the id is taken or a ref
// names nothing.
func (s *Store) CreateNode(ctx context.Context, edit Edit, label Label, props map[string]any, refs []Ref) (Node, error) {
	return writeTx(ctx, s, "create node "+string(label), func(tx neo4j.ManagedTransaction) (Node, error) {
		if err := checkRefs(ctx, tx, refs); err != nil {
			return nil, err
		}
		result, err := tx.Run(ctx, `OPTIONAL MATCH (old:Entity {id: $id})
WITH old WHERE old IS NULL
CREATE (n:Entity:`+string(label)+`)
SET n = $props
RETURN properties(n) AS props`, map[string]any{"id": props["id"], "props": nodeProps(props)})
		if err != nil {
			return nil, err
		}
		record, err := result.Single(ctx)
		var none *neo4j.UsageError // no record: the id is taken
		if errors.As(err, &none) {
			return nil, Errorf(CodeBadInput, "an entity with the id %q exists already", props["id"])
		}
		if err != nil {
			return nil, err
		}
		id, _ := props["id"].(string)
		err = logChanges(ctx, tx, edit, []Change{{Op: OpCreate, Entity: id, Type: string(label), After: nodeCells(label, props)}})
		if err != nil {
			return nil, err
		}
		n, _ := decodeRecord(string(label), record.Values[0])
		return n, nil
	})
}

// UpdateNode replaces a node's properties by what change makes of the
// current ones, in one transaction, so that no other write slips between
// the read and the write.
func (s *Store) UpdateNode(ctx context.Context, edit Edit, id string, change func(label Label, props map[string]any) (map[string]any, []Ref, error)) (Node, error) {
	return writeTx(ctx, s, "update node", func(tx neo4j.ManagedTransaction) (Node, error) {
		result, err := tx.Run(ctx, `MATCH (n:Entity {id: $id}) RETURN `+labelOf("n")+` AS label, properties(n) AS props`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		record, err := result.Single(ctx)
		if err != nil {
			return nil, Errorf(CodeNotFound, "no entity has the id %q", id)
		}
		label, _ := record.Values[0].(string)
		old, _ := record.Values[1].(map[string]any)
		props, refs, err := change(Label(label), fromNeo4j(old))
		if err != nil {
			return nil, err
		}
		if err := checkRefs(ctx, tx, refs); err != nil {
			return nil, err
		}
		props["id"] = id
		if record, err = single(ctx, tx, `MATCH (n:Entity {id: $id}) SET n = $props RETURN properties(n)`,
			map[string]any{"id": id, "props": nodeProps(props)}); err != nil {
			return nil, err
		}
		if before, after := nodeCells(Label(label), fromNeo4j(old)), nodeCells(Label(label), props); !maps.Equal(before, after) {
			err = logChanges(ctx, tx, edit, []Change{{Op: OpUpdate, Entity: id, Type: label, Before: before, After: after}})
			if err != nil {
				return nil, err
			}
		}
		n, _ := decodeRecord(label, record.Values[0])
		return n, nil
	})
}

// DeleteNode deletes a node and its relationships. It refuses to delete a
// source that a node or relationship still cites: the citation would point
// nowhere.
func (s *Store) DeleteNode(ctx context.Context, edit Edit, id string) error {
	_, err := writeTx(ctx, s, "delete node", func(tx neo4j.ManagedTransaction) (bool, error) {
		result, err := tx.Run(ctx, `MATCH (n:Entity {id: $id})
RETURN COUNT { MATCH (m:Entity) WHERE $id IN m.sourceIds } + COUNT { MATCH ()-[r]->() WHERE $id IN r.sourceIds } AS citations`,
			map[string]any{"id": id})
		if err != nil {
			return false, err
		}
		record, err := result.Single(ctx)
		if err != nil {
			return false, Errorf(CodeNotFound, "no entity has the id %q", id)
		}
		if n := asInt(record.Values[0]); n > 0 {
			return false, Errorf(CodeBadInput, "%q is cited %d times: remove the citations first", id, n)
		}
		// The node and its relationships, as they were, for the log.
		record, err = single(ctx, tx, `MATCH (n:Entity {id: $id})
RETURN `+labelOf("n")+` AS label, properties(n) AS props,
  COLLECT { MATCH (n)-[r]-() RETURN {type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)} } AS rels`,
			map[string]any{"id": id})
		if err != nil {
			return false, err
		}
		label, _ := record.Values[0].(string)
		props, _ := record.Values[1].(map[string]any)
		rels, _ := record.Values[2].([]any)
		changes := []Change{{Op: OpDelete, Entity: id, Type: label, Before: nodeCells(Label(label), fromNeo4j(props))}}
		for _, v := range rels {
			r, _ := v.(map[string]any)
			changes = append(changes, relDeletion(r))
		}
		if _, err = tx.Run(ctx, `MATCH (n:Entity {id: $id}) DETACH DELETE n`, map[string]any{"id": id}); err != nil {
			return false, err
		}
		return true, logChanges(ctx, tx, edit, changes)
	})
	return err
}

// Link creates or updates the relationship of type rt from one node to
// another, with the properties, in one transaction. The endpoints' labels
// must be ones the model allows for the type.
func (s *Store) Link(ctx context.Context, edit Edit, rt RelationshipType, from, to string, props map[string]any, refs []Ref) (Path, error) {
	return writeTx(ctx, s, "link "+string(rt.Type), func(tx neo4j.ManagedTransaction) (Path, error) {
		ends := append([]Ref{{ID: from, Labels: rt.From}, {ID: to, Labels: rt.To}}, refs...)
		if err := checkRefs(ctx, tx, ends); err != nil {
			return Path{}, err
		}
		record, err := single(ctx, tx, `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
OPTIONAL MATCH (a)-[old:`+string(rt.Type)+`]->(b)
WITH a, b, properties(old) AS before LIMIT 1
MERGE (a)-[r:`+string(rt.Type)+`]->(b)
SET r = $props
WITH a, b, r, before
MATCH p = (a)-[r]->(b)
RETURN `+pathProjection+`, before`, map[string]any{"from": from, "to": to, "props": toNeo4j(props)})
		if err != nil {
			return Path{}, err
		}
		change := Change{Op: OpCreate, Type: string(rt.Type), From: from, To: to, After: relCells(rt.Type, props)}
		if before, ok := record.Values[2].(map[string]any); ok {
			change.Op, change.Before = OpUpdate, relCells(rt.Type, fromNeo4j(before))
		}
		if change.Op == OpCreate || !maps.Equal(change.Before, change.After) {
			if err := logChanges(ctx, tx, edit, []Change{change}); err != nil {
				return Path{}, err
			}
		}
		return decodePath(record.Values[0], record.Values[1]), nil
	})
}

// Unlink removes the relationship of the type between the nodes, reporting
// whether there was one.
func (s *Store) Unlink(ctx context.Context, edit Edit, t RelType, from, to string) (bool, error) {
	return writeTx(ctx, s, "unlink "+string(t), func(tx neo4j.ManagedTransaction) (bool, error) {
		records, err := collect(ctx, `MATCH (:Entity {id: $from})-[r:`+string(t)+`]->(:Entity {id: $to})
WITH r, properties(r) AS before DELETE r RETURN before`, map[string]any{"from": from, "to": to})(tx)
		if err != nil || len(records) == 0 {
			return false, err
		}
		var changes []Change
		for _, rec := range records {
			before, _ := rec.Values[0].(map[string]any)
			changes = append(changes, Change{Op: OpDelete, Type: string(t), From: from, To: to, Before: relCells(t, fromNeo4j(before))})
		}
		return true, logChanges(ctx, tx, edit, changes)
	})
}

// RelationshipTypeOf returns the model's description of a relationship type.
func RelationshipTypeOf(t RelType) (RelationshipType, error) {
	for _, rt := range RelationshipTypes {
		if rt.Type == t {
			return rt, nil
		}
	}
	return RelationshipType{}, errors.New("no relationship type " + string(t))
}
