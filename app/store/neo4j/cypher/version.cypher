OPTIONAL MATCH (m:GraphMeta {key: 'graph'})
RETURN coalesce(m.version, 0) AS version, m.schema_version AS schema_version, m.layout AS layout
