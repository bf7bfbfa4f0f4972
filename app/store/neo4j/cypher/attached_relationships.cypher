UNWIND $ids AS wanted
MATCH (:Organization {id: wanted})-[r]-(:Organization)
WITH DISTINCT r
RETURN r {.*, type: type(r), source: startNode(r).id, target: endNode(r).id} AS relationship
