// Named uniqueness constraints of the Neo4j store; applied idempotently by `solgraph db init`.
// Neo4j constraints are per relationship type: the store keeps one relationship per id by
// replacing a relationship whose type or ends changed, and these make the database refuse copies.
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (o:Organization) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT graph_meta_key IF NOT EXISTS FOR (m:GraphMeta) REQUIRE m.key IS UNIQUE;
CREATE CONSTRAINT established_id IF NOT EXISTS FOR ()-[r:ESTABLISHED]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT partners_with_id IF NOT EXISTS FOR ()-[r:PARTNERS_WITH]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT member_of_id IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT affiliate_of_id IF NOT EXISTS FOR ()-[r:AFFILIATE_OF]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT enables_id IF NOT EXISTS FOR ()-[r:ENABLES]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT funds_id IF NOT EXISTS FOR ()-[r:FUNDS]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT advocates_to_id IF NOT EXISTS FOR ()-[r:ADVOCATES_TO]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT in_dialogue_with_id IF NOT EXISTS FOR ()-[r:IN_DIALOGUE_WITH]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT agreement_with_id IF NOT EXISTS FOR ()-[r:AGREEMENT_WITH]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT organises_id IF NOT EXISTS FOR ()-[r:ORGANISES]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT seeks_funding_for_id IF NOT EXISTS FOR ()-[r:SEEKS_FUNDING_FOR]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT facilitates_access_to_id IF NOT EXISTS FOR ()-[r:FACILITATES_ACCESS_TO]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT works_through_id IF NOT EXISTS FOR ()-[r:WORKS_THROUGH]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT linked_to_id IF NOT EXISTS FOR ()-[r:LINKED_TO]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (c:Change) REQUIRE c.seq IS UNIQUE;
CREATE CONSTRAINT api_key_name IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.name IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.key_id IS UNIQUE;
CREATE CONSTRAINT import_id IF NOT EXISTS FOR (i:Import) REQUIRE i.id IS UNIQUE;
CREATE CONSTRAINT session_token IF NOT EXISTS FOR (s:Session) REQUIRE s.token_hash IS UNIQUE;
CREATE CONSTRAINT publication_key IF NOT EXISTS FOR (p:Publication) REQUIRE p.key IS UNIQUE;
CREATE CONSTRAINT rejected_pair IF NOT EXISTS FOR (p:RejectedPair) REQUIRE (p.first, p.second) IS UNIQUE;
