// MATCH, not MERGE: write_lock made sure the node exists, and MERGE would ask for a lock
// on the constraint's index entry that a concurrent edit's write_lock holds shared.
MATCH (m:GraphMeta {key: 'graph'})
SET m.version = coalesce(m.version, 0) + 1
