// Taken first by every edit: writing the meta node serialises edits, so that what an edit
// checks (preconditions, type rules, dangling ties) still holds when it commits.
MERGE (m:GraphMeta {key: 'graph'})
SET m.writes = coalesce(m.writes, 0) + 1
