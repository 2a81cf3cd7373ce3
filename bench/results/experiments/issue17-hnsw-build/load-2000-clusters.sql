\timing on
TRUNCATE hv_1m;
\copy hv_1m FROM '/tmp/hv.bin' (FORMAT binary)
CREATE TABLE hv_100k (id bigint PRIMARY KEY, embedding vector(384)) WITH (toast_tuple_target = 8160);
ALTER TABLE hv_100k ALTER COLUMN embedding SET STORAGE plain;
INSERT INTO hv_100k SELECT * FROM hv_1m WHERE id <= 100000;
VACUUM ANALYZE hv_1m;
VACUUM ANALYZE hv_100k;
CHECKPOINT;
