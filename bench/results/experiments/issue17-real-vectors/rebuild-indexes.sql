-- Builds the indexes of load-and-build.sql's two tables again, and of a third with the first 100 000 rows, timed.
-- usage: psql -v big=real_300k -v small=real_30k -v mid=real_100k -f rebuild-indexes.sql
\timing on
SET maintenance_work_mem = '3GB';
DROP TABLE IF EXISTS :mid;
CREATE TABLE :mid (id bigint PRIMARY KEY, embedding vector(384));
ALTER TABLE :mid ALTER COLUMN embedding SET STORAGE plain;
INSERT INTO :mid SELECT * FROM :big WHERE id <= 100000;
VACUUM ANALYZE :mid;
SELECT format('DROP INDEX %s', indexrelid::regclass) FROM pg_index
    WHERE indrelid IN (:'small'::regclass, :'big'::regclass) AND NOT indisprimary \gexec
CHECKPOINT;
CREATE INDEX ON :small USING hnsw (embedding vector_cosine_ops);
CHECKPOINT;
CREATE INDEX ON :mid USING hnsw (embedding vector_cosine_ops);
CHECKPOINT;
CREATE INDEX ON :big USING hnsw (embedding vector_cosine_ops);
SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class WHERE relname LIKE :'small' || '%idx'
    OR relname LIKE :'mid' || '%idx' OR relname LIKE :'big' || '%idx';
