import { describe, expect, it } from 'vitest';
import {
  EslCommandError, encodeApi, encodeAuth, encodeBgapi, encodeEventSubscription, encodeExecute, EXECUTE_ARG_BODY_FROM, encodeFilter,
  encodeHangup, encodeLinger, encodeMyEvents,
} from '../../../../src/adapters/esl/codec/commands.js';

describe('command encoding', () => {
  it('frames single-line commands with one trailing blank line', () => {
    expect(encodeAuth('s3cret')).toBe('auth s3cret\n\n');
    expect(encodeApi('show calls as json')).toBe('api show calls as json\n\n');
    expect(encodeBgapi('originate user/1000 &park', 'job-1')).toBe('bgapi originate user/1000 &park\nJob-UUID: job-1\n\n');
    expect(encodeFilter('Unique-ID', 'abc')).toBe('filter Unique-ID abc\n\n');
    expect(encodeMyEvents('json')).toBe('myevents json\n\n');
    expect(encodeLinger()).toBe('linger\n\n');
    expect(encodeLinger(30)).toBe('linger 30\n\n');
    expect(encodeHangup('USER_BUSY')).toBe('sendmsg\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n');
  });

  it('refuses newlines that would inject a second command', () => {
    expect(() => encodeApi('status\n\napi fsctl shutdown')).toThrow(EslCommandError);
    expect(() => encodeAuth('a\nb')).toThrow(EslCommandError);
    expect(() => encodeBgapi('status', 'bad id')).toThrow(EslCommandError);
    expect(() => encodeHangup('NORMAL CLEARING')).toThrow(EslCommandError);
  });

  it('puts every plain event name before CUSTOM and only subclasses after it', () => {
    expect(encodeEventSubscription({
      format: 'json', events: ['CHANNEL_ANSWER', 'CUSTOM', 'channel_hangup'], subclasses: ['sofia::register', 'callcenter::info'],
      required: ['BACKGROUND_JOB', 'CHANNEL_ANSWER'],
    })).toBe('event json CHANNEL_ANSWER CHANNEL_HANGUP BACKGROUND_JOB CUSTOM sofia::register callcenter::info\n\n');
    expect(encodeEventSubscription({ format: 'plain', events: ['all'], subclasses: ['x::y'], required: ['BACKGROUND_JOB'] }))
      .toBe('event plain ALL\n\n');
    expect(() => encodeEventSubscription({ format: 'json', events: [] })).toThrow(EslCommandError);
  });

  it('encodes execute with Event-UUID, event-lock and a short argument in a header', () => {
    expect(encodeExecute({ app: 'playback', arg: '/sounds/welcome.wav', eventUuid: 'e-1', eventLock: true })).toBe(
      'sendmsg\ncall-command: execute\nexecute-app-name: playback\nEvent-UUID: e-1\nevent-lock: true\n' +
      'execute-app-arg: /sounds/welcome.wav\n\n');
    expect(encodeExecute({ app: 'answer', eventUuid: 'e-2', uuid: 'u-9' })).toBe(
      'sendmsg u-9\ncall-command: execute\nexecute-app-name: answer\nEvent-UUID: e-2\n\n');
  });

  it('puts a long argument in a body: FreeSWITCH reads header bytes one recv() each', () => {
    const dial = '{origination_caller_id_number=12345}sofia/internal/1001@127.0.0.1';
    const bridge = encodeExecute({ app: 'bridge', arg: dial, eventUuid: 'e-5' });
    expect(bridge).toBe(`sendmsg\ncall-command: execute\nexecute-app-name: bridge\nEvent-UUID: e-5\n` +
      `content-type: text/plain\ncontent-length: ${dial.length}\n\n${dial}`);
    const at = 'x'.repeat(EXECUTE_ARG_BODY_FROM);
    expect(encodeExecute({ app: 'log', arg: at, eventUuid: 'e-6' })).toContain(`\n\n${at}`);
    expect(encodeExecute({ app: 'log', arg: at.slice(1), eventUuid: 'e-7' })).toContain(`execute-app-arg: ${at.slice(1)}\n\n`);
  });

  it('moves a multi-line or space-led argument into a text/plain body measured in bytes', () => {
    const arg = 'line one\nsecond 行';
    const out = encodeExecute({ app: 'set', arg, eventUuid: 'e-3' });
    expect(out).toBe(`sendmsg\ncall-command: execute\nexecute-app-name: set\nEvent-UUID: e-3\n` +
      `content-type: text/plain\ncontent-length: ${Buffer.byteLength(arg)}\n\n${arg}`);
    expect(out).not.toContain('execute-app-arg');
    expect(encodeExecute({ app: 'log', arg: ' indented', eventUuid: 'e-4' })).toContain('content-length: 9\n\n indented');
  });
});
