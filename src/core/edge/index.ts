export { blocksOverlap, parsePeerAddress, parseSource, sourceMatcher, type ParsedSource, type SourceBlock, type SourceMatcher } from './addresses.js';
export { calledNumber, normalizeCalled, numbersAt, type CalledNumber, type CalledNumberRules, type InviteView } from './called-number.js';
export {
  DIALED_HEADER, LINE_HEADER, TRUNK_HEADER, edgeDecision, isScannerUserAgent,
  type EdgeDecision, type EdgeForward, type EdgeRefusal, type RefusalReason,
} from './decision.js';
export { addressNumber, diversionNumbers, historyInfoNumbers, parseAddress, splitHeaderList, uriNumber } from './sip-address.js';
export { NodeBoard, failsOver, rankNodes, type NodeBoardOptions, type NodeState, type NodeView } from './node-board.js';
export { TrunkCaps, type CapVerdict } from './caps.js';
export { digestChallenge, parseDigestCredentials, type DigestCredentials, type NonceCheck } from './digest.js';
export { MAX_CONTACTS, readRegister, uriUser, type ContactBinding, type RegisterLimits, type RegisterRequest } from './registration.js';
export { SourceRate } from './source-rate.js';
export { nodeSources, type NodeSources } from './node-sources.js';
