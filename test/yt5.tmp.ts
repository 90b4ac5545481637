import { Parser, Composer } from 'yaml';
for (const M of [131072, 262144, 524288]) {
  const parts: string[] = []; let n = 0; while (n < M) { parts.push('- [1, 2, {a: b}]\n'); n += 17; }
  const text = parts.join('');
  let t = performance.now(); const toks = [...new Parser().parse(text)]; const cst = performance.now() - t;
  t = performance.now(); const docs = [...new Composer().compose(toks, true, text.length)]; const comp = performance.now() - t;
  t = performance.now(); docs[0]!.toJS(); const js = performance.now() - t;
  console.log(M, Math.round(cst), Math.round(comp), Math.round(js), docs[0]!.errors.length);
}
