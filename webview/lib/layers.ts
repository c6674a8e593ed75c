/** `"Dense [N,128] 8320"` (as run.json records a model's layers) -> its name, output shape and parameters. */
export function parseLayer(s: string): { name: string; shape: string; params: string } {
  const m = /^(.*?)\s+(\[[^\]]*\])\s+(\d+)$/.exec(s);
  return m ? { name: m[1], shape: m[2], params: m[3] } : { name: s, shape: '', params: '' };
}
