\timing on
DROP TABLE IF EXISTS hv_1m, hv_100k;
CREATE TABLE hv_1m (id bigint PRIMARY KEY, embedding vector(384)) WITH (toast_tuple_target = 8160);
ALTER TABLE hv_1m ALTER COLUMN embedding SET STORAGE plain;
\copy hv_1m FROM '/tmp/clusters.bin' (FORMAT binary)
CREATE TABLE hv_100k (id bigint PRIMARY KEY, embedding vector(384)) WITH (toast_tuple_target = 8160);
ALTER TABLE hv_100k ALTER COLUMN embedding SET STORAGE plain;
INSERT INTO hv_100k SELECT * FROM hv_1m WHERE id <= 100000;
VACUUM ANALYZE hv_1m;
VACUUM ANALYZE hv_100k;
CHECKPOINT;
