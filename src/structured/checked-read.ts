/**
 * Typed-array reads that fail loudly. The kernels read indices (pairs, reps, customers, tree
 * links), counts and flags out of typed arrays; under noUncheckedIndexedAccess a read like
 * `rep[k] ?? 0` would turn an index bug into "rep 0" and a plausible wrong answer. These throw a
 * RangeError instead. Each takes one array type only, so that V8 keeps the read monomorphic and
 * inlines it: in the hot loops it costs what `?? 0` costs.
 */

/** array[i] of an index, count or -1 sentinel array. */
export function indexAt(array: Int32Array, i: number): number {
  const value = array[i];
  if (value === undefined) throw outside(i, array.length);
  return value;
}

/** array[i] of a 0/1 flag array. */
export function flagAt(array: Uint8Array, i: number): number {
  const value = array[i];
  if (value === undefined) throw outside(i, array.length);
  return value;
}

/** array[i] of a small signed code array (arc states, tree directions). */
export function codeAt(array: Int8Array, i: number): number {
  const value = array[i];
  if (value === undefined) throw outside(i, array.length);
  return value;
}

/** array[i] of a count kept as a float (customers per rep). */
export function countAt(array: Float64Array, i: number): number {
  const value = array[i];
  if (value === undefined) throw outside(i, array.length);
  return value;
}

function outside(i: number, length: number): RangeError {
  return new RangeError(`read at ${i} outside an array of ${length}: an index bug in the structured path`);
}
