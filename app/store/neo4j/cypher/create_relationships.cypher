// Each end is found through the organization_id constraint's index. The type is dynamic:
// CREATE needs no index, unlike a MATCH on a dynamic type (see relationships_by_id).
UNWIND $rows AS row
MATCH (s:Organization {id: row.source}), (t:Organization {id: row.target})
CREATE (s)-[r:$(row.type) {id: row.id}]->(t)
SET r += row.properties
