/** The confusion matrix as a small self-contained SVG picture (no plotting dependency). */
export function confusionMatrixSvg(labels: readonly string[], matrix: number[][]): string {
  const cell = 70;
  const left = 110;
  const top = 60;
  const size = labels.length * cell;
  const max = Math.max(1, ...matrix.flat());
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + size + 20}" height="${top + size + 50}" font-family="sans-serif" font-size="13">`,
    `<text x="${left + size / 2}" y="20" text-anchor="middle" font-weight="bold">Confusion matrix</text>`,
    `<text x="${left + size / 2}" y="${top + size + 40}" text-anchor="middle">predicted</text>`,
    `<text x="15" y="${top + size / 2}" transform="rotate(-90 15 ${top + size / 2})" text-anchor="middle">true</text>`,
  ];
  labels.forEach((label, i) => {
    parts.push(
      `<text x="${left + i * cell + cell / 2}" y="${top - 8}" text-anchor="middle">${esc(label)}</text>`,
    );
    parts.push(
      `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${esc(label)}</text>`,
    );
  });
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const shade = Math.round(255 - (v / max) * 200);
      const fill = `rgb(${shade},${shade},255)`;
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"/>`,
      );
      parts.push(
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 5}" text-anchor="middle" fill="${v / max > 0.6 ? '#fff' : '#000'}">${v}</text>`,
      );
    }),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
