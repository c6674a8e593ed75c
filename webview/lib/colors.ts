/** Observable's 10-colour categorical palette: distinct on dark and light backgrounds alike. */
const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

/** A run's colour from its palette slot (`UIState.colors`); grey until it has one. */
export const colorOf = (colors: Record<string, number>, id: string): string =>
  colors[id] === undefined ? '#888888' : PALETTE[colors[id] % PALETTE.length];
