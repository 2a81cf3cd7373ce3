\timing on
SET maintenance_work_mem = '3GB';
DROP TABLE IF EXISTS hv_1m, hv_100k, centres;
CHECKPOINT;
CREATE TABLE tc_1m (id bigint PRIMARY KEY, embedding vector(384));
ALTER TABLE tc_1m ALTER COLUMN embedding SET STORAGE plain;
\copy tc_1m FROM '/tmp/near.bin' (FORMAT binary)
CREATE TABLE tc_100k (id bigint PRIMARY KEY, embedding vector(384));
ALTER TABLE tc_100k ALTER COLUMN embedding SET STORAGE plain;
INSERT INTO tc_100k SELECT * FROM tc_1m WHERE id <= 100000;
VACUUM ANALYZE tc_1m;
VACUUM ANALYZE tc_100k;
CHECKPOINT;
CREATE INDEX tc_100k_vec ON tc_100k USING hnsw (embedding vector_cosine_ops);
CHECKPOINT;
CREATE INDEX tc_1m_vec ON tc_1m USING hnsw (embedding vector_cosine_ops);
