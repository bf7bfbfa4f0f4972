// Taken first by every edit: writing the meta node serialises edits, so that what an edit
// checks (preconditions, type rules, dangling ties) still holds when it commits. The value
// written does not depend on the node: reading it first (m.writes + 1) takes a shared lock
// that concurrent edits then both try to upgrade, which Neo4j reports as a deadlock.
MATCH (m:GraphMeta {key: 'graph'})
SET m.locked_by = randomUUID()
RETURN count(m) AS locked
