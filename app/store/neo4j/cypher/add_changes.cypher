MATCH (m:GraphMeta {key: 'graph'})
WITH m, coalesce(m.changes, 0) AS base
SET m.changes = base + size($rows)
WITH base
UNWIND range(0, size($rows) - 1) AS i
WITH base + i + 1 AS seq, $rows[i] AS row
CREATE (:Change {
  seq: seq, at: $at, actor: $actor, action: $action, entity: row.entity,
  entity_id: row.id, change: row.change, before: row.before, after: row.after
})
