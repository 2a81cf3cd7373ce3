-- recall@10 of FARO's HNSW index against exact search on the real vectors, the last 200 of them held out as
-- questions (ANN benchmarks' way: questions from the corpus's own distribution), the index built on the rest,
-- at each hnsw.ef_search, for two ef_construction settings. usage: psql -f recall.sql (after load-and-build.sql)
\timing on
SET maintenance_work_mem = '3GB';
DROP TABLE IF EXISTS real_rest, real_questions, exact_top, index_top;
CREATE TABLE real_questions AS SELECT * FROM real_300k WHERE id > 299316;
CREATE TABLE real_rest (id bigint PRIMARY KEY, embedding vector(384));
ALTER TABLE real_rest ALTER COLUMN embedding SET STORAGE plain;
INSERT INTO real_rest SELECT * FROM real_300k WHERE id <= 299316;
VACUUM ANALYZE real_rest;
SELECT count(*) AS indexed, (SELECT count(*) FROM real_questions) AS questions FROM real_rest;
SET enable_indexscan = off;
CREATE TABLE exact_top AS SELECT q.id AS question, t.id FROM real_questions q
    CROSS JOIN LATERAL (SELECT id FROM real_rest ORDER BY embedding <=> q.embedding LIMIT 10) t;
RESET enable_indexscan;
CREATE TABLE index_top (ef_construction int, ef_search int, question bigint, id bigint);
CREATE OR REPLACE PROCEDURE measure(construction int) LANGUAGE plpgsql AS $$
DECLARE ef int;
BEGIN
    FOREACH ef IN ARRAY ARRAY[40, 100, 200, 400] LOOP
        PERFORM set_config('hnsw.ef_search', ef::text, true);
        INSERT INTO index_top SELECT construction, ef, q.id, t.id FROM real_questions q
            CROSS JOIN LATERAL (SELECT id FROM real_rest ORDER BY embedding <=> q.embedding LIMIT 10) t;
    END LOOP;
END $$;
CREATE INDEX real_rest_hnsw ON real_rest USING hnsw (embedding vector_cosine_ops);
EXPLAIN (COSTS OFF) SELECT id FROM real_rest ORDER BY embedding <=> (SELECT embedding FROM real_questions LIMIT 1) LIMIT 10;
CALL measure(64);
DROP INDEX real_rest_hnsw;
CREATE INDEX real_rest_hnsw ON real_rest USING hnsw (embedding vector_cosine_ops) WITH (ef_construction = 128);
CALL measure(128);
SELECT ef_construction, ef_search, round(count(e.id)::numeric / count(*), 3) AS recall_at_10,
       min(per_question) AS lowest
FROM (SELECT i.ef_construction, i.ef_search, i.question, i.id,
             count(e2.id) OVER (PARTITION BY i.ef_construction, i.ef_search, i.question)::numeric / 10 AS per_question
      FROM index_top i LEFT JOIN exact_top e2 ON e2.question = i.question AND e2.id = i.id) i
LEFT JOIN exact_top e ON e.question = i.question AND e.id = i.id
GROUP BY ef_construction, ef_search ORDER BY 1, 2;
