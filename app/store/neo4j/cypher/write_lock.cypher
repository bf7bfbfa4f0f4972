// Taken first by every edit: writing the meta node serialises edits, so that what an edit
// checks (preconditions, type rules, dangling ties) still holds when it commits. A label scan,
// not MERGE or a seek through the key's constraint: those also lock the constraint's index
// entry, shared, and concurrent edits then deadlock on the node; this asks for the node alone.
MATCH (m:GraphMeta) USING SCAN m:GraphMeta
WHERE m.key = 'graph'
SET m.writes = coalesce(m.writes, 0) + 1
RETURN count(m) AS locked
