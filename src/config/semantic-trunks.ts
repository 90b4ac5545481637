/**
 * The SIP edge's trunks and nodes: a source address identifies one trunk (the edge decides which
 * carrier sent an INVITE by its source alone), every source parses, names are unique, and two
 * nodes are not the same FreeSWITCH twice.
 */
import { blocksOverlap, parseSource, type SourceBlock } from '../core/edge/addresses.js';
import { formatPath, type PathSegments } from './problem.js';
import type { Reporter } from './reporter.js';
import type { Indexed, SemanticInput } from './semantic-input.js';

export function checkTrunks(input: SemanticInput, r: Reporter): void {
  reportDuplicates(input.trunks.map(({ index, value }) => ({ index, value: value.name })), 'trunks', 'name', 'trunk name', r);

  const seen: { block: SourceBlock; path: PathSegments }[] = [];
  for (const { index, value: trunk } of input.trunks) {
    trunk.sources.forEach((text, i) => {
      const path = ['trunks', index, 'sources', i];
      const parsed = parseSource(text);
      if (!parsed.ok) {
        r.report(path, parsed.reason, parsed.suggestion === undefined ? {} : { hint: `write ${parsed.suggestion}` });
        return;
      }
      const other = seen.find((s) => blocksOverlap(s.block, parsed.block));
      if (other !== undefined) {
        r.report(path, `${text} overlaps ${other.block.text} of ${formatPath(other.path)}`, {
          hint: `see ${r.describeLocation(other.path)}; the edge tells trunks apart by source address alone, so each address belongs to one trunk`,
        });
        return;
      }
      seen.push({ block: parsed.block, path });
    });
    if (trunk.stripPrefixes.some((p) => p === input.hotline.number || input.lines.some(({ value }) => value.number.startsWith(p)))) {
      r.report(['trunks', index, 'stripPrefixes'], 'a prefix to strip begins a line number of this hotline', {
        severity: 'warning',
        hint: 'a number starting with it is only stripped when what remains is a known line, but check the carrier really sends it',
      });
    }
  }
  if (input.trunks.length > 0 && input.hotline.areaCode === undefined) {
    r.report(['trunks'], 'trunks are declared but hotline.areaCode is not: a number dialed with its area code (0571 12328) will not be recognised', {
      severity: 'warning', anchor: 'key', hint: 'set hotline.areaCode, e.g. "571"',
    });
  }
}

export function checkNodes(input: SemanticInput, r: Reporter): void {
  reportDuplicates(input.nodes.map(({ index, value }) => ({ index, value: value.name })), 'nodes', 'name', 'node name', r);
  reportDuplicates(input.nodes.map(({ index, value }) => ({ index, value: value.sip })), 'nodes', 'sip', 'SIP address', r);
  reportDuplicates(input.nodes.map(({ index, value }) => ({ index, value: value.esl })), 'nodes', 'esl', 'event socket address', r);
}

function reportDuplicates(values: readonly Indexed<string>[], list: string, key: string, what: string, r: Reporter): void {
  const first = new Map<string, number>();
  for (const { index, value } of values) {
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, index);
      continue;
    }
    const earlierPath = [list, earlier, key];
    r.report([list, index, key], `${what} "${value}" is used twice`, { hint: `first used by ${formatPath([list, earlier])} at ${r.describeLocation(earlierPath)}` });
  }
}
