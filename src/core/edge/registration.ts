/**
 * What an agent's REGISTER asks for (RFC 3261 §10.3): the address of record from To, the Contact
 * bindings with their expiry (the contact's `expires` parameter, else the Expires header, else the
 * default), `Contact: *` with `Expires: 0` to remove every binding, no Contact to list them.
 * Pure: the values are the phone's, so anything malformed is a 400 with a reason, never a throw.
 */
import type { InviteView } from './called-number.js';
import { parseAddress, splitHeaderList } from './sip-address.js';

export interface RegisterLimits {
  /** Shorter asked expiries are answered 423 Interval Too Brief with Min-Expires. */
  readonly minExpires: number;
  /** Longer asked expiries are cut to this (the 200 says so in each contact's expires). */
  readonly maxExpires: number;
  /** When neither the contact nor the request says. */
  readonly defaultExpires: number;
}

/** One phone may register a few contacts (desk phone, softphone); more is a misconfiguration or abuse. */
export const MAX_CONTACTS = 5;
const MAX_CONTACT_LENGTH = 256;

export interface ContactBinding {
  /** The contact URI as the phone wrote it (without angle brackets or header parameters). */
  readonly contact: string;
  /** 0: remove this binding. */
  readonly expires: number;
}

export type RegisterRequest =
  | { readonly kind: 'query'; readonly user: string }
  | { readonly kind: 'remove-all'; readonly user: string }
  | { readonly kind: 'update'; readonly user: string; readonly bindings: readonly ContactBinding[] }
  | { readonly kind: 'too-brief'; readonly user: string; readonly minExpires: number }
  | { readonly kind: 'bad'; readonly detail: string };

/** The user part of a sip:/sips: URI, percent-decoded, without user parameters or password. */
export function uriUser(uri: string): string | undefined {
  const m = /^sips?:([^@?]*)@/i.exec(uri.trim());
  if (m === null) return undefined;
  const raw = (m[1] ?? '').split(';', 1)[0]?.split(':', 1)[0] ?? '';
  try {
    const user = decodeURIComponent(raw);
    return user === '' ? undefined : user;
  } catch {
    return undefined;
  }
}

function parseExpires(text: string | undefined): number | undefined | 'bad' {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^[0-9]{1,10}$/.test(t)) return 'bad';
  return Number(t);
}

/** A contact the edge will send INVITEs to: a sip/sips URI with a host, nothing that could break a header. */
function usableContact(uri: string): boolean {
  return uri.length <= MAX_CONTACT_LENGTH && /^sips?:[^\s<>"]+$/i.test(uri) && /^sips?:([^@]*@)?[A-Za-z0-9.[\]:-]+/i.test(uri);
}

export function readRegister(view: InviteView, limits: RegisterLimits): RegisterRequest {
  const to = view.header('to');
  const toEntry = to === undefined ? undefined : parseAddress(splitHeaderList(to)[0] ?? '');
  const user = toEntry === undefined ? undefined : uriUser(toEntry.uri);
  if (user === undefined) return { kind: 'bad', detail: 'To names no sip user (the address of record)' };
  const headerExpires = parseExpires(view.header('expires'));
  if (headerExpires === 'bad') return { kind: 'bad', detail: 'Expires is not a number of seconds' };
  const contact = view.header('contact');
  if (contact === undefined || contact.trim() === '') return { kind: 'query', user };
  if (contact.trim() === '*') {
    return headerExpires === 0 ? { kind: 'remove-all', user } : { kind: 'bad', detail: 'Contact: * needs Expires: 0' };
  }
  const items = splitHeaderList(contact);
  if (items.length > MAX_CONTACTS) return { kind: 'bad', detail: `more than ${MAX_CONTACTS} contacts` };
  const bindings: ContactBinding[] = [];
  for (const item of items) {
    const entry = parseAddress(item);
    if (entry === undefined || !usableContact(entry.uri)) return { kind: 'bad', detail: 'a Contact is not a usable sip URI' };
    const own = parseExpires(entry.params.get('expires'));
    if (own === 'bad') return { kind: 'bad', detail: 'a contact expires parameter is not a number of seconds' };
    const asked = own ?? headerExpires ?? limits.defaultExpires;
    if (asked > 0 && asked < limits.minExpires) return { kind: 'too-brief', user, minExpires: limits.minExpires };
    bindings.push({ contact: entry.uri, expires: Math.min(asked, limits.maxExpires) });
  }
  return { kind: 'update', user, bindings };
}
