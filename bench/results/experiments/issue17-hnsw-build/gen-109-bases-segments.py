# each vector on the segment between two of 109 base vectors, at a random point, moved by 0.05 along a random direction
import numpy as np, struct, sys
n_to = int(sys.argv[1])
rng = np.random.default_rng(13)
def unit(a): return a / np.linalg.norm(a, axis=-1, keepdims=True)
bases = unit(rng.random((109, 384), dtype=np.float32) * 2 - 1)
out = open(sys.argv[2], 'wb')
out.write(b'PGCOPY\n\xff\r\n\x00' + struct.pack('>ii', 0, 0))
step = 50000
for start in range(1, n_to + 1, step):
    ids = np.arange(start, min(start + step, n_to + 1))
    n = len(ids)
    a = rng.random((n, 1), dtype=np.float32)
    v = a * bases[rng.integers(0, 109, n)] + (1 - a) * bases[rng.integers(0, 109, n)]
    v = unit(unit(v) + 0.05 * unit(rng.random((n, 384), dtype=np.float32) * 2 - 1))
    be = v.astype('>f4')
    for k, i in enumerate(ids):
        out.write(struct.pack('>hiqihh', 2, 8, int(i), 4 + 384 * 4, 384, 0))
        out.write(be[k].tobytes())
out.write(struct.pack('>h', -1))
out.close()
