MERGE (k:ApiKey {name: $name})
SET k.key_id = $key_id, k.body = $body
