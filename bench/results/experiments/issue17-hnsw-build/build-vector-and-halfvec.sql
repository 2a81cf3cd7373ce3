\timing on
SET maintenance_work_mem = '3GB';
SET client_min_messages = notice;
CREATE INDEX hv_100k_vec ON hv_100k USING hnsw (embedding vector_cosine_ops);
CREATE INDEX hv_100k_half ON hv_100k USING hnsw ((embedding::halfvec(384)) halfvec_cosine_ops);
CHECKPOINT;
CREATE INDEX hv_1m_vec ON hv_1m USING hnsw (embedding vector_cosine_ops);
CHECKPOINT;
CREATE INDEX hv_1m_half ON hv_1m USING hnsw ((embedding::halfvec(384)) halfvec_cosine_ops);
SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class WHERE relname LIKE 'hv_%_vec' OR relname LIKE 'hv_%_half';
