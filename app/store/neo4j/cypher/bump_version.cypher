// Found by label scan like write_lock, which made sure the node exists and holds its lock.
MATCH (m:GraphMeta) USING SCAN m:GraphMeta
WHERE m.key = 'graph'
SET m.version = coalesce(m.version, 0) + 1
