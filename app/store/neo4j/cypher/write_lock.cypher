// Taken first by every edit: writing the meta node serialises edits, so that what an edit
// checks (preconditions, type rules, dangling ties) still holds when it commits. MATCH, not
// MERGE: MERGE takes a shared lock that concurrent edits then both try to upgrade, which
// Neo4j reports as a deadlock; SET after MATCH asks for the exclusive lock at once.
MATCH (m:GraphMeta {key: 'graph'})
SET m.writes = coalesce(m.writes, 0) + 1
RETURN count(m) AS locked
