/** Observable's 10-colour categorical palette: distinct on dark and light backgrounds alike. */
const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

/** A run's colour from its palette slot (`UIState.colors`); grey until it has one. */
export const colorOf = (colors: Record<string, number>, id: string): string =>
  colors[id] === undefined ? '#888888' : PALETTE[colors[id] % PALETTE.length];

/**
 * `colors` for exactly the watched runs `ids`: a run that has a slot keeps it, so colours stay put as
 * other runs come and go; a new run gets the lowest slot whose colour no other watched run shows (with
 * more runs than colours, the colour fewest of them show). A run no longer watched gives its slot back:
 * slots only ever counted up, so the 11th run opened took the colour of the first. Returns `colors`
 * itself when nothing changed.
 */
export function assignColors(colors: Record<string, number>, ids: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const shown = PALETTE.map(() => 0);
  for (const id of ids) {
    if (colors[id] === undefined) continue;
    out[id] = colors[id];
    shown[colors[id] % PALETTE.length]++;
  }
  for (const id of ids) {
    if (out[id] !== undefined) continue;
    out[id] = shown.indexOf(Math.min(...shown));
    shown[out[id]]++;
  }
  const same = Object.keys(colors).length === ids.length && ids.every((id) => colors[id] === out[id]);
  return same ? colors : out;
}
