MATCH (n)
WHERE n:Organization OR n:Change OR n:ApiKey
DETACH DELETE n
