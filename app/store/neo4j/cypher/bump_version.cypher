// Runs after write_lock, which holds the meta node's exclusive lock, so reading it is safe.
MATCH (m:GraphMeta {key: 'graph'})
SET m.version = coalesce(m.version, 0) + 1
