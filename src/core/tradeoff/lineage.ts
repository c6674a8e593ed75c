/** Lineage among the runs a plot shows: an edge from a run to each shown run made from it (its `parent`). */
export interface Edge {
  from: string;
  to: string;
}

export function lineageEdges(shown: readonly { id: string; parent?: string }[]): Edge[] {
  const ids = new Set(shown.map((r) => r.id));
  return shown.filter((r) => r.parent !== undefined && r.parent !== r.id && ids.has(r.parent)).map((r) => ({ from: r.parent!, to: r.id }));
}
