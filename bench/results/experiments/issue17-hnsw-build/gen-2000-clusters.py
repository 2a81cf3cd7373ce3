import numpy as np, struct, sys
n_from, n_to = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(7)
centres = rng.random((2000, 384), dtype=np.float32) - 0.5
out = open(sys.argv[3], 'wb')
out.write(b'PGCOPY\n\xff\r\n\x00' + struct.pack('>ii', 0, 0))
step = 50000
for start in range(n_from, n_to, step):
    ids = np.arange(start, min(start + step, n_to))
    v = centres[ids % 2000] + (rng.random((len(ids), 384), dtype=np.float32) - 0.5) * 0.6
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    be = v.astype('>f4')
    for k, i in enumerate(ids):
        out.write(struct.pack('>hiqihh', 2, 8, int(i), 4 + 384 * 4, 384, 0))
        out.write(be[k].tobytes())
out.write(struct.pack('>h', -1))
out.close()
