MATCH (s:Session {token_hash: $token_hash})
RETURN s.body AS body
