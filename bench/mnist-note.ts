// What the benches' MNIST is, for the sections that compare with a paper's MNIST figures: facts checked
// against LeCun's files, so that no section calls its comparison exact.

/**
 * One sentence for a section comparing with `paper`'s MNIST figures; the top of bench/RESULTS.md holds the
 * evidence (checksums, pixel values, sizes).
 */
export function mnistNote(paper: string): string {
  return `Data: the MNIST copy used here (data/mnist) has the canonical labels but not LeCun's images: they are inverted (background 255, ink near 0) through a non-linear tone curve (the top of this file has the details). So the comparison with ${paper} is approximate: the same digits and labels, a different pixel encoding (zero padding, for one, is ink here).`;
}
