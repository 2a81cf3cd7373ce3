-- Loads a COPY file of 300 000 vectors into a table and its first 30 000 into another, then builds FARO's HNSW
-- index on each, timed. usage: psql -v big=real_300k -v small=real_30k -v file=/tmp/real300k.copy -f load-and-build.sql
\timing on
SET maintenance_work_mem = '3GB';
DROP TABLE IF EXISTS :big, :small;
CREATE TABLE :big (id bigint PRIMARY KEY, embedding vector(384));
ALTER TABLE :big ALTER COLUMN embedding SET STORAGE plain;
COPY :big FROM :'file' (FORMAT binary);
DELETE FROM :big WHERE id > 300000;
CREATE TABLE :small (id bigint PRIMARY KEY, embedding vector(384));
ALTER TABLE :small ALTER COLUMN embedding SET STORAGE plain;
INSERT INTO :small SELECT * FROM :big WHERE id <= 30000;
VACUUM ANALYZE :big;
VACUUM ANALYZE :small;
CHECKPOINT;
CREATE INDEX ON :small USING hnsw (embedding vector_cosine_ops);
CHECKPOINT;
CREATE INDEX ON :big USING hnsw (embedding vector_cosine_ops);
SELECT count(*) AS rows_300k FROM :big;
SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class WHERE relname IN (:'big' || '_embedding_idx', :'small' || '_embedding_idx');
