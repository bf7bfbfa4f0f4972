MATCH (:Organization)-[r]->(:Organization)
RETURN type(r) AS key, count(*) AS n
