// The meta node that write_lock locks, for a database emptied behind the store's back.
MERGE (m:GraphMeta {key: 'graph'})
SET m.locked_by = randomUUID(), m.version = coalesce(m.version, 0)
