MATCH (s:Session {token_hash: $token_hash})
DETACH DELETE s
