# Writes vectors 1..N as a PostgreSQL binary COPY file for a table (id bigint, embedding vector(384)).
# usage: python3 gen-vectors.py KIND N FILE, KIND one of:
#   clusters  2 000 random centres, each vector one of them (id % 2000) plus uniform noise 0.6 times as wide
#   near      as faro bench scale made them: 109 base vectors, each vector one of them moved by 0.3 along a
#             random direction
#   segments  109 base vectors, each vector at a random point between two of them, moved by 0.05
import numpy as np, struct, sys

kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng({'clusters': 7, 'near': 11, 'segments': 13}[kind])
def unit(a): return a / np.linalg.norm(a, axis=-1, keepdims=True)
if kind == 'clusters':
    centres = rng.random((2000, 384), dtype=np.float32) - 0.5
else:
    bases = unit(rng.random((109, 384), dtype=np.float32) * 2 - 1)

def vectors(ids):
    m = len(ids)
    if kind == 'clusters':
        return unit(centres[ids % 2000] + (rng.random((m, 384), dtype=np.float32) - 0.5) * 0.6)
    if kind == 'near':
        return unit(bases[rng.integers(0, 109, m)] + 0.3 * unit(rng.random((m, 384), dtype=np.float32) * 2 - 1))
    a = rng.random((m, 1), dtype=np.float32)
    v = a * bases[rng.integers(0, 109, m)] + (1 - a) * bases[rng.integers(0, 109, m)]
    return unit(unit(v) + 0.05 * unit(rng.random((m, 384), dtype=np.float32) * 2 - 1))

with open(path, 'wb') as out:
    out.write(b'PGCOPY\n\xff\r\n\x00' + struct.pack('>ii', 0, 0))
    for start in range(1, n + 1, 50000):
        ids = np.arange(start, min(start + 50000, n + 1))
        for i, v in zip(ids, vectors(ids).astype('>f4')):
            out.write(struct.pack('>hiqihh', 2, 8, int(i), 4 + 384 * 4, 384, 0) + v.tobytes())
    out.write(struct.pack('>h', -1))
