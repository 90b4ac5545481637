/** A small parser of the Prometheus text exposition format, enough for assertions. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (m === null) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] ?? ''] = l[2] ?? '';
    out.push({ name: m[1] ?? '', labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample matching name and labels exactly (0 when absent). */
export function value(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const match = samples.filter((s) => s.name === name && Object.keys(labels).length === Object.keys(s.labels).length
    && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (match.length > 1) throw new Error(`${match.length} samples for ${name} ${JSON.stringify(labels)}`);
  return match[0]?.value ?? 0;
}

/** Sum over samples whose labels include `labels`. */
export function sum(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}
