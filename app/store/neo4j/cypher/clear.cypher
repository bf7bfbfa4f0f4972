MATCH (n)
WHERE n:Organization OR n:Change OR n:ApiKey OR n:Session OR n:Publication OR n:RejectedPair
DETACH DELETE n
