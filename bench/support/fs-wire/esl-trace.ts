/**
 * One TCP segment of an ESL connection, in a line for a call's timeline: the commands the router
 * sent (sendmsg with its application, api, event subscriptions…) or what FreeSWITCH sent back
 * (command replies, api responses, events by name). A segment may carry several frames; each
 * gets its word. Event bodies are not reassembled: a header split across segments is missed.
 */

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** Commands in a router → FreeSWITCH segment, decoded as latin1 (a char per byte, as content-length counts): header blocks, each with its body. */
export function describeCommands(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\n\n', at);
    const lines = text.slice(at, end === -1 ? text.length : end).split('\n').filter((l) => l !== '');
    const header = (name: string): string | undefined => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const bodyBytes = Number(header('content-length') ?? '0');
    const bodyStart = end === -1 ? text.length : end + 2;
    const body = Buffer.from(text.slice(bodyStart, bodyStart + bodyBytes), 'latin1').toString('utf8');
    at = bodyStart + bodyBytes;
    const first = lines[0];
    if (first === undefined) continue;
    if (first.startsWith('sendmsg')) {
      const command = header('call-command') ?? '?';
      const app = header('execute-app-name');
      const arg = header('execute-app-arg') ?? (body === '' ? undefined : body);
      const lock = header('event-lock') === 'true' ? ' (event-lock)' : '';
      out.push(app === undefined ? `sendmsg ${command}${lock}` : `execute ${app}${arg === undefined ? '' : ` ${arg.slice(0, 60)}`}${lock}`);
    } else if (/^[a-z]/.test(first)) {
      out.push(first.slice(0, 90));
    }
  }
  return out;
}

/** Replies and events in a FreeSWITCH → router segment. */
export function describeReplies(text: string): string[] {
  const out: string[] = [];
  const re = /Content-Type: ([a-z/-]+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const type = m[1] ?? '';
    const rest = text.slice(m.index, m.index + 4000);
    if (type === 'command/reply') {
      out.push(`reply ${/Reply-Text: ([^\n]*)/.exec(rest)?.[1]?.slice(0, 60) ?? ''}`);
    } else if (type === 'text/event-plain' || type === 'text/event-json') {
      const name = /Event-Name(?:: |":\s*")([A-Z_]+)/.exec(rest)?.[1];
      const app = /Application(?:: |":\s*")([^\n"]+)/.exec(rest)?.[1];
      out.push(`event ${name ?? '(split)'}${app !== undefined && name?.startsWith('CHANNEL_EXECUTE') === true ? ` ${decode(app)}` : ''}`);
    } else if (type === 'api/response') {
      out.push('api/response');
    } else {
      out.push(type);
    }
  }
  // FreeSWITCH writes an event's headers and its body in two writes: a body alone has no
  // Content-Type, only the event's own fields.
  if (out.length === 0 || out.every((d) => d === 'event (split)')) {
    const names = [...text.matchAll(/"Event-Name":\s*"([A-Z_]+)"/g)].map((m) => m[1] ?? '');
    if (names.length > 0) {
      const app = /"Application":\s*"([^"]+)"/.exec(text)?.[1];
      return names.map((n) => `event ${n}${app !== undefined && n.startsWith('CHANNEL_EXECUTE') ? ` ${app}` : ''}`);
    }
    return [];
  }
  return out;
}
