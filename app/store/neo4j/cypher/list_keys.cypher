MATCH (k:ApiKey)
RETURN k.body AS body
ORDER BY k.name
