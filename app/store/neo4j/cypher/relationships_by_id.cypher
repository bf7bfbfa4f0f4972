// One branch per relationship type, so that each lookup uses that type's id constraint
// (Neo4j indexes relationship properties per type, and a MATCH on a dynamic type, $(...),
// uses no index in Neo4j 5.26); tests check every type has a branch.
UNWIND $ids AS wanted
CALL (wanted) {
  MATCH (s:Organization)-[r:ESTABLISHED {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:PARTNERS_WITH {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:MEMBER_OF {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:AFFILIATE_OF {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:ENABLES {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:FUNDS {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:ADVOCATES_TO {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:IN_DIALOGUE_WITH {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:AGREEMENT_WITH {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:ORGANISES {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:SEEKS_FUNDING_FOR {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:FACILITATES_ACCESS_TO {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:WORKS_THROUGH {id: wanted}]->(t:Organization) RETURN s, r, t
  UNION ALL
  MATCH (s:Organization)-[r:LINKED_TO {id: wanted}]->(t:Organization) RETURN s, r, t
}
RETURN r {.*, type: type(r), source: s.id, target: t.id} AS relationship
