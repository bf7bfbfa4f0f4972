UNWIND $frontier AS id
MATCH (:Organization {id: id})--(n:Organization)
RETURN DISTINCT n.id AS id
