# How crowded a set of vectors is, at two sizes: for 500 of its vectors (the first 500 rows, each in both sizes),
# the median cosine distance to the 1st, 10th and 100th nearest other vector among the first N rows, exactly.
# A ratio d100 / d10 near 1 means each vector's neighbours are near-equidistant, which makes an HNSW walk long.
# usage: python3 neighbours.py FILE N1 N2   (FILE: a binary COPY file as gen-vectors.py or EmbedRealText.java write)
import numpy as np, sys

path, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]]
row = np.dtype([('head', 'V22'), ('v', '>f4', 384)])
data = np.fromfile(path, dtype=row, offset=19, count=max(sizes))['v'].astype(np.float32)
data /= np.linalg.norm(data, axis=1, keepdims=True)
queries = data[:500]
for n in sizes:
    sims = queries @ data[:n].T
    sims[np.arange(500), np.arange(500)] = -2  # not itself
    top = -np.sort(-sims, axis=1)[:, :100]
    d1, d10, d100 = (np.median(1 - top[:, k]) for k in (0, 9, 99))
    print(f'{path} N={n}: median cosine distance to neighbour 1 {d1:.3f}, 10 {d10:.3f}, 100 {d100:.3f};'
          f' d100/d10 {d100 / d10:.2f}')
