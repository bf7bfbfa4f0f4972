MATCH (k:ApiKey {name: $name})
RETURN k.body AS body
