"""Evaluation: image metrics (`metrics`: PSNR, SSIM, MS-SSIM, where the error lies), the LPIPS network
(`perceptual`), and `dcae eval-ae` (`reconstruction`: an autoencoder's round trip on held-out images, against
the bicubic baseline of the same size)."""
