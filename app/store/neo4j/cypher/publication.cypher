MATCH (p:Publication {key: $key})
RETURN p.body AS body
