MATCH (i:Import {id: $id})
RETURN i.body AS body
