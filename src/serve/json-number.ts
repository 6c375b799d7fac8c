/**
 * The original service wrote `confidence` as a Python float, so `1.0`, never `1`: typed
 * clients read a float either way. JSON.stringify drops the fraction of whole numbers, so
 * floats in prediction bodies are written by hand.
 */
export function jsonFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}
