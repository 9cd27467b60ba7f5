"""Training, as a package: the autoencoder's phases (`ae`, `dcae train-ae`) and the text DiT (`dit`,
`dcae train-dit`) on shared pieces: configuration, phase selection, distributed setup, data order, the
step (`trainer`) and the resumable state (`state`: EMA, learning rate, RNG, checkpoints)."""
