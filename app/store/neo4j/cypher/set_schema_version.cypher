MERGE (m:GraphMeta {key: 'graph'})
SET m.schema_version = $schema_version, m.version = coalesce(m.version, 0)
