MATCH (k:ApiKey {key_id: $key_id})
RETURN k.body AS body
