/**
 * Classification metrics with scikit-learn's definitions (weighted averages by support,
 * zero_division=0), so figures read the same as the workshop's Python ones.
 */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  accuracy: number;
  precision: number;
  recall: number;
  f1_score: number;
  /** rows: true class, columns: predicted class */
  confusion_matrix: number[][];
  per_class: ClassMetrics[];
  labels: string[];
}

export function evaluate(yTrue: number[], yPred: number[], labels: readonly string[]): Evaluation {
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  yTrue.forEach((t, i) => {
    const row = matrix[t];
    const p = yPred[i] ?? -1;
    if (row && p >= 0 && p < k) row[p] = (row[p] ?? 0) + 1;
  });
  const safe = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perClass = labels.map((label, c) => {
    const tp = matrix[c]?.[c] ?? 0;
    const support = matrix[c]?.reduce((s, v) => s + v, 0) ?? 0;
    const predicted = matrix.reduce((s, row) => s + (row[c] ?? 0), 0);
    const precision = safe(tp, predicted);
    const recall = safe(tp, support);
    return {
      label,
      precision,
      recall,
      f1: safe(2 * precision * recall, precision + recall),
      support,
    };
  });
  const total = yTrue.length;
  const weighted = (pick: (m: ClassMetrics) => number) =>
    safe(
      perClass.reduce((s, m) => s + pick(m) * m.support, 0),
      total,
    );
  const correct = yTrue.filter((t, i) => t === yPred[i]).length;
  return {
    accuracy: safe(correct, total),
    precision: weighted((m) => m.precision),
    recall: weighted((m) => m.recall),
    f1_score: weighted((m) => m.f1),
    confusion_matrix: matrix,
    per_class: perClass,
    labels: [...labels],
  };
}

export function meanAndStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  // population std (ddof 0), as numpy's default used by scikit-learn examples
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, std };
}

/** A text report laid out like scikit-learn's classification_report. */
export function classificationReport(e: Evaluation): string {
  const width = Math.max(12, ...e.labels.map((l) => l.length));
  const f = (v: number) => v.toFixed(2).padStart(9);
  const total = e.per_class.reduce((s, m) => s + m.support, 0);
  const lines = [`${''.padStart(width)} precision    recall  f1-score   support`, ''];
  for (const m of e.per_class)
    lines.push(
      `${m.label.padStart(width)} ${f(m.precision)} ${f(m.recall)} ${f(m.f1)} ${String(m.support).padStart(9)}`,
    );
  lines.push('');
  lines.push(
    `${'accuracy'.padStart(width)} ${''.padStart(9)} ${''.padStart(9)} ${f(e.accuracy)} ${String(total).padStart(9)}`,
  );
  const macro = (pick: (m: ClassMetrics) => number) =>
    e.per_class.reduce((s, m) => s + pick(m), 0) / e.per_class.length;
  lines.push(
    `${'macro avg'.padStart(width)} ${f(macro((m) => m.precision))} ${f(macro((m) => m.recall))} ${f(macro((m) => m.f1))} ${String(total).padStart(9)}`,
  );
  lines.push(
    `${'weighted avg'.padStart(width)} ${f(e.precision)} ${f(e.recall)} ${f(e.f1_score)} ${String(total).padStart(9)}`,
  );
  return `${lines.join('\n')}\n`;
}
