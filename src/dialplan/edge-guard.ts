/**
 * The SIP edge names the dialed line in X-Hotline-* headers, and the router believes them before
 * the destination number. Only the edge may: this first extension of the hotline context unsets
 * them on every call that does not come from an address of the `hotline-edge` ACL list (acl.conf.xml),
 * so a carrier or a stranger cannot pick the line a call is handled as by adding a header. On a
 * site without an edge the list is empty or absent (`acl` then answers false): the headers are
 * always dropped. The extension matches only such a call (not from the edge, carrying one of the
 * headers), so every other call hunts exactly as before; `continue="true"`: the hunt goes on to
 * the number's own extension.
 */
import { DIALED_HEADER, LINE_HEADER, TRUNK_HEADER } from '../core/edge/index.js';
import { comment, element, type XmlNode } from './xml.js';

export const EDGE_ACL = 'hotline-edge';
export const EDGE_GUARD_EXTENSION = 'hotline-edge-headers';

const HEADERS = [LINE_HEADER, DIALED_HEADER, TRUNK_HEADER];

export function edgeGuardExtension(): XmlNode[] {
  return [
    comment(`Trust ${LINE_HEADER} / ${DIALED_HEADER} / ${TRUNK_HEADER} only from the SIP edge (ACL list ${EDGE_ACL}).`),
    element('extension', { name: EDGE_GUARD_EXTENSION, continue: 'true' }, [
      element('condition', { field: `\${acl(\${network_addr} ${EDGE_ACL})}|${HEADERS.map((h) => `\${sip_h_${h}}`).join('')}`, expression: '^false\\|.' }, [
        // sofia stores each X- header of the INVITE as sip_h_<name> (sofia.c, SOFIA_SIP_HEADER_PREFIX).
        ...HEADERS.map((h) => element('action', { application: 'unset', data: `sip_h_${h}` })),
      ]),
    ]),
  ];
}
