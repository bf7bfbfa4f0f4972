MATCH (old:Session)
WHERE old.expires <= $created
DETACH DELETE old
WITH count(*) AS purged
CREATE (:Session {token_hash: $token_hash, expires: $expires, body: $body})
