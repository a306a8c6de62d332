/** Gini coefficient of non-negative amounts (0 = perfectly equal); 0 for empty or all-zero input. */
export function gini(amounts: readonly number[]): number {
  const n = amounts.length;
  if (n === 0) return 0;
  const sorted = [...amounts].sort((a, b) => a - b);
  let sum = 0;
  let weighted = 0;
  sorted.forEach((x, i) => {
    sum += x;
    weighted += (i + 1) * x;
  });
  if (sum <= 0) return 0;
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}
