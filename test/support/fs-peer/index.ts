export { FsPeer, type FsPeerOptions } from './peer.js';
export { FsOutboundCall, type OutboundCallOptions } from './outbound-call.js';
export { FsCore, channelHeaders, newChannelProfile, header, type ChannelProfile, type PeerEvent } from './events.js';
export { InboundSession } from './inbound-session.js';
export { defaultApps, untilHangup, type AppBehaviour, type AppContext } from './apps.js';
export * as framing from './framing.js';
export { dialAnsweredCaller, type AnsweredCallerOptions } from './answered-caller.js';
