/** A colour per rep, by its position in the plan: hues spread by the golden angle, so neighbours differ. */
export function repColour(index: number): string {
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 65% 42%)`;
}

export function repColourMap(repIds: readonly string[]): Map<string, string> {
  return new Map(repIds.map((id, index) => [id, repColour(index)]));
}
